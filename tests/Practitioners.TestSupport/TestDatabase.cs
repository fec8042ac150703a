using Npgsql;
using Practitioners.Web.Data;

namespace Practitioners.TestSupport;

/// <summary>
/// Which engine the integration suite runs on. <c>PRACTITIONERS_TEST_DATABASE=Postgres</c> runs it on PostgreSQL, with a
/// fresh database per site made through <c>PRACTITIONERS_TEST_POSTGRES</c> (a connection string of a role that may
/// create databases); anything else runs it on SQLite files. <c>tests/run-all.sh</c> runs the suite both ways.
/// </summary>
public static class TestDatabase
{
    public const string ProviderVariable = "PRACTITIONERS_TEST_DATABASE";
    public const string PostgresVariable = "PRACTITIONERS_TEST_POSTGRES";

    public static DatabaseProvider Provider { get; } =
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres
            : DatabaseProvider.Sqlite;

    /// <summary>The server the PostgreSQL tests use, or null when none is configured.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;

    /// <summary>Creates an empty database on the test server and returns its connection string.</summary>
    public static string CreatePostgres()
    {
        var server = PostgresServer ?? throw new InvalidOperationException(
            $"{ProviderVariable}=Postgres needs {PostgresVariable}, a connection string of a role that may create databases (tests/run-all.sh sets both).");
        var name = "practitioners_test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>Drops a database made by <see cref="CreatePostgres"/>, closing whatever connections are left.</summary>
    /// A connection opened by a background service between the forced disconnect and the drop makes PostgreSQL refuse
    /// the drop, so it is tried a few times; a database still left is dropped by tests/run-all.sh with the test role.
    public static void DropPostgres(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using var pooled = new NpgsqlConnection(connectionString);
        for (var attempt = 1; ; attempt++)
        {
            NpgsqlConnection.ClearPool(pooled);
            try
            {
                using var connection = new NpgsqlConnection(PostgresServer);
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
                return;
            }
            catch (PostgresException e) when (attempt < 5)
            {
                Console.Error.WriteLine($"Dropping test database {name} (attempt {attempt}): {e.SqlState} {e.MessageText}");
                Thread.Sleep(200 * attempt);
            }
            catch (PostgresException e)
            {
                Console.Error.WriteLine($"Test database {name} left for the test run's clean-up: {e.SqlState} {e.MessageText}");
                return;
            }
        }
    }
}
