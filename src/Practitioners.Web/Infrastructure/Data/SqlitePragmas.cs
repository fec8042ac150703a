using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Practitioners.Web.Infrastructure.Data;

/// <summary>The "Database" settings section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// How long a statement waits for another writer's lock before it gives up and the person gets a 503 with
    /// Retry-After. SQLite's own busy handler and Microsoft.Data.Sqlite's retry loop (the command timeout, 30 s by
    /// default) are both set to it, so there is one figure, not two that add up.
    /// </summary>
    public int BusyTimeoutSeconds { get; set; } = 10;

    /// <summary>What the 503 tells the client to wait before trying again.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// SQLite's page cache per connection, in KiB (SQLite's default is 2,048). The pool keeps a connection per concurrent
    /// request, so under 64 concurrent requests the default held up to 128 MiB of private caches; the operating system's
    /// file cache, shared by all of them, serves the rest. The upper levels of the indexes that lookups walk fit easily.
    /// </summary>
    public int SqliteCacheKilobytes { get; set; } = 512;
}

/// <summary>
/// SQLite settings every connection needs: wait for a lock instead of failing at once, and enforce foreign keys.
/// Provider-specific SQL for SQLite lives here.
/// </summary>
/// <remarks>
/// The settings belong to the native connection, which Microsoft.Data.Sqlite keeps in its pool across opens, so they
/// run once per native connection, not on every open: a page opens a connection per query, and the extra round trip
/// showed in profiles of the busiest pages.
/// </remarks>
public sealed class SqlitePragmas(int busyTimeoutSeconds, int cacheKilobytes = 2048) : DbConnectionInterceptor
{
    private readonly string _perConnection =
        $"PRAGMA busy_timeout = {Math.Max(busyTimeoutSeconds, 0) * 1000}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
        + $"PRAGMA cache_size = -{Math.Max(cacheKilobytes, 64)};";

    private readonly ConditionalWeakTable<object, object> _prepared = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsPrepared(connection))
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = _perConnection;
        command.ExecuteNonQuery();
        MarkPrepared(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsPrepared(connection))
        {
            return;
        }
        await using var command = connection.CreateCommand();
        command.CommandText = _perConnection;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkPrepared(connection);
    }

    private bool IsPrepared(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _prepared.TryGetValue(handle, out _);

    private void MarkPrepared(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _prepared.AddOrUpdate(handle, handle);
        }
    }

    /// <summary>Write-ahead logging lets readers go on while one writer commits; the mode is stored in the file.</summary>
    public static async Task EnableWriteAheadLogAsync(DbContext db)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
        }
    }
}
