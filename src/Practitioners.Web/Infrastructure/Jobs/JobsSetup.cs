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

        var connectionString = SqliteConnectionStrings.Resolve(
            builder.Configuration.GetConnectionString("Default") ?? throw new InvalidOperationException("ConnectionStrings:Default is not set."),
            builder.Environment.ContentRootPath);
        var at = jobs.DailyTime;
        builder.Services.AddQuartz(quartz =>
        {
            // The schedule lives in the site's database (tables QRTZ_*), so it survives restarts and Quartz knows
            // which runs it missed while the site was down.
            quartz.UsePersistentStore(store =>
            {
                store.UseSqlite(connectionString);
                store.UseSystemTextJsonSerializer();
                // Quartz creates its own tables; without this it only checks them, and start-up fails on a new database.
                store.ProvisionSchema();
                if (jobs.Clustered)
                {
                    // SQLite is one node's file: clustering needs PostgreSQL (store.UsePostgres) and a node id per process.
                    throw new InvalidOperationException("Jobs:Clustered needs a PostgreSQL job store; the site runs on SQLite.");
                }
            });

            // 08:00 in the site's zone by default. Missed (site down at 08:00): fire once as soon as it is back.
            quartz.ScheduleJob<DailyJob>(
                trigger => trigger.WithIdentity("daily-sweep")
                    .WithSchedule(CronScheduleBuilder.Create($"0 {at.Minute} {at.Hour} * * ?")
                        .InTimeZone(jobs.Zone)
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
                job => job.WithIdentity(DailyJob.Key));

            quartz.ScheduleJob<SendOutboxJob>(
                trigger => trigger.WithIdentity("send-outbox")
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(jobs.SendOutboxEverySeconds)).RepeatForever()
                        .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)),
                job => job.WithIdentity(SendOutboxJob.Key));
        });
        // A trigger declared here replaces the stored one (so a new DailyAt takes effect) but keeps its last fire time,
        // so a run missed while the site was down still counts as missed and fires once at start-up.
        builder.Services.Configure<QuartzOptions>(options => options.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
