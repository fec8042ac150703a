using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Partners;

namespace Practitioners.IntegrationTests.Features.Partners;

/// <summary>
/// Every refusal of the partner API is on the audit record like any other permission denial: no token, a token that is
/// not valid, a token without the scope, a community outside the client's grant; with the client id when the token
/// named one, and the address the request came from.
/// </summary>
public sealed class PartnerApiDenialAuditTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private Task<List<AuditEvent>> DenialsAsync(string path) => _site.WithDbAsync(db => db.AuditEvents.AsNoTracking()
        .Where(e => e.Action == "access.denied" && e.SubjectType == "PartnerApi" && e.SubjectId == path).OrderBy(e => e.Id).ToListAsync());

    private static (string? Reason, string? Client, int Status) Read(AuditEvent e)
    {
        var data = JsonDocument.Parse(e.Data!).RootElement;
        return (data.GetProperty("reason").GetString(),
            data.GetProperty("client").ValueKind == JsonValueKind.Null ? null : data.GetProperty("client").GetString(),
            data.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task NoToken_AndAnInvalidToken_AreRecorded_WithTheAddress()
    {
        const string path = "/api/v1/credentials/CFC-V-2026-000001";
        var anonymous = _site.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        var forged = _site.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(path)).StatusCode);

        var denials = await DenialsAsync(path);
        Assert.Equal([("token-missing", (string?)null, 401), ("token-invalid", null, 401)], denials.Select(Read).ToArray());
        Assert.All(denials, e => Assert.Equal("203.0.113.7", e.IpAddress));
        Assert.All(denials, e => Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, e.At));
    }

    [Fact]
    public async Task AMissingScope_AndAnotherCommunity_AreRecorded_WithTheClientId_AndAllowedCallsAreNot()
    {
        var mine = await _site.CreateCommunityAsync("api-audit-mine");
        var theirs = await _site.CreateCommunityAsync("api-audit-theirs");
        var secret = await _site.RegisterMachineAsync("audit-roster", [PartnerScopes.RosterRead, PartnerScopes.CredentialsVerify], mine.Id);
        var verifyOnly = await _site.ApiClientAsync("audit-roster", secret, PartnerScopes.CredentialsVerify);
        var roster = await _site.ApiClientAsync("audit-roster", secret, PartnerScopes.RosterRead);

        Assert.Equal(HttpStatusCode.Forbidden, (await verifyOnly.GetAsync($"/api/v1/communities/{mine.Id}/roster")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await roster.GetAsync($"/api/v1/communities/{theirs.Id}/roster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await roster.GetAsync($"/api/v1/communities/{mine.Id}/roster")).StatusCode);

        var scope = Assert.Single(await DenialsAsync($"/api/v1/communities/{mine.Id}/roster"));
        Assert.Equal(("scope-missing", "audit-roster", 403), Read(scope));
        var community = Assert.Single(await DenialsAsync($"/api/v1/communities/{theirs.Id}/roster"));
        Assert.Equal(("community-not-granted", "audit-roster", 403), Read(community));
        Assert.Equal("203.0.113.7", community.IpAddress);
        // The admins find them in the audit log by what happened.
        var admin = _site.CreateBrowserClient();
        await _site.CreateUserAsync("api-audit-admin@example.cn", roles: Practitioners.Web.Features.Accounts.Roles.Admin);
        await admin.SignInAsync("api-audit-admin@example.cn");
        var log = await admin.GetDocumentAsync("/admin/audit?what=PartnerApi");
        Assert.Contains("community-not-granted", log.Body!.TextContent);
    }

    [Fact]
    public async Task ATokenOfADisabledClient_IsRecordedAsInvalid()
    {
        const string path = "/api/v1/credentials/CFC-V-2026-000002";
        var secret = await _site.RegisterMachineAsync("audit-disabled", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("audit-disabled", secret, PartnerScopes.CredentialsVerify);
        await _site.WithScopeAsync(async sp =>
            await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ClientRegistry>(sp)
                .DisableAsync("audit-disabled", null, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(path)).StatusCode);
        Assert.Equal(("token-invalid", (string?)null, 401), Read(Assert.Single(await DenialsAsync(path))));
    }
}
