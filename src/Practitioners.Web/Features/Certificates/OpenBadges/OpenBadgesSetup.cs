namespace Practitioners.Web.Features.Certificates.OpenBadges;

public static class OpenBadgesSetup
{
    public static WebApplicationBuilder AddOpenBadges(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("OpenBadges").Get<OpenBadgesSettings>() ?? new OpenBadgesSettings();
        var path = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, settings.KeyFile));
        // Only throwaway environments may make a key; elsewhere a missing key is an operator's mistake to fix.
        var mayCreate = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        builder.Services.AddSingleton(_ => IssuerKey.LoadOrCreate(path, mayCreate));
        builder.Services.AddHostedService<IssuerKeyCheck>();
        builder.Services.AddScoped<OpenBadgeDocuments>();
        builder.Services.AddScoped<IssueOpenBadge>();
        builder.Services.AddScoped<VerifyOpenBadge>();
        return builder;
    }

    /// <summary>Loads the key as the host starts, so a missing or unreadable key stops start-up, not the first download.</summary>
    private sealed class IssuerKeyCheck(IssuerKey key, ILogger<IssuerKeyCheck> log) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            log.LogInformation("Open Badges issuer key {KeyId} loaded.", key.KeyId);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
