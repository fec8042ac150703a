using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Partners;
using Practitioners.Web.Infrastructure.Jobs;

namespace Practitioners.IntegrationTests.Features.Partners;

public sealed class PartnerMaintenanceTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public PartnerMaintenanceTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task TheDemoClients_AreSeededOnce_WithTheDocumentedSecrets()
    {
        for (var run = 0; run < 2; run++)
        {
            await _site.WithScopeAsync(sp => sp.GetRequiredService<PartnerSeeder>().SeedAsync(CancellationToken.None));
        }

        var ids = await _site.WithDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientId!).ToListAsync());
        Assert.Single(ids, id => id == PartnerSeeder.VerifierId);
        Assert.Single(ids, id => id == PartnerSeeder.PartnerAppId);
        var token = await _site.CreateClient().RequestTokenAsync(PartnerSeeder.VerifierId, PartnerSeeder.VerifierSecret, PartnerScopes.CredentialsVerify);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        PartnerClientView? app = null;
        await _site.WithScopeAsync(async sp => app = await sp.GetRequiredService<ClientRegistry>().FindAsync(PartnerSeeder.PartnerAppId, CancellationToken.None));
        Assert.Equal([PartnerSeeder.PartnerAppRedirect], app!.RedirectUris);
        Assert.Equal(["credentials", "email", "openid", "profile"], app.Scopes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheDailySweep_PrunesTokensLongExpired_AndKeepsRecentOnes()
    {
        var secret = await _site.RegisterMachineAsync("verifier-prune", [PartnerScopes.CredentialsVerify]);
        await _site.ApiClientAsync("verifier-prune", secret);
        _site.Clock.Advance(PruneTokens.KeepFor + TimeSpan.FromDays(1));
        await _site.ApiClientAsync("verifier-prune", secret);

        var before = await _site.WithDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(t => t.Application!.ClientId == "verifier-prune"));

        await _site.Services.GetRequiredService<DailySweep>().RunAsync(CancellationToken.None);

        Assert.Equal(2, before);
        Assert.Equal(1, await _site.WithDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .CountAsync(t => t.Application!.ClientId == "verifier-prune")));
    }
}
