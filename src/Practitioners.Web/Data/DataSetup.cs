using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Practitioners.Web.Data.Seeding;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Infrastructure.Data;

namespace Practitioners.Web.Data;

public static class DataSetup
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var database = DatabaseSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        var busy = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection("Database"));
        builder.Services.AddSingleton(TimeProvider.System);
        if (database.IsPostgres)
        {
            builder.Services.AddSingleton(database);
            // Same model, its own migrations (Data/Migrations/Postgres); everything asks for AppDbContext. What features
            // add with ConfigureDbContext<AppDbContext> (the outbox's after-commit interceptor) applies here too.
            builder.Services.AddDbContext<AppDbContext, PostgresAppDbContext>((sp, options) =>
            {
                foreach (var configuration in sp.GetServices<IDbContextOptionsConfiguration<AppDbContext>>())
                {
                    configuration.Configure(sp, options);
                }
                options.UseDatabase(database);
            });
        }
        else
        {
            // Microsoft.Data.Sqlite retries a locked statement until its command timeout (also used by BEGIN); SQLite's
            // busy handler waits inside each try. Both get the one configured figure.
            database = database with
            {
                ConnectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString) { DefaultTimeout = busy.BusyTimeoutSeconds }.ToString(),
            };
            builder.Services.AddSingleton(database);
            builder.Services.AddSingleton(new SqlitePragmas(busy.BusyTimeoutSeconds, busy.SqliteCacheKilobytes));
            builder.Services.AddDbContext<AppDbContext>((sp, options) => options
                .UseDatabase(database)
                .AddInterceptors(sp.GetRequiredService<SqlitePragmas>()));
        }
        builder.AddDatabaseBusyResponses();

        // Data-protection keys live in the database so cookies and antiforgery tokens survive restarts
        // and are shared by every node that uses the same database.
        builder.Services.AddDataProtection()
            .SetApplicationName("Practitioners")
            .PersistKeysToDbContext<AppDbContext>();

        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        builder.Services.AddScoped<RoleSeeder>();
        builder.Services.AddScoped<DemoSeeder>();
        return builder;
    }

    /// <summary>
    /// Applies migrations and makes sure the site's roles exist. On PostgreSQL, where several nodes may start at once,
    /// the node first takes the start-up lock and keeps it until it serves requests, so migrations, content
    /// publishing and seeding run on one node at a time and the next one finds them done.
    /// </summary>
    public static async Task MigrateAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<DatabaseSettings>();
        if (database.IsPostgres)
        {
            var startUp = await StartUpLock.TakeAsync(database.ConnectionString, CancellationToken.None);
            app.Lifetime.ApplicationStarted.Register(startUp.Dispose);
            app.Lifetime.ApplicationStopping.Register(startUp.Dispose);
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await SqlitePragmas.EnableWriteAheadLogAsync(db);
        await db.Database.MigrateAsync();
        await scope.ServiceProvider.GetRequiredService<RoleSeeder>().SeedAsync();
    }

    /// <summary>Loads the demo data when the environment asks for it (Development).</summary>
    public static async Task SeedDemoDataAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        if (app.Configuration.GetValue<bool>("Seeding:DemoData"))
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
        }
    }
}
