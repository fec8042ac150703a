using System.Globalization;

namespace Practitioners.Web.Infrastructure.Jobs;

/// <summary>The "Jobs" settings section.</summary>
public sealed class JobOptions
{
    /// <summary>Off in tests, which call the jobs' work directly on their own clock.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local time of the daily run, HH:mm, in <see cref="TimeZone"/>.</summary>
    public string DailyAt { get; set; } = "08:00";

    /// <summary>The site's time zone: the daily run and the dates in emails are in it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>
    /// PostgreSQL only, where the scheduler is always clustered: how often a node tells the others it is alive.
    /// A node silent for twice this long is taken as dead and its running jobs are recovered by another node.
    /// </summary>
    public int ClusterCheckinSeconds { get; set; } = 10;

    /// <summary>How often the outbox sender looks for due messages.</summary>
    public int SendOutboxEverySeconds { get; set; } = 60;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public TimeOnly DailyTime => TimeOnly.ParseExact(DailyAt, "HH:mm", CultureInfo.InvariantCulture);
}
