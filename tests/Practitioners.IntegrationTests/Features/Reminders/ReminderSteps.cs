using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;

namespace Practitioners.IntegrationTests.Features.Reminders;

/// <summary>What the Quartz jobs do, run by hand on the test's clock (jobs are off in tests).</summary>
internal static class ReminderSteps
{
    public const string BaseUrl = "https://practitioners.test";

    /// <summary>A site whose emails written by jobs have absolute links (no request to take the host from).</summary>
    public static SiteFactory NewSite() => new SiteFactory().With("Site:PublicBaseUrl", BaseUrl);

    /// <summary>One day of the schedule: the daily sweep, then the outbox sender.</summary>
    public static async Task DailyAsync(this SiteFactory site)
    {
        await site.Services.GetRequiredService<DailySweep>().RunAsync(CancellationToken.None);
        await site.SendOutboxAsync();
    }

    public static async Task<OutboxRun> SendOutboxAsync(this SiteFactory site, Action<SendOutbox>? arrange = null)
    {
        OutboxRun run = new(0, 0, 0);
        await site.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<CancelStaleReminders>().RunAsync(CancellationToken.None);
            var sender = sp.GetRequiredService<SendOutbox>();
            arrange?.Invoke(sender);
            run = await sender.RunAsync(CancellationToken.None);
        });
        return run;
    }

    public static async Task<ReminderRun> PlanAsync(this SiteFactory site)
    {
        await using var scope = site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PlanReminders>().RunAsync(CancellationToken.None);
    }

    /// <summary>A volunteer who finished training signs the agreement and is certified; returns the certificate.</summary>
    public static async Task<(HttpClient Client, Certificate Certificate)> CertifiedAsync(this SiteFactory site, string email, string name,
        string culture = "zh-CN", string? communityCode = null)
    {
        var (_, admissionId, _) = await site.TrainedAsync(email, RoleTrack.Volunteer, name, culture: culture, communityCode: communityCode);
        var client = site.CreateBrowserClient();
        await client.SignInAsync(email);
        await client.SignAsync(admissionId, name);
        var certificate = await site.WithDbAsync(db => db.Certificates.AsNoTracking().SingleAsync(c => c.AdmissionId == admissionId));
        return (client, certificate);
    }

    public static async Task<ApplicationUser> ManagerOfAsync(this SiteFactory site, string email, int communityId, string culture = "zh-CN")
    {
        var manager = await site.CreateUserAsync(email, "管理员" + email[..3], culture: culture, roles: Roles.CommunityManager);
        await site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = manager.Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
        return manager;
    }

    public static Task<List<OutboxMessage>> OutboxAsync(this SiteFactory site, string? to = null) =>
        site.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => to == null || m.To == to).OrderBy(m => m.Id).ToListAsync());

    /// <summary>Puts plain messages straight into the outbox, as any feature's email would be.</summary>
    public static Task<List<OutboxMessage>> EnqueueAsync(this SiteFactory site, int count, string prefix = "plain")
    {
        var now = site.Clock.GetUtcNow().UtcDateTime;
        return site.WithDbAsync(async db =>
        {
            var messages = Enumerable.Range(1, count).Select(i => OutboxMessage.Create($"test:{prefix}:{i}",
                new EmailMessage($"{prefix}{i}@example.cn", $"收件人{i}", $"测试邮件 {prefix} {i}", $"<p>{i}</p>", $"{i}"), "zh-CN", OutboxKinds.Email, now)).ToList();
            db.OutboxMessages.AddRange(messages);
            await db.SaveChangesAsync();
            return messages;
        });
    }
}
