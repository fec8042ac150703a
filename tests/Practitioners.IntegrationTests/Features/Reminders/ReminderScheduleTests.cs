using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Email;

namespace Practitioners.IntegrationTests.Features.Reminders;

/// <summary>Each test owns its site: they move the clock by months.</summary>
public sealed class ReminderScheduleTests : IDisposable
{
    private readonly SiteFactory _site = ReminderSteps.NewSite();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task DayByDay_ThroughACertificatesLife_EachOffsetSendsExactlyOneEmail_InTheHoldersLanguage()
    {
        var (_, zh) = await _site.CertifiedAsync("life.zh@example.cn", "周一", communityCode: "life");
        var (_, en) = await _site.CertifiedAsync("life.en@example.cn", "Wu Er", culture: "en", communityCode: "life-en");
        await _site.ManagerOfAsync("mgr@example.cn", zh.CommunityId);
        var daily = zh.ExpiresAt.AddDays(-70);
        var end = zh.ExpiresAt.AddDays(20);

        // A week at a time while nothing can be due (the sweep still runs each step), then every day.
        while (_site.Clock.GetUtcNow().UtcDateTime < end)
        {
            _site.Clock.Advance(TimeSpan.FromDays(_site.Clock.GetUtcNow().UtcDateTime < daily ? 7 : 1));
            await _site.DailyAsync();
        }

        // The clock starts at 09:00 in Shanghai, after the 08:00 run; the certificate expires on 2027-03-02 local.
        var holder = _site.Smtp.To("life.zh@example.cn").Where(m => m.Subject!.Contains(zh.Number)).ToList();
        Assert.Equal(
        [
            $"你的证书 {zh.Number} 将于 2027-03-02 到期",
            $"你的证书 {zh.Number} 将于 2027-03-02 到期",
            $"你的证书 {zh.Number} 将于 2027-03-02 到期",
            $"你的证书 {zh.Number} 今天到期",
        ], holder.Select(m => m.Subject));
        Assert.Equal([new DateTime(2027, 1, 1), new DateTime(2027, 1, 31), new DateTime(2027, 2, 23), new DateTime(2027, 3, 2)],
            holder.Select(m => m.Date.ToOffset(TimeSpan.FromHours(8)).Date));
        Assert.Contains("还有 60 天", holder[0].TextBody);
        Assert.Contains("还有 7 天", holder[2].TextBody);
        Assert.All(holder, m => Assert.Contains(ReminderSteps.BaseUrl + "/training", m.TextBody));

        var english = _site.Smtp.To("life.en@example.cn").Where(m => m.Subject!.Contains(en.Number)).Select(m => m.Subject).ToList();
        Assert.Equal(
        [
            $"Your certificate {en.Number} expires on 2027-03-02",
            $"Your certificate {en.Number} expires on 2027-03-02",
            $"Your certificate {en.Number} expires on 2027-03-02",
            $"Your certificate {en.Number} expires today",
        ], english);

        // The manager: one notice 14 days after expiry, and a weekly digest while anyone is expiring or expired.
        var manager = _site.Smtp.To("mgr@example.cn");
        var expiredNotice = Assert.Single(manager, m => m.Subject!.Contains("已过期且未续期"));
        Assert.Equal(new DateTime(2027, 3, 16), expiredNotice.Date.ToOffset(TimeSpan.FromHours(8)).Date);
        var digests = manager.Where(m => m.Subject!.StartsWith("社区人员证书周报", StringComparison.Ordinal)).ToList();
        Assert.Equal(digests.Count, digests.Select(d => d.Date.ToOffset(TimeSpan.FromHours(8)).Date).Select(d => System.Globalization.ISOWeek.GetWeekOfYear(d)).Distinct().Count());
        Assert.Contains("周一", digests[0].TextBody);
        Assert.DoesNotContain("Wu Er", string.Concat(digests.Select(d => d.TextBody)));

        // Every message carries the Message-ID derived from its key, and nothing is left to send.
        var outbox = await _site.OutboxAsync();
        Assert.All(outbox, m => Assert.Equal(OutboxState.Sent, m.State));
        Assert.All(holder, m => Assert.Contains(m.MessageId, outbox.Select(o => o.MessageId)));
        Assert.Equal(outbox.Count, outbox.Select(m => m.MessageId).Distinct().Count());

        // The same notices are in the holder's notification centre.
        Assert.Equal(4, await _site.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == zh.UserId)));
    }

    [Fact]
    public async Task Renewal_CancelsThePendingReminder_AndTheOldSeriesStops()
    {
        var (client, certificate) = await _site.CertifiedAsync("renews@example.cn", "郑三");
        // Sixty days before expiry: the reminder is planned, but the mail server is down.
        _site.Clock.Advance(certificate.ExpiresAt.AddDays(-60) - _site.Clock.GetUtcNow().UtcDateTime);
        _site.Smtp.Stop();
        await _site.DailyAsync();
        var pending = Assert.Single(await _site.OutboxAsync("renews@example.cn"), m => m.Kind == OutboxKinds.Reminder);
        Assert.Equal(OutboxState.Pending, pending.State);

        await client.SignInAsync("renews@example.cn");
        Assert.Contains("通过！", await client.PassModuleAsync(_site, "refresher-volunteer"));
        _site.Smtp.Resume();
        _site.Clock.Advance(TimeSpan.FromHours(2));
        await _site.SendOutboxAsync();

        Assert.Equal(OutboxState.Cancelled, (await _site.OutboxAsync("renews@example.cn")).Single(m => m.Id == pending.Id).State);
        for (var day = 0; day < 65; day++)
        {
            _site.Clock.Advance(TimeSpan.FromDays(1));
            await _site.DailyAsync();
        }
        Assert.DoesNotContain(_site.Smtp.To("renews@example.cn"), m => m.Subject!.Contains(certificate.Number));
        Assert.DoesNotContain(await _site.OutboxAsync("renews@example.cn"), m => m.Kind == OutboxKinds.Reminder && m.State != OutboxState.Cancelled);
    }

    [Fact]
    public async Task SuspendedAndRevokedCertificates_GetNoReminders()
    {
        var (_, suspended) = await _site.CertifiedAsync("suspended@example.cn", "王四");
        var (_, revoked) = await _site.CertifiedAsync("revoked@example.cn", "赵五");
        await _site.WithDbAsync(async db =>
        {
            var now = _site.Clock.GetUtcNow().UtcDateTime;
            (await db.Certificates.SingleAsync(c => c.Id == suspended.Id)).Suspend("测试", suspended.UserId, now);
            (await db.Certificates.SingleAsync(c => c.Id == revoked.Id)).Revoke("测试", revoked.UserId, now);
            return await db.SaveChangesAsync();
        });

        _site.Clock.Advance(suspended.ExpiresAt.AddDays(-59) - _site.Clock.GetUtcNow().UtcDateTime);
        var run = await _site.PlanAsync();

        Assert.Equal(0, run.Planned);
        Assert.Empty(await _site.WithDbAsync(db => db.Reminders.ToListAsync()));
    }
}
