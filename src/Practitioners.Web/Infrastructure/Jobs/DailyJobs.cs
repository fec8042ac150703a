using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Partners;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Features.Studies;
using Practitioners.Web.Infrastructure.Email;
using Quartz;

namespace Practitioners.Web.Infrastructure.Jobs;

/// <summary>
/// The daily work, in order: pause admissions whose agreement re-signing is overdue, lapse those whose certificate
/// expired, bring study places in line with credentials, plan and render the expiry reminders, (once a week) the managers' digest,
/// and prune partner tokens and authorizations that ended more than two weeks ago. Each step is idempotent,
/// so a catch-up run after downtime, or a run by hand, does no harm; a failing step does not stop the others.
/// </summary>
public sealed class DailySweep(IServiceScopeFactory scopes, ILogger<DailySweep> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var paused = await StepAsync("pause overdue admissions", sp => sp.GetRequiredService<PauseOverdueAdmissions>().RunAsync(ct));
        var lapsed = await StepAsync("lapse expired admissions", sp => sp.GetRequiredService<LapseExpiredAdmissions>().RunAsync(ct));
        var studies = await StepAsync("sync study enrolments", async sp =>
        {
            var r = await sp.GetRequiredService<SyncEnrolmentsWithCredentials>().RunAsync(ct);
            return r.Ended + r.Suspended + r.Resumed;
        });
        var reminders = await StepAsync("plan reminders", async sp => (await sp.GetRequiredService<PlanReminders>().RunAsync(ct)).Rendered);
        var digests = await StepAsync("managers' digest", sp => sp.GetRequiredService<SendManagerDigests>().RunAsync(ct));
        var pruned = await StepAsync("prune partner tokens", async sp =>
        {
            var (tokens, authorizations) = await sp.GetRequiredService<PruneTokens>().RunAsync(ct);
            return (int)Math.Min(int.MaxValue, tokens + authorizations);
        });
        logger.LogInformation(
            "Daily sweep: {Paused} admission(s) paused for an overdue agreement, {Lapsed} lapsed, {Studies} study place(s) changed, {Reminders} reminder(s) and {Digests} digest(s) queued, {Pruned} finished partner token(s) and authorization(s) pruned",
            paused, lapsed, studies, reminders, digests, pruned);
    }

    /// <summary>Each step in its own scope, so one step's failed DbContext does not poison the next.</summary>
    private async Task<int> StepAsync(string name, Func<IServiceProvider, Task<int>> step)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await step(scope.ServiceProvider);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Daily sweep step '{Step}' failed; it runs again at the next sweep", name);
            return 0;
        }
    }
}

/// <summary>The daily run. Never two at once; a run missed while the site was down fires once when it is back.</summary>
[DisallowConcurrentExecution]
public sealed class DailyJob(DailySweep sweep) : IJob
{
    public static readonly JobKey Key = new("daily-sweep");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await sweep.RunAsync(cancellationToken);
}

/// <summary>Delivers the outbox every minute; pending reminders of renewed or revoked certificates are dropped first.</summary>
[DisallowConcurrentExecution]
public sealed class SendOutboxJob(IServiceScopeFactory scopes) : IJob
{
    public static readonly JobKey Key = new("send-outbox");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CancelStaleReminders>().RunAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<SendOutbox>().RunAsync(cancellationToken);
    }
}
