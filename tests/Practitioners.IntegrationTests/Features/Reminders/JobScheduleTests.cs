using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Infrastructure.Jobs;
using Quartz;

namespace Practitioners.IntegrationTests.Features.Reminders;

/// <summary>The one test that starts Quartz: the schedule is stored in the site's database, as configured.</summary>
public sealed class JobScheduleTests : IDisposable
{
    private readonly SiteFactory _site = ReminderSteps.NewSite().With("Jobs:Enabled", "true").With("Jobs:DailyAt", "07:30");

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task DailySweep_IsStoredInTheDatabase_AtTheLocalTime_FiringOnceAfterDowntime_NeverTwiceAtOnce()
    {
        _ = _site.CreateClient();
        var scheduler = await _site.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey("daily-sweep")));
        Assert.Equal("0 30 7 * * ?", trigger.CronExpressionString);
        Assert.Equal("Asia/Shanghai", trigger.TimeZone.Id);
        Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, trigger.MisfireInstruction);
        var job = await scheduler.GetJobDetail(DailyJob.Key);
        Assert.NotNull(job);
        Assert.True(job.ConcurrentExecutionDisallowed);
        Assert.NotNull(await scheduler.GetTrigger(new TriggerKey("send-outbox")));

        // Unquoted, the name is QRTZ_TRIGGERS on SQLite and qrtz_triggers on PostgreSQL, as Quartz made them.
        Assert.Equal(2L, await _site.WithDbAsync(db => db.Database
            .SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME IN ('daily-sweep', 'send-outbox')")
            .SingleAsync()));
    }
}
