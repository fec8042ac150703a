using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Practitioners.Web.Data;

namespace Practitioners.TestSupport;

/// <summary>
/// The real site on a fresh database (a SQLite file with WAL and all, as in production, or a new PostgreSQL database:
/// see <see cref="TestDatabase"/>), a fake clock, and mail delivered to an in-process SMTP server.
/// Runs in the "Testing" environment, never Development.
/// </summary>
public class SiteFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "practitioners-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings = new();
    private readonly bool _ownsDatabase;
    private readonly List<Action<IServiceCollection>> _services = [];
    private bool _systemClock;

    public SiteFactory()
        : this(TestDatabase.Provider)
    {
    }

    private SiteFactory(DatabaseProvider provider)
    {
        Directory.CreateDirectory(_folder);
        Provider = provider;
        ConnectionString = provider == DatabaseProvider.Postgres ? TestDatabase.CreatePostgres() : $"Data Source={DatabasePath}";
        _ownsDatabase = true;
        Smtp = SmtpSink.Start();
    }

    private SiteFactory(SiteFactory first)
    {
        Directory.CreateDirectory(_folder);
        Provider = first.Provider;
        ConnectionString = first.ConnectionString;
        _ownsDatabase = false;
        Smtp = first.Smtp;
        _settings["OpenBadges:KeyFile"] = Path.Combine(first.Folder, "openbadges-issuer.pem");
    }

    /// <summary>A site on the given engine, whatever the suite runs on: for tests that are about that engine.</summary>
    public static SiteFactory On(DatabaseProvider provider) => new(provider);

    /// <summary>Another node of this site: the same database, issuer key and mail server; its own clock and process state.</summary>
    public SiteFactory AnotherNode() => new(this);

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Starts at a fixed, ordinary moment; tests move it forward.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    public SmtpSink Smtp { get; }

    public string DatabasePath => Path.Combine(_folder, "site.db");

    public string Folder => _folder;

    /// <summary>Adds or overrides a configuration value before the site starts.</summary>
    public SiteFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// The site keeps real time instead of <see cref="Clock"/>: for tests where Quartz fires the jobs, whose fire
    /// times, check-ins and the site's own timestamps must agree.
    /// </summary>
    public SiteFactory WithSystemClock()
    {
        _systemClock = true;
        return this;
    }

    /// <summary>Adds or replaces services before the site starts (after the site's own registrations).</summary>
    public SiteFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);
        builder.UseSetting("Email:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Email:Smtp:Port", Smtp.Port.ToString());
        builder.UseSetting("Email:PickupDirectory", "");
        builder.UseSetting("Seeding:DemoData", "false");
        builder.UseSetting("Content:Folder", Path.Combine(Repository.Root, "content"));
        // Rate limits count real time, not the test clock: tests about them set their own low limits.
        builder.UseSetting("RateLimits:AccountPerMinute", "100000");
        builder.UseSetting("RateLimits:VerificationPerMinute", "100000");
        // Background sweeps run when a test calls them, on the test's clock.
        builder.UseSetting("Jobs:Enabled", "false");
        // A fresh issuer key per site, never one written into the source tree.
        builder.UseSetting("OpenBadges:KeyFile", Path.Combine(_folder, "openbadges-issuer.pem"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFilter>();
            if (!_systemClock)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, SiteFactory> Owners = new();

    /// <summary>The site a client was made by, so helpers given only the client (sign-in) can reach the site's clock and data.</summary>
    public static SiteFactory? OwnerOf(HttpClient client) => Owners.TryGetValue(client, out var site) ? site : null;

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        Owners.AddOrUpdate(client, this);
    }

    /// <summary>Runs work against the site's database in its own scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task WithScopeAsync(Func<IServiceProvider, Task> work)
    {
        await using var scope = Services.CreateAsyncScope();
        await work(scope.ServiceProvider);
    }

    /// <summary>The test server has no socket: give requests the address a real connection would have.</summary>
    private sealed class RemoteAddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Parse("203.0.113.7");
                await nextMiddleware();
            });
            next(app);
        };
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            if (_ownsDatabase)
            {
                Smtp.Dispose();
                if (Provider == DatabaseProvider.Postgres)
                {
                    TestDatabase.DropPostgres(ConnectionString);
                }
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow CI disk is left to the temp cleaner.
            }
        }
    }
}
