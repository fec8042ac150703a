using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data.Seeding;
using Practitioners.Web.Infrastructure.Data;

namespace Practitioners.Web.Data;

public static class DataSetup
{
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        var connectionString = SqliteConnectionStrings.Resolve(
            builder.Configuration.GetConnectionString("Default")
                ?? throw new InvalidOperationException("ConnectionStrings:Default is not set."),
            builder.Environment.ContentRootPath);

        var database = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection("Database"));
        // Microsoft.Data.Sqlite retries a locked statement until its command timeout (also used by BEGIN); SQLite's busy
        // handler waits inside each try. Both get the one configured figure.
        connectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = database.BusyTimeoutSeconds }.ToString();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new SqlitePragmas(database.BusyTimeoutSeconds));
        builder.Services.AddDbContext<AppDbContext>((sp, options) => options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(AppDbContext).Assembly.FullName)
                .CommandTimeout(database.BusyTimeoutSeconds))
            .AddInterceptors(sp.GetRequiredService<SqlitePragmas>()));
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

    /// <summary>Applies migrations and makes sure the site's roles exist.</summary>
    public static async Task MigrateAsync(this WebApplication app)
    {
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
