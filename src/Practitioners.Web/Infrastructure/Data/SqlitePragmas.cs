using System.Data.Common;
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
}

/// <summary>
/// SQLite settings every connection needs: wait for a lock instead of failing at once, and enforce foreign keys.
/// Provider-specific SQL for SQLite lives here.
/// </summary>
public sealed class SqlitePragmas(int busyTimeoutSeconds) : DbConnectionInterceptor
{
    private readonly string _perConnection =
        $"PRAGMA busy_timeout = {Math.Max(busyTimeoutSeconds, 0) * 1000}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _perConnection;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _perConnection;
        await command.ExecuteNonQueryAsync(cancellationToken);
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
