using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Practitioners.IntegrationTests.Features.Reminders;
using Practitioners.TestSupport;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;
using Quartz;
using Quartz.Extensibility;

namespace Practitioners.IntegrationTests.Data;

/// <summary>
/// Scale-out: two nodes of the site on real Kestrel ports against one PostgreSQL database, each with its own clustered
/// Quartz scheduler, delivering to one SMTP server. Nothing is coordinated by the test but the clocks.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class TwoNodeTests : IAsyncLifetime
{
    private const int BatchSize = 4;

    private readonly JobRecorder _jobs = new();
    private readonly TaskCompletionSource<string> _frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _neverThawed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SiteFactory _a = null!;
    private SiteFactory _b = null!;
    private string _urlA = "";
    private string _urlB = "";
    private volatile bool _armed;
    private int _acceptedWhileArmed;

    public async Task InitializeAsync()
    {
        _a = Node(SiteFactory.On(DatabaseProvider.Postgres), "A");
        _urlA = await StartAsync(_a);
        // The second node starts after the first has migrated, as a rolling start would.
        _b = Node(_a.AnotherNode(), "B");
        _urlB = await StartAsync(_b);
    }

    private SiteFactory Node(SiteFactory site, string name)
    {
        // Far from now in real time, so the daily trigger fires only when the test fires it.
        var dailyAt = TimeOnly.FromDateTime(DateTime.UtcNow.AddHours(12)).ToString("HH:mm");
        return site.WithSystemClock().With("Site:PublicBaseUrl", ReminderSteps.BaseUrl)
            .With("Jobs:Enabled", "true")
            .With("Jobs:DailyAt", dailyAt)
            .With("Jobs:TimeZone", "UTC")
            .With("Jobs:SendOutboxEverySeconds", "1")
            .With("Jobs:ClusterCheckinSeconds", "1")
            .With("Email:Outbox:BatchSize", BatchSize.ToString())
            .With("Email:Outbox:DeliverImmediately", "false")
            .WithServices(services => services.AddSingleton(new NodeName(name)))
            // Once armed, whichever node sends the second message hangs right after the server accepted it, as a
            // process would that was killed between the server's acceptance and the database update.
            .WithServices(services =>
            {
                services.RemoveAll<SendOutbox>();
                services.AddScoped(sp =>
                {
                    var sender = ActivatorUtilities.CreateInstance<SendOutbox>(sp);
                    sender.AfterAccepted = async _ =>
                    {
                        if (_armed && Interlocked.Increment(ref _acceptedWhileArmed) == 2)
                        {
                            _frozen.TrySetResult(name);
                            await _neverThawed.Task;
                        }
                    };
                    return sender;
                });
            });
    }

    private async Task<string> StartAsync(SiteFactory site)
    {
        site.UseKestrel(0);
        site.StartServer();
        var address = site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        site.ClientOptions.BaseAddress = new Uri(address);
        var scheduler = await site.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var node = site.Services.GetRequiredService<NodeName>().Value;
        scheduler.ListenerManager.AddJobListener(new JobRecorder.Listener(_jobs, node), [GroupMatcher<JobKey>.AnyGroup()]);
        return address;
    }

    public async Task DisposeAsync()
    {
        // Let node A's frozen job end (with an error, so it sends nothing more) before its host stops.
        _neverThawed.TrySetException(new IOException("node A was stopped"));
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task ACookieAndAnAntiforgeryToken_FromOneNode_AreAcceptedByTheOther()
    {
        await _a.CreateUserAsync("two-nodes@example.cn", "双节点");
        Assert.NotEqual(new Uri(_urlA).Port, new Uri(_urlB).Port);
        // One cookie jar for both: cookies belong to the host, 127.0.0.1, whatever the port.
        var browser = _a.CreateBrowserClient();

        // The sign-in form (and its antiforgery cookie and token) comes from A; the form is posted to B, which accepts
        // the token and signs the person in (a refused token would be 400, a failed sign-in the form again).
        var signedIn = await browser.SubmitAsync($"{_urlA}/account/sign-in", $"{_urlB}/account/sign-in",
            [new("Email", "two-nodes@example.cn"), new("Password", People.Password)]);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(new Uri(_urlB).Port, signedIn.RequestMessage!.RequestUri!.Port);
        Assert.Contains("你好，双节点", await signedIn.Content.ReadAsStringAsync());

        // The authentication cookie B issued opens a signed-in page on A, and on B; without it, both send to sign-in.
        foreach (var url in new[] { _urlA, _urlB })
        {
            var profile = await browser.GetAsync($"{url}/account/profile");
            Assert.Equal("/account/profile", profile.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("two-nodes@example.cn", await profile.Content.ReadAsStringAsync());
            var stranger = await _a.CreateBrowserClient().GetAsync($"{url}/account/profile");
            Assert.Equal("/account/sign-in", stranger.RequestMessage!.RequestUri!.AbsolutePath);
        }

        // Both nodes read one key ring from the database.
        Assert.Equal(1, await _a.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));
    }

    [PostgresFact]
    public async Task BothSchedulersRunning_TheDailyRunHappensOnOneNode_AndEachReminderIsDeliveredOnce()
    {
        var holders = new[] { ("node-r1@example.cn", "节点甲"), ("node-r2@example.cn", "节点乙"), ("node-r3@example.cn", "节点丙") };
        foreach (var (email, name) in holders)
        {
            await _a.CertifiedAsync(email, name);
        }
        // The nodes keep real time, as Quartz does: the certificates are made to expire in 59 days, so each crossed
        // its 60-day reminder yesterday.
        var expiresAt = DateTime.UtcNow.AddDays(59);
        await _a.WithDbAsync(db => db.Certificates.ExecuteUpdateAsync(s => s.SetProperty(c => c.ExpiresAt, expiresAt)));

        var scheduler = await _b.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(DailyJob.Key);

        var reminders = await WaitAsync(async () =>
        {
            var rows = await _a.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Kind == OutboxKinds.Reminder).ToListAsync());
            return rows.Count == holders.Length && rows.All(m => m.State == OutboxState.Sent) ? rows : null;
        });

        // One firing of the daily job in the whole cluster, and every reminder received exactly once.
        Assert.Single(_jobs.Executions, e => e.Job == DailyJob.Key);
        foreach (var reminder in reminders)
        {
            Assert.Single(_a.Smtp.Messages, m => m.MessageId == OutboxMessage.MessageIdFor(reminder.IdempotencyKey));
        }
        Assert.Equal(holders.Select(h => h.Item1).Order(), reminders.Select(r => r.To).Order());
    }

    [PostgresFact]
    public async Task ANodeStoppedMidBatch_TheOtherRecoversItsJob_AndFinishes_NothingLost()
    {
        _armed = true;
        var messages = await _a.EnqueueAsync(3 * BatchSize, "two-node");

        // The node that took the batch dies: its scheduler stops without waiting (no more check-ins), its job never ends.
        var dead = await _frozen.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var (deadSite, survivor, survivorName) = dead == "A" ? (_a, _b, "B") : (_b, _a, "A");
        await (await deadSite.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).Shutdown(waitForJobsToComplete: false);
        // The survivor's cluster manager finds the dead node silent, recovers its firing and takes over the pending
        // messages. Those the dead node had claimed wait for their lease; once it has run out, the survivor sends them too.
        await WaitAsync(async () => await survivor.WithDbAsync(async db =>
            !await db.OutboxMessages.AnyAsync(m => m.State == OutboxState.Pending)
            && await db.OutboxMessages.CountAsync(m => m.State == OutboxState.Sending) == BatchSize - 1) ? "only the dead node's claims left" : null);
        // The lease running out, without waiting minutes: the claims are dated back past it.
        var lease = survivor.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailOptions>>().Value.Outbox.LeaseMinutes;
        var longAgo = DateTime.UtcNow.AddMinutes(-lease - 1);
        Assert.Equal(BatchSize - 1, await survivor.WithDbAsync(db => db.OutboxMessages.Where(m => m.State == OutboxState.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedAt, longAgo))));
        var sent = await WaitAsync(async () =>
        {
            var rows = await survivor.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.IdempotencyKey.StartsWith("test:two-node:")).ToListAsync());
            return rows.All(m => m.State == OutboxState.Sent) ? rows : null;
        });

        Assert.Equal(messages.Count, sent.Count);
        Assert.Contains(_jobs.Executions, e => e.Node == survivorName && e.Job == SendOutboxJob.Key && e.Recovering);
        var received = _a.Smtp.Messages.Where(m => m.Subject!.Contains("two-node", StringComparison.Ordinal)).GroupBy(m => m.MessageId).ToList();
        Assert.Equal(messages.Select(m => OutboxMessage.MessageIdFor(m.IdempotencyKey)).Order(), received.Select(g => g.Key).Order());
        // Only the message the dead node had handed to the server but not yet marked is delivered twice, with the same Message-ID.
        var twice = Assert.Single(received, g => g.Count() > 1);
        Assert.Equal(2, twice.Count());
        Assert.Equal(OutboxMessage.MessageIdFor(messages[1].IdempotencyKey), twice.Key);
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (await probe() is { } done)
            {
                return done;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The nodes did not finish within 90 seconds.");
            }
            await Task.Delay(200);
        }
    }

    private sealed record NodeName(string Value);

    /// <summary>Every job execution on either node: which node, which job, whether it was a recovery.</summary>
    private sealed class JobRecorder
    {
        public ConcurrentQueue<Execution> Queue { get; } = new();

        public IReadOnlyList<Execution> Executions => [.. Queue];

        public sealed record Execution(string Node, JobKey Job, bool Recovering);

        public sealed class Listener(JobRecorder recorder, string node) : IJobListener
        {
            public string Name => "two-node-recorder-" + node;

            public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

            public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

            public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
            {
                recorder.Queue.Enqueue(new Execution(node, context.JobDetail.Key, context.Recovering));
                return ValueTask.CompletedTask;
            }

            public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken = default) =>
                ValueTask.CompletedTask;
        }
    }
}
