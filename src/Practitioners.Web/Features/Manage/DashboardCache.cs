using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Training;

namespace Practitioners.Web.Features.Manage;

/// <summary>
/// One reading of a scope's dashboard serves every view of that scope for a few seconds (Manage:DashboardCacheSeconds,
/// 10 by default; 0 turns it off), so managers opening the same street's dashboard at once share one set of queries.
/// A change to admissions, signatures, certificates or completions saved through this process makes the next view
/// read afresh; changes made elsewhere (another node, the daily sweep's set-based updates) show within the lifetime.
/// The page says when its figures were read.
/// </summary>
public sealed class DashboardCache(TimeProvider clock, IConfiguration configuration)
{
    private const int MaxEntries = 1_000;

    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(configuration.GetValue("Manage:DashboardCacheSeconds", 10));
    private readonly ConcurrentDictionary<(string Scope, string Culture, long Generation), Lazy<Task<Entry>>> _entries = new();
    private long _generation;

    public sealed record Entry(DateTime ReadAt, ManageReading Reading);

    public async Task<Entry> GetAsync(IReadOnlyList<int> communities, string culture, Func<Task<ManageReading>> read)
    {
        if (_lifetime <= TimeSpan.Zero)
        {
            return new Entry(clock.GetUtcNow().UtcDateTime, await read());
        }
        var key = (string.Join(',', communities.Order()), culture, Interlocked.Read(ref _generation));
        while (true)
        {
            var lazy = _entries.GetOrAdd(key, _ => new Lazy<Task<Entry>>(async () => new Entry(clock.GetUtcNow().UtcDateTime, await read())));
            Entry entry;
            try
            {
                entry = await lazy.Value;
            }
            catch
            {
                // A failed reading is not kept: the next view tries again.
                _entries.TryRemove(KeyValuePair.Create(key, lazy));
                throw;
            }
            if (clock.GetUtcNow().UtcDateTime - entry.ReadAt < _lifetime)
            {
                return entry;
            }
            _entries.TryRemove(KeyValuePair.Create(key, lazy));
            if (_entries.Count > MaxEntries)
            {
                _entries.Clear();
            }
        }
    }

    /// <summary>Something a dashboard shows has changed: the next view of every scope reads afresh.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}

/// <summary>What the dashboard page reads: the figures and the first page of each queue.</summary>
public sealed record ManageReading(DashboardNumbers Numbers, IReadOnlyList<QueueItem> Countersign, IReadOnlyList<QueueItem> Approvals);

/// <summary>
/// Tells <see cref="DashboardCache"/> when a save touched what dashboards show, once it is durable: after the save
/// outside a transaction, after the commit inside one.
/// </summary>
public sealed class DashboardChanges(DashboardCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly HashSet<Type> Watched =
        [typeof(Admission), typeof(Signature), typeof(Certificate), typeof(CertificateEvent), typeof(ModuleCompletion)];

    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context, committed: eventData.Context?.Database.CurrentTransaction is null);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, committed: eventData.Context?.Database.CurrentTransaction is null);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? db)
    {
        if (db is not null && db.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && Watched.Contains(e.Metadata.ClrType)))
        {
            _pending.AddOrUpdate(db, db);
        }
    }

    private void Flush(DbContext? db, bool committed)
    {
        if (committed && db is not null && _pending.TryGetValue(db, out _))
        {
            _pending.Remove(db);
            cache.Changed();
        }
    }

    private void Forget(DbContext? db)
    {
        if (db is not null)
        {
            _pending.Remove(db);
        }
    }
}
