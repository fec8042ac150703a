using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>Times of the hours tests: activities are at local (Asia/Shanghai, UTC+8) wall-clock times, days after the clock's now.</summary>
internal static class HoursArrange
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>A local day <paramref name="daysAhead"/> after the site clock's local today.</summary>
    public static DateOnly Day(this SiteFactory site, int daysAhead = 2) =>
        DateOnly.FromDateTime((site.Clock.GetUtcNow() + Offset).DateTime).AddDays(daysAhead);

    /// <summary>Moves the site clock to a local time on a local day.</summary>
    public static void MoveTo(this SiteFactory site, DateOnly day, string hhmm) =>
        site.Clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(TimeOnly.Parse(hhmm, System.Globalization.CultureInfo.InvariantCulture)), Offset));

    /// <summary>Moves the clock and signs the people in again: a sign-in lasts 8 hours, and the clock jumps days.</summary>
    public static async Task MoveToAsync(this SiteFactory site, DateOnly day, string hhmm, params (HttpClient Client, string Email)[] people)
    {
        site.MoveTo(day, hhmm);
        foreach (var (client, email) in people)
        {
            await client.SignInAsync(email);
        }
    }

    public static Task<int> SignUpIdAsync(this SiteFactory site, int activityId, string userId) =>
        site.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == activityId && s.UserId == userId && s.CancelledAt == null).Select(s => s.Id).SingleAsync());
}
