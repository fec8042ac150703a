using Microsoft.AspNetCore.Authentication.Cookies;

namespace Practitioners.Web.Infrastructure.Clock;

/// <summary>
/// Development only: the system clock plus an offset an admin can move forward, to see what the site does on later
/// days (reminders, expiry). Timers and elapsed-time measurements stay on the real clock.
/// </summary>
public sealed class ShiftedTimeProvider(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

public static class ShiftedClockSetup
{
    /// <summary>Replaces the site's clock with a shiftable one. Only ever called in Development.</summary>
    public static IServiceCollection AddShiftedClock(this IServiceCollection services)
    {
        var clock = new ShiftedTimeProvider(TimeProvider.System);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        // The admin's sign-in keeps real time, or moving the clock a month would sign them out.
        services.PostConfigureAll<CookieAuthenticationOptions>(options => options.TimeProvider = TimeProvider.System);
        return services;
    }
}
