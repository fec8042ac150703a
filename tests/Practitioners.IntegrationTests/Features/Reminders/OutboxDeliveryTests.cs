using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Email;

namespace Practitioners.IntegrationTests.Features.Reminders;

/// <summary>The sender against a real SMTP server that goes down, refuses for a while, or refuses for good.</summary>
public sealed class OutboxDeliveryTests : IDisposable
{
    private readonly SiteFactory _site = ReminderSteps.NewSite().With("Email:Outbox:BatchSize", "3");

    public void Dispose() => _site.Dispose();

    /// <summary>Past the longest back-off (one hour by default, with jitter at most that).</summary>
    private void AfterBackoff() => _site.Clock.Advance(TimeSpan.FromMinutes(61));

    [Fact]
    public async Task ServerDown_MessagesWaitAndRetry_ThenAllAreDeliveredOnce()
    {
        await _site.EnqueueAsync(7);
        _site.Smtp.Stop();

        var down = await _site.SendOutboxAsync();
        var waiting = await _site.OutboxAsync();
        Assert.Equal(3, down.Retrying);
        Assert.All(waiting.Take(3), m =>
        {
            Assert.Equal(OutboxState.Pending, m.State);
            Assert.Equal(1, m.Attempts);
            Assert.True(m.DueAt > _site.Clock.GetUtcNow().UtcDateTime);
            Assert.Contains("SocketException", m.LastError);
        });
        Assert.All(waiting.Skip(3), m => Assert.Equal(0, m.Attempts));

        // Still down an hour later: another attempt each, nothing lost, nothing dead.
        AfterBackoff();
        await _site.SendOutboxAsync();
        AfterBackoff();
        await _site.SendOutboxAsync();
        Assert.DoesNotContain(await _site.OutboxAsync(), m => m.State is OutboxState.Dead or OutboxState.Sent);

        _site.Smtp.Resume();
        for (var i = 0; i < 3; i++)
        {
            AfterBackoff();
            await _site.SendOutboxAsync();
        }

        Assert.All(await _site.OutboxAsync(), m => Assert.Equal(OutboxState.Sent, m.State));
        var received = _site.Smtp.Messages.Where(m => m.Subject!.StartsWith("测试邮件", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, received.Count);
        Assert.Equal(7, received.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task TemporaryRefusal_IsRetriedWithBackoff_ThenDelivered()
    {
        var message = Assert.Single(await _site.EnqueueAsync(1, "busy"));
        _site.Smtp.Refuse(451);

        var first = await _site.SendOutboxAsync();
        var waiting = Assert.Single(await _site.OutboxAsync());
        Assert.Equal(1, first.Retrying);
        Assert.Equal(OutboxState.Pending, waiting.State);
        Assert.StartsWith("451", waiting.LastError);
        // Back-off with jitter: at least half the first delay (60 s), at most all of it.
        var wait = waiting.DueAt - _site.Clock.GetUtcNow().UtcDateTime;
        Assert.InRange(wait, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

        Assert.Equal(0, (await _site.SendOutboxAsync()).Sent);
        _site.Clock.Advance(wait);
        Assert.Equal(1, (await _site.SendOutboxAsync()).Sent);

        var sent = Assert.Single(await _site.OutboxAsync());
        Assert.Equal(OutboxState.Sent, sent.State);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal(OutboxMessage.MessageIdFor(message.IdempotencyKey), Assert.Single(_site.Smtp.To("busy1@example.cn")).MessageId);
    }

    [Fact]
    public async Task PermanentRefusal_IsDeadAfterOneAttempt_AndAnAdminCanRetryIt()
    {
        await _site.EnqueueAsync(1, "nobody");
        _site.Smtp.Refuse(550);

        var run = await _site.SendOutboxAsync();
        AfterBackoff();
        await _site.SendOutboxAsync();

        Assert.Equal(1, run.Dead);
        var dead = Assert.Single(await _site.OutboxAsync());
        Assert.Equal(OutboxState.Dead, dead.State);
        Assert.Equal(1, dead.Attempts);
        Assert.StartsWith("550", dead.LastError);
        Assert.Equal(1, _site.Smtp.Refused);
        Assert.Empty(_site.Smtp.To("nobody1@example.cn"));

        await _site.CreateUserAsync("outbox.admin@example.cn", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync("outbox.admin@example.cn");
        var page = await admin.GetDocumentAsync("/admin/outbox");
        var row = page.QuerySelector($"tr[data-id='{dead.Id}']")!;
        Assert.StartsWith("550", row.QuerySelector(".last-error")!.TextContent);
        var retried = await admin.PostAsync(row.QuerySelector("form")!.GetAttribute("action"),
            new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);

        await _site.SendOutboxAsync();
        Assert.Equal(OutboxState.Sent, Assert.Single(await _site.OutboxAsync()).State);
        Assert.Single(_site.Smtp.To("nobody1@example.cn"));
    }

    [Fact]
    public async Task CrashBetweenSentAndMarked_ResendsOnlyTheInFlightBatch_WithTheSameMessageId()
    {
        var messages = await _site.EnqueueAsync(7, "crash");
        var crashAt = messages[4];
        await Assert.ThrowsAsync<IOException>(() => _site.SendOutboxAsync(sender =>
            sender.AfterAccepted = m => m.Id == crashAt.Id ? throw new IOException("the process died") : Task.CompletedTask));

        // Batches of three: the first is marked; in the second, #4 is marked, #5 was accepted but not marked, #6 not sent.
        var states = (await _site.OutboxAsync()).Select(m => m.State).ToList();
        Assert.Equal([OutboxState.Sent, OutboxState.Sent, OutboxState.Sent, OutboxState.Sent, OutboxState.Sending, OutboxState.Sending, OutboxState.Pending], states);

        // Within the lease nobody touches the claimed rows; after it, they are sent again.
        await _site.SendOutboxAsync();
        Assert.Equal(2, (await _site.OutboxAsync()).Count(m => m.State == OutboxState.Sending));
        _site.Clock.Advance(TimeSpan.FromMinutes(6));
        await _site.SendOutboxAsync();

        Assert.All(await _site.OutboxAsync(), m => Assert.Equal(OutboxState.Sent, m.State));
        var received = _site.Smtp.Messages.Where(m => m.Subject!.StartsWith("测试邮件 crash", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, received.Count);
        var twice = Assert.Single(received.GroupBy(m => m.MessageId), g => g.Count() > 1);
        Assert.Equal(OutboxMessage.MessageIdFor(crashAt.IdempotencyKey), twice.Key);
        Assert.Equal(2, twice.Count());
    }

    [Fact]
    public async Task OneRun_SendsEveryBatchOverOneConnection()
    {
        await _site.EnqueueAsync(20, "bulk");
        var sessions = _site.Smtp.Sessions;

        var run = await _site.SendOutboxAsync();

        Assert.Equal(20, run.Sent);
        Assert.Equal(sessions + 1, _site.Smtp.Sessions);
        Assert.Equal(20, await _site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.State == OutboxState.Sent && m.SentAt != null)));
    }
}
