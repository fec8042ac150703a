using Npgsql;

namespace Practitioners.Web.Data.Sql;

/// <summary>
/// PostgreSQL only: a session advisory lock that one starting node holds while it migrates, publishes content and
/// seeds. It belongs to its own connection, so a node that dies while starting releases it with the connection.
/// SQLite needs none: it is one node's file.
/// </summary>
public sealed class StartUpLock : IDisposable
{
    /// <summary>An arbitrary constant that names the lock in pg_locks: "Practitioners start-up".</summary>
    private const long Key = 0x5072_6163_5374_7274;

    private readonly NpgsqlConnection _connection;
    private int _released;

    private StartUpLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<StartUpLock> TakeAsync(string connectionString, CancellationToken ct)
    {
        // Not pooled: closing the connection must end the session, and with it the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", Key);
        await command.ExecuteNonQueryAsync(ct);
        return new StartUpLock(connection);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            // Closing the session releases the lock.
            _connection.Dispose();
        }
    }
}
