using Practitioners.Web.Data;
using Quartz;

namespace Practitioners.Web.Infrastructure.Jobs;

public static class JobsSetup
{
    public static WebApplicationBuilder AddJobs(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Jobs");
        builder.Services.Configure<JobOptions>(section);
        builder.Services.AddSingleton<DailySweep>();
        var jobs = section.Get<JobOptions>() ?? new JobOptions();
        if (!jobs.Enabled)
        {
            return builder;
        }

        var database = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        var at = jobs.DailyTime;
        builder.Services.AddQuartz(quartz =>
        {
            // The schedule lives in the site's database (tables QRTZ_*), so it survives restarts and Quartz knows
            // which runs it missed while the site was down.
            quartz.UsePersistentStore(store =>
            {
                if (database.IsPostgres)
                {
                    store.UsePostgres(database.ConnectionString);
                    // Every node shares one schedule: a trigger fires on exactly one node (row locks in QRTZ_LOCKS), and
                    // the nodes check in, so the triggers of a node that stops checking in are recovered by another.
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = TimeSpan.FromSeconds(jobs.ClusterCheckinSeconds);
                        cluster.CheckinMisfireThreshold = TimeSpan.FromSeconds(jobs.ClusterCheckinSeconds * 2);
                    });
                }
                else
                {
                    // SQLite is one node's file: one scheduler, never clustered.
                    store.UseSqlite(database.ConnectionString);
                }
                store.UseSystemTextJsonSerializer();
                // Quartz creates its own tables; without this it only checks them, and start-up fails on a new database.
                store.ProvisionSchema();
            });
            // The scheduler keeps real time, whatever clock the site's logic reads (tests' fake clock, Development's
            // shifted one): fire times, misfires and cluster check-ins are about the machines' time.
            quartz.UseTimeProvider(TimeProvider.System);
            if (database.IsPostgres)
            {
                // instanceId AUTO: a node id per process (host name and time), as clustering needs.
                quartz.ConfigureScheduler(scheduler => scheduler.GenerateInstanceId = true);
            }

            // 08:00 in the site's zone by default. Missed (site down at 08:00): fire once as soon as it is back.
            quartz.ScheduleJob<DailyJob>(
                trigger => trigger.WithIdentity("daily-sweep")
                    .WithSchedule(CronScheduleBuilder.Create($"0 {at.Minute} {at.Hour} * * ?")
                        .InTimeZone(jobs.Zone)
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
                // Recovery: if the node running it dies, another node runs it again (each step is idempotent).
                job => job.WithIdentity(DailyJob.Key).RequestRecovery());

            quartz.ScheduleJob<SendOutboxJob>(
                trigger => trigger.WithIdentity("send-outbox")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(jobs.SendOutboxEverySeconds)).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(SendOutboxJob.Key).RequestRecovery());
        });
        // A trigger declared here replaces the stored one (so a new DailyAt takes effect) but keeps its last fire time,
        // so a run missed while the site was down still counts as missed and fires once at start-up.
        builder.Services.Configure<QuartzOptions>(options => options.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
