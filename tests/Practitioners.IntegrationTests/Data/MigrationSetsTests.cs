using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Practitioners.Web.Data;

namespace Practitioners.IntegrationTests.Data;

/// <summary>
/// Each provider keeps its own generated migrations. A model change that reached one set and not the other (a branch
/// merged without running scripts/add-migration.sh) fails here, before any database sees it.
/// </summary>
public sealed class MigrationSetsTests
{
    public static TheoryData<string> Contexts => [nameof(AppDbContext), nameof(PostgresAppDbContext)];

    [Theory]
    [MemberData(nameof(Contexts))]
    public void EachProvidersMigrations_MatchTheModel(string context)
    {
        using DbContext db = context == nameof(AppDbContext)
            ? new SqliteDesignTimeFactory().CreateDbContext([])
            : new PostgresDesignTimeFactory().CreateDbContext([]);

        var migrations = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"{context}: the model has changes that no migration holds; run: bash scripts/add-migration.sh <Name>");
        // The PostgreSQL set is its own, never the SQLite one seen through a derived type.
        var assembly = db.GetService<IMigrationsAssembly>();
        Assert.All(assembly.Migrations.Values, m => Assert.Equal(
            context == nameof(AppDbContext) ? "Practitioners.Web.Data.Migrations" : "Practitioners.Web.Data.Migrations.Postgres", m.Namespace));
    }
}
