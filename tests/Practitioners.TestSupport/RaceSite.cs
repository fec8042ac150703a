using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.Web.Data;

namespace Practitioners.TestSupport;

/// <summary>
/// A site for the tests of read-then-write races. A request's checks and its commit are milliseconds apart, and requests
/// posted together reach them a few milliseconds apart, so a race would show only now and then. Switching
/// <see cref="SlowSaves"/> on holds every save inside a transaction for a while: the window between reading a count and
/// committing is then wide, and a missing lock shows every time. It widens the window; it never changes an outcome.
/// </summary>
public sealed class RaceSite : SiteFactory
{
    public RaceSite() =>
        WithServices(services => services.ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(Saves)));

    public SlowSaves Saves { get; } = new();

    /// <summary>
    /// The calls all at once (<see cref="Concurrently"/>), on PostgreSQL each save inside a transaction held
    /// <paramref name="delayMs"/> ms. SQLite's writers never overlap (each transaction begins IMMEDIATE), so there the delay
    /// would only add up in the queue for the write lock, past the busy timeout on a loaded machine (a 503).
    /// </summary>
    public async Task<T[]> AllAtOnceAsync<T>(int count, Func<int, Task<T>> call, int delayMs = 100)
    {
        Saves.Delay = Provider == DatabaseProvider.Postgres ? TimeSpan.FromMilliseconds(delayMs) : TimeSpan.Zero;
        try
        {
            return await Concurrently.RunAsync(count, call);
        }
        finally
        {
            Saves.Delay = TimeSpan.Zero;
        }
    }
}

public sealed class SlowSaves : SaveChangesInterceptor
{
    /// <summary>Zero (the default) leaves saves alone: arranging a test's data stays fast.</summary>
    public TimeSpan Delay { get; set; }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (Delay > TimeSpan.Zero && eventData.Context?.Database.CurrentTransaction is not null)
        {
            await Task.Delay(Delay, cancellationToken);
        }
        return result;
    }
}
