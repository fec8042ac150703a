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
    /// Several nodes sharing one schedule. SQLite is one process's database, so this must stay off there; on
    /// PostgreSQL it makes Quartz take row locks and recover the triggers of a node that died.
    /// </summary>
    public bool Clustered { get; set; }

    /// <summary>How often the outbox sender looks for due messages.</summary>
    public int SendOutboxEverySeconds { get; set; } = 60;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public TimeOnly DailyTime => TimeOnly.ParseExact(DailyAt, "HH:mm", CultureInfo.InvariantCulture);
}
