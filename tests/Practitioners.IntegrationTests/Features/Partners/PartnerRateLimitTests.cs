using System.Net;
using System.Text.Json;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Partners;

namespace Practitioners.IntegrationTests.Features.Partners;

public sealed class PartnerRateLimitSite : SiteFactory
{
    public PartnerRateLimitSite() => With("RateLimits:PartnerApiPerMinute", "3");
}

public sealed class PartnerRateLimitTests : IClassFixture<PartnerRateLimitSite>
{
    private readonly PartnerRateLimitSite _site;

    public PartnerRateLimitTests(PartnerRateLimitSite site) => _site = site;

    [Fact]
    public async Task PastTheLimit_Is429_WithRetryAfter_PerClient()
    {
        var busy = await _site.ApiClientAsync("busy", await _site.RegisterMachineAsync("busy", [PartnerScopes.CredentialsVerify]));
        var quiet = await _site.ApiClientAsync("quiet", await _site.RegisterMachineAsync("quiet", [PartnerScopes.CredentialsVerify]));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await busy.GetAsync("/api/v1/credentials/CFC-V-2026-999999")).StatusCode);
        }
        var refused = await busy.GetAsync("/api/v1/credentials/CFC-V-2026-999999");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        // Another partner is not slowed down by the busy one.
        Assert.Equal(HttpStatusCode.NotFound, (await quiet.GetAsync("/api/v1/credentials/CFC-V-2026-999999")).StatusCode);
    }
}
