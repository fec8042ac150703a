using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Practitioners.Web.Data;

/// <summary>
/// The same model as <see cref="AppDbContext"/> on PostgreSQL. It exists only so that EF Core keeps a second set of
/// migrations (EF picks a context's migrations by its type): they live in Data/Migrations/Postgres.
/// </summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);

/// <summary>
/// Lets `dotnet ef` build either context without starting the site; `scripts/add-migration.sh` uses both.
/// No connection is opened when a migration is added.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.UseDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=design-time.db"));
        return new AppDbContext(options.Options);
    }
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresAppDbContext>();
        options.UseDatabase(new DatabaseSettings(DatabaseProvider.Postgres, "Host=localhost;Database=design-time"));
        return new PostgresAppDbContext(options.Options);
    }
}
