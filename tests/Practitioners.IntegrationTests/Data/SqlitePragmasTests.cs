using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Data;

namespace Practitioners.IntegrationTests.Data;

/// <summary>The per-connection settings hold on every open, including the opens served from the connection pool.</summary>
public sealed class SqlitePragmasTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public SqlitePragmasTests(SiteFactory site) => _site = site;

    [SqliteFact]
    public async Task EveryOpen_HasTheBusyTimeoutForeignKeysAndCacheSize_NewOrPooled()
    {
        // Several contexts at once force new native connections; the later rounds reuse them from the pool.
        for (var round = 0; round < 3; round++)
        {
            var settings = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
            {
                using var scope = _site.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await db.Database.OpenConnectionAsync();
                var busy = await db.Database.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync();
                var keys = await db.Database.SqlQueryRaw<long>("SELECT foreign_keys AS \"Value\" FROM pragma_foreign_keys").SingleAsync();
                var cache = await db.Database.SqlQueryRaw<long>("SELECT cache_size AS \"Value\" FROM pragma_cache_size").SingleAsync();
                await Task.Delay(20);
                await db.Database.CloseConnectionAsync();
                return (busy, keys, cache);
            }));
            Assert.All(settings, s => Assert.Equal((10_000L, 1L, -512L), s));
        }
    }
}
