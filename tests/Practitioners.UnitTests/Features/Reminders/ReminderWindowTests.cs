using Practitioners.Web.Features.Reminders;

namespace Practitioners.UnitTests.Features.Reminders;

public sealed class ReminderWindowTests
{
    [Fact]
    public void Windows_CoverEachLocalDayOnce_AndStopAtTheNextOffsetOrTheCatchUp()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        // 2026-05-01 09:00 in Shanghai.
        var now = new DateTime(2026, 5, 1, 1, 0, 0, DateTimeKind.Utc);
        var windows = ReminderWindow.For([7, 60, 0, 30, 30], now, zone, catchUpDays: 7).ToList();

        Assert.Equal([60, 30, 7, 0], windows.Select(w => w.Offset));
        // Crossed 60 days before expiry today or in the last 6 days: expiry on 2026-06-24 .. 2026-06-30 local.
        Assert.Equal(new DateTime(2026, 6, 23, 16, 0, 0, DateTimeKind.Utc), windows[0].From);
        Assert.Equal(new DateTime(2026, 6, 30, 16, 0, 0, DateTimeKind.Utc), windows[0].Before);
        // Seven days: until the next offset (0), not the catch-up.
        Assert.Equal(new DateTime(2026, 5, 1, 16, 0, 0, DateTimeKind.Utc), windows[2].From);
        Assert.Equal(new DateTime(2026, 5, 8, 16, 0, 0, DateTimeKind.Utc), windows[2].Before);
        // The expiry day itself: anything expiring today, local, whatever the hour.
        Assert.Equal(new DateTime(2026, 5, 1, 16, 0, 0, DateTimeKind.Utc), windows[3].Before);
    }
}
