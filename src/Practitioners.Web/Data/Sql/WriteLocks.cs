using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Practitioners.Web.Data.Sql;

/// <summary>What a write lock guards. The number is the lock's first key in pg_locks (classid): never renumber.</summary>
public enum LockPurpose
{
    /// <summary>The next certificate number of a prefix (CFC-V-2026-).</summary>
    CertificateNumber = 1,

    /// <summary>A person's attempts at one module: at most one open, and no more than the module allows.</summary>
    QuizAttempts = 2,

    /// <summary>A study's requests and team: the team never grows past its size, one open request per person.</summary>
    StudyTeam = 3,

    /// <summary>An activity's places.</summary>
    ActivityPlaces = 4,

    /// <summary>A person's sign-ups: no two that overlap.</summary>
    PersonSignUps = 5,

    /// <summary>The next service-hours certificate number of a year (SH-2026-).</summary>
    HoursCertificateNumber = 6,

    /// <summary>A manager's decision on one admission.</summary>
    AdmissionDecision = 7,
}

/// <summary>One lock: a purpose and the id of the thing it guards (a study id, a user id, a number prefix).</summary>
public readonly record struct WriteLock(LockPurpose Purpose, string Id)
{
    public static WriteLock Of(LockPurpose purpose, object id) =>
        new(purpose, Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture) ?? "");

    /// <summary>The lock's second key (objid): FNV-1a of the id, stable across processes and versions (string.GetHashCode is not).
    /// Two ids that share a key only wait for each other, which is harmless.</summary>
    public int Key
    {
        get
        {
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(Id))
            {
                hash = (hash ^ b) * 16777619u;
            }
            return unchecked((int)hash);
        }
    }
}

/// <summary>
/// Read-then-write checks (the next number, places left, attempts left) that must see every earlier writer's commit.
/// SQLite: EF begins every transaction IMMEDIATE, so writers already run one after another and the locks are no-ops.
/// PostgreSQL (Read Committed): two transactions could read the same count and both write, so each takes a
/// transaction-scoped advisory lock (pg_advisory_xact_lock) before it reads; the lock ends with the transaction, and
/// each statement after it sees what the previous holder committed. Several locks are taken in one fixed order, so two
/// writers never wait for each other in a cycle. The two-int form keeps these apart from the start-up lock's bigint key.
/// </summary>
public static class WriteLocks
{
    /// <summary>Begins the write transaction and takes the locks in it.</summary>
    public static async Task<IDbContextTransaction> BeginWriteAsync(this AppDbContext db, CancellationToken ct, params WriteLock[] locks)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.LockAsync(ct, locks);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes the locks inside the caller's transaction; they are held until it commits or rolls back.</summary>
    public static async Task LockAsync(this AppDbContext db, CancellationToken ct, params WriteLock[] locks)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }
        if (db.Database.CurrentTransaction is null)
        {
            // Outside a transaction the lock would end with its own statement and guard nothing.
            throw new InvalidOperationException("A write lock must be taken inside a transaction.");
        }
        foreach (var l in locks.Distinct().OrderBy(l => (int)l.Purpose).ThenBy(l => l.Key))
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0}, {1})", [(int)l.Purpose, l.Key], ct);
        }
    }
}
