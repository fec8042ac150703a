using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Partners;

namespace Practitioners.IntegrationTests.Features.Partners;

public sealed class ClientRegistryPageTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public ClientRegistryPageTests(SiteFactory site) => _site = site;

    private async Task<HttpClient> AdminAsync(string email)
    {
        await _site.CreateUserAsync(email, "平台管理员", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync(email);
        return admin;
    }

    [Fact]
    public async Task Admin_RegistersARosterClient_SeesTheSecretOnce_AndThePartnerUsesIt()
    {
        var admin = await AdminAsync("admin-clients@example.cn");
        var community = await _site.CreateCommunityAsync("c-registry");

        var created = await admin.SubmitAsync("/admin/clients/new", "/admin/clients/new",
        [
            new("Input.ClientId", "sunshine-ngo"), new("Input.DisplayName", "阳光公益"), new("Input.Kind", "Machine"),
            new("Input.Scopes", PartnerScopes.CredentialsVerify), new("Input.Scopes", PartnerScopes.RosterRead),
            new("Input.CommunityIds", community.Id.ToString()),
        ]);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl!.ToString());
        var page = await created.ParseAsync();
        var secret = page.QuerySelector("#client-secret")!.TextContent;
        Assert.True(secret.Length >= 40);
        // Only the hash is kept: the secret appears nowhere in the database, and not on the client's page.
        var stored = await _site.WithDbAsync(db => db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId == "sunshine-ngo").Select(a => a.ClientSecret).SingleAsync());
        Assert.NotEqual(secret, stored);
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/admin/clients/sunshine-ngo"));
        var api = await _site.ApiClientAsync("sunshine-ngo", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/communities/{community.Id}/roster")).StatusCode);
        Assert.Contains(await _site.WithDbAsync(db => db.AuditEvents.Select(e => e.Action + ":" + e.SubjectId).ToListAsync()),
            a => a == "partner-client.created:sunshine-ngo");

        var rotated = await admin.SubmitAsync("/admin/clients/sunshine-ngo", "/admin/clients/sunshine-ngo/rotate", []);
        var fresh = (await rotated.ParseAsync()).QuerySelector("#client-secret")!.TextContent;
        Assert.NotEqual(secret, fresh);

        var disabled = await admin.SubmitAsync("/admin/clients/sunshine-ngo", "/admin/clients/sunshine-ngo/disable", []);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Contains("已停用", await disabled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await _site.CreateClient().RequestTokenAsync("sunshine-ngo", fresh)).StatusCode);
    }

    [Fact]
    public async Task AWebAppWithoutARedirectUri_OrWithMachineScopes_IsNotRegistered()
    {
        var admin = await AdminAsync("admin-clients-bad@example.cn");

        var response = await admin.SubmitAsync("/admin/clients/new", "/admin/clients/new",
        [
            new("Input.ClientId", "bad-app"), new("Input.DisplayName", "Bad app"), new("Input.Kind", "WebApp"),
            new("Input.Scopes", "openid"), new("Input.Scopes", PartnerScopes.CredentialsVerify),
            new("Input.RedirectUris", "not a uri"),
        ]);

        var errors = (await response.ParseAsync()).FieldErrors().ToList();
        Assert.Contains("请至少选择一个权限范围，并且只选择这类客户端可以持有的范围。", errors);
        Assert.Contains("“not a uri”不是不带片段（#）的完整 http 或 https 地址。", errors);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/clients")).StatusCode);
        Assert.DoesNotContain("bad-app", await admin.GetStringAsync("/admin/clients"));
    }

    [Fact]
    public async Task PeopleWhoAreNotAdmins_CannotSeeTheRegistry()
    {
        await _site.CreateUserAsync("not-admin-clients@example.cn", "普通用户", roles: Roles.CommunityManager);
        var person = _site.CreateBrowserClient(followRedirects: false);
        await person.SignInAsync("not-admin-clients@example.cn");

        var response = await person.GetAsync("/admin/clients");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
