using System.Globalization;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// Activities happen at a local wall-clock time (Hours:TimeZone, Asia/Shanghai by default); the database keeps UTC.
/// Forms read and pages show local times through here.
/// </summary>
public sealed class ActivityTime(IConfiguration configuration)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(configuration["Hours:TimeZone"] ?? "Asia/Shanghai");

    public DateTime ToUtc(DateOnly date, TimeOnly time) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(date.ToDateTime(time), DateTimeKind.Unspecified), Zone);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(ToLocal(utc));

    /// <summary>The UTC instant a local day starts.</summary>
    public DateTime DayStartUtc(DateOnly date) => ToUtc(date, TimeOnly.MinValue);

    public string Format(DateTime utc, string pattern = "yyyy-MM-dd HH:mm") => ToLocal(utc).ToString(pattern, CultureInfo.InvariantCulture);
}
