using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Partners;

namespace Practitioners.IntegrationTests.Features.Partners;

public sealed class PartnerApiTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public PartnerApiTests(SiteFactory site) => _site = site;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task ClientCredentials_GetAToken_ThenLookUpACertificate_ByNumber()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("api-holder@example.cn", "郑一");
        var secret = await _site.RegisterMachineAsync("verifier-ok", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("verifier-ok", secret, PartnerScopes.CredentialsVerify);

        var response = await api.GetAsync($"/api/v1/credentials/{certificate.Number}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await JsonAsync(response);
        Assert.Equal(certificate.Number, json.GetProperty("number").GetString());
        Assert.Equal("V", json.GetProperty("type").GetString());
        Assert.Equal("volunteer", json.GetProperty("track").GetString());
        Assert.Equal("valid", json.GetProperty("status").GetString());
        Assert.Equal("郑一", json.GetProperty("holderName").GetString());
        Assert.StartsWith("测试社区", json.GetProperty("community").GetProperty("nameZh").GetString());
        Assert.Equal(certificate.IssuedAt, json.GetProperty("issuedAt").GetDateTime().ToUniversalTime());
        Assert.Equal(certificate.ExpiresAt, json.GetProperty("expiresAt").GetDateTime().ToUniversalTime());
        Assert.Equal(["issued"], json.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()!).ToArray());
        // The verifier learns only what verification needs.
        Assert.False(json.TryGetProperty("email", out _));
        await _site.Services.GetRequiredService<Practitioners.Web.Features.Audit.VerificationLog>().FlushAsync();
        Assert.Equal(1, await _site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "verification.valid" && e.SubjectId == certificate.Number
            && e.ActorUserId == "client:verifier-ok")));
    }

    [Fact]
    public async Task NoScopeAsked_TheTokenCarriesEveryScopeTheClientHolds()
    {
        var secret = await _site.RegisterMachineAsync("verifier-default-scope", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("verifier-default-scope", secret);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/credentials/CFC-V-2026-999999")).StatusCode);
    }

    [Fact]
    public async Task WrongSecret_Is401_InvalidClient()
    {
        await _site.RegisterMachineAsync("verifier-wrong-secret", [PartnerScopes.CredentialsVerify]);

        var response = await _site.CreateClient().RequestTokenAsync("verifier-wrong-secret", "not-the-secret", PartnerScopes.CredentialsVerify);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AskingForAScopeTheClientDoesNotHold_GetsNoToken()
    {
        var secret = await _site.RegisterMachineAsync("roster-asks-verify", [PartnerScopes.RosterRead], (await _site.CreateCommunityAsync("c-asks")).Id);

        var response = await _site.CreateClient().RequestTokenAsync("roster-asks-verify", secret, PartnerScopes.CredentialsVerify);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // OpenIddict answers invalid_request here ("not allowed to use the specified scope"); no token either way.
        var error = await JsonAsync(response);
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Contains("scope", error.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task RosterOnlyClient_CallingTheCredentialLookup_Is403()
    {
        var community = await _site.CreateCommunityAsync("c-roster-only");
        var secret = await _site.RegisterMachineAsync("roster-only", [PartnerScopes.RosterRead], community.Id);
        var api = await _site.ApiClientAsync("roster-only", secret, PartnerScopes.RosterRead);

        var response = await api.GetAsync("/api/v1/credentials/CFC-V-2026-000001");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("insufficient_access", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task NoToken_OrABadToken_Is401_AsProblemJson()
    {
        var anonymous = _site.CreateClient();
        await AssertProblemAsync(await anonymous.GetAsync("/api/v1/credentials/CFC-V-2026-000001"), HttpStatusCode.Unauthorized);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        await AssertProblemAsync(await anonymous.GetAsync("/api/v1/credentials/CFC-V-2026-000001"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("CFC-X-2026-000001")]
    [InlineData("CFC-V-26-000001")]
    [InlineData("hello")]
    public async Task MalformedNumber_Is400_ProblemJson(string number)
    {
        var secret = await _site.RegisterMachineAsync("verifier-malformed-" + number.Length, [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("verifier-malformed-" + number.Length, secret);

        await AssertProblemAsync(await api.GetAsync($"/api/v1/credentials/{number}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownNumber_Is404_ProblemJson()
    {
        var secret = await _site.RegisterMachineAsync("verifier-unknown", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("verifier-unknown", secret);

        await AssertProblemAsync(await api.GetAsync("/api/v1/credentials/CFC-R-2019-123456"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RosterClient_ReadsItsCommunity_ButNotAnother()
    {
        var (_, certificate, communityId) = await _site.CertifiedAsync("roster-holder@example.cn", "冯二");
        var other = await _site.CreateCommunityAsync("c-roster-other");
        var secret = await _site.RegisterMachineAsync("roster-reader", [PartnerScopes.RosterRead], communityId);
        var api = await _site.ApiClientAsync("roster-reader", secret);

        var response = await api.GetAsync($"/api/v1/communities/{communityId}/roster?page=1&pageSize=10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonAsync(response);
        Assert.Equal(1, json.GetProperty("total").GetInt32());
        var entry = json.GetProperty("items")[0];
        Assert.Equal("冯二", entry.GetProperty("name").GetString());
        Assert.Equal("active", entry.GetProperty("admission").GetString());
        Assert.Equal(certificate.Number, entry.GetProperty("certificate").GetProperty("number").GetString());
        Assert.Equal("valid", entry.GetProperty("certificate").GetProperty("status").GetString());

        await AssertProblemAsync(await api.GetAsync($"/api/v1/communities/{other.Id}/roster"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await api.GetAsync($"/api/v1/communities/{communityId}/roster?pageSize=1000"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RotatedSecret_TheOldOneStopsWorking()
    {
        var old = await _site.RegisterMachineAsync("verifier-rotate", [PartnerScopes.CredentialsVerify]);
        string? fresh = null;
        await _site.WithScopeAsync(async sp => fresh = await sp.GetRequiredService<ClientRegistry>().RotateSecretAsync("verifier-rotate", null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await _site.CreateClient().RequestTokenAsync("verifier-rotate", old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _site.CreateClient().RequestTokenAsync("verifier-rotate", fresh!)).StatusCode);
    }

    [Fact]
    public async Task DisabledClient_GetsNoToken_AndItsTokenStopsWorking()
    {
        var secret = await _site.RegisterMachineAsync("verifier-disable", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("verifier-disable", secret);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/credentials/CFC-V-2026-999998")).StatusCode);

        await _site.WithScopeAsync(sp => sp.GetRequiredService<ClientRegistry>().DisableAsync("verifier-disable", null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/credentials/CFC-V-2026-999998")).StatusCode);
        var again = await _site.CreateClient().RequestTokenAsync("verifier-disable", secret);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("unauthorized_client", (await JsonAsync(again)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheOpenApiDocument_ListsEveryApiRoute()
    {
        var routes = _site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r.StartsWith("/api/v1/", StringComparison.Ordinal))
            .Select(r => System.Text.RegularExpressions.Regex.Replace(r, @"\{(\w+)(:[^}]*)?\}", "{$1}"))
            .Order().ToList();

        var document = await JsonAsync(await _site.CreateClient().GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Order().ToList();

        Assert.Equal(["/api/v1/communities/{id}/roster", "/api/v1/credentials/{number}"], routes);
        Assert.Equal(routes, paths);
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("partner-token", out _));
        Assert.Equal(HttpStatusCode.OK, (await _site.CreateClient().GetAsync("/api/docs/")).StatusCode);
    }
}
