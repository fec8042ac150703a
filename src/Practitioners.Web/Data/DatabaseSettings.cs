using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Practitioners.Web.Data;

public enum DatabaseProvider
{
    /// <summary>One file beside the site: one node, the default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several identical nodes may share it.</summary>
    Postgres,
}

/// <summary>The database the site runs on: <c>Database:Provider</c> and <c>ConnectionStrings:Default</c>.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Default")
            ?? throw new InvalidOperationException("ConnectionStrings:Default is not set.");
        return provider switch
        {
            DatabaseProvider.Sqlite => new(provider, SqliteConnectionStrings.Resolve(connectionString, contentRoot)),
            DatabaseProvider.Postgres => new(provider, PostgresConnectionStrings.Resolve(connectionString)),
            _ => throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not {provider}."),
        };
    }
}

public static class DatabaseSettingsExtensions
{
    /// <summary>The one place that knows how each provider is configured: the site, the design-time factories and tests use it.</summary>
    public static DbContextOptionsBuilder UseDatabase(this DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        var migrations = typeof(AppDbContext).Assembly.FullName;
        return settings.Provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(settings.ConnectionString, sqlite => sqlite.MigrationsAssembly(migrations)),
            _ => options.UseNpgsql(settings.ConnectionString, npgsql => npgsql.MigrationsAssembly(migrations)),
        };
    }
}

internal static class SqliteConnectionStrings
{
    /// <summary>A relative data source is taken from the content root, and its folder is created.</summary>
    public static string Resolve(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        var source = csb.DataSource;
        var inMemory = source.Length == 0 || source == ":memory:" || csb.Mode == SqliteOpenMode.Memory
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (!inMemory)
        {
            if (!Path.IsPathRooted(source))
            {
                source = Path.GetFullPath(Path.Combine(contentRoot, source));
                csb.DataSource = source;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        }
        return csb.ToString();
    }
}

internal static class PostgresConnectionStrings
{
    /// <summary>
    /// Every session runs in UTC, whatever the server's default: timestamps are stored as UTC, and the dashboard's
    /// day counters cast them to dates in the session's zone.
    /// </summary>
    public static string Resolve(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "UTC" }.ToString();
}
