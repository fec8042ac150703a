namespace Practitioners.Web.Features.Reminders;

/// <summary>The "Reminders" settings section. The offsets themselves are per credential type under "Credentials".</summary>
public sealed class ReminderSettings
{
    /// <summary>
    /// After downtime, an offset crossed up to this many days ago is still sent; older ones are skipped rather than
    /// sent late (nobody wants "60 days left" with 50 left), and a later offset supersedes an earlier one at once.
    /// </summary>
    public int CatchUpDays { get; set; } = 7;

    /// <summary>How many planned reminders are rendered per transaction.</summary>
    public int RenderBatchSize { get; set; } = 500;

    /// <summary>The managers' digest goes out on the first daily run on or after this day of each week.</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    /// <summary>The digest lists people whose certificate expires within this many days…</summary>
    public int DigestHorizonDays { get; set; } = 60;

    /// <summary>…and those whose certificate expired within this many days and was not renewed.</summary>
    public int DigestExpiredDays { get; set; } = 90;

    /// <summary>Longer lists are cut here, with a link to the community page for the rest.</summary>
    public int DigestMaxPeople { get; set; } = 200;
}

/// <summary>The expiry dates that have crossed one offset and not yet the next: ExpiresAt in [From, Before).</summary>
public readonly record struct ReminderWindow(int Offset, DateTime From, DateTime Before)
{
    /// <summary>
    /// Offsets are days before expiry (negative: after) counted in local calendar days, so the "on the expiry day"
    /// reminder goes out on that day whatever the hour of expiry. A certificate is in an offset's window from the
    /// local day it crosses the offset until it crosses the next one, or for the catch-up days, whichever is shorter.
    /// </summary>
    public static IEnumerable<ReminderWindow> For(IEnumerable<int> offsets, DateTime utcNow, TimeZoneInfo zone, int catchUpDays)
    {
        var tomorrow = TimeZoneInfo.ConvertTimeFromUtc(utcNow, zone).Date.AddDays(1);
        DateTime StartOfLocalDay(int daysFromTomorrow) =>
            TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(tomorrow.AddDays(daysFromTomorrow), DateTimeKind.Unspecified), zone);

        var sorted = offsets.Distinct().OrderDescending().ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            var offset = sorted[i];
            var from = offset - Math.Max(catchUpDays, 1);
            if (i + 1 < sorted.Count)
            {
                from = Math.Max(from, sorted[i + 1]);
            }
            yield return new ReminderWindow(offset, StartOfLocalDay(from), StartOfLocalDay(offset));
        }
    }
}
