using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Practitioners.Web.Infrastructure.Data;

/// <summary>
/// SQLite settings every connection needs: wait for a lock instead of failing at once, and enforce foreign keys.
/// Provider-specific SQL for SQLite lives here.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 5000;
    private const string PerConnection = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = PerConnection;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = PerConnection;
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
