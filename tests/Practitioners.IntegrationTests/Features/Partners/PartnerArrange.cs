using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Partners;

namespace Practitioners.IntegrationTests.Features.Partners;

/// <summary>Registers partner clients and gets tokens the way a partner would.</summary>
internal static class PartnerArrange
{
    public static async Task<string> RegisterMachineAsync(this SiteFactory site, string clientId, string[] scopes, params int[] communityIds)
    {
        string secret = "";
        await site.WithScopeAsync(async sp => secret = await sp.GetRequiredService<ClientRegistry>().CreateAsync(
            new NewPartnerClient(clientId, "Test " + clientId, PartnerClientKind.Machine, [], [], scopes, communityIds), null, CancellationToken.None));
        return secret;
    }

    public static async Task<string> RegisterWebAppAsync(this SiteFactory site, string clientId, string redirectUri)
    {
        string secret = "";
        await site.WithScopeAsync(async sp => secret = await sp.GetRequiredService<ClientRegistry>().CreateAsync(
            new NewPartnerClient(clientId, "测试合作方应用 " + clientId, PartnerClientKind.WebApp, [new Uri(redirectUri)], [],
                ["openid", "profile", "email", PartnerScopes.Credentials], []), null, CancellationToken.None));
        return secret;
    }

    public static Task<HttpResponseMessage> RequestTokenAsync(this HttpClient client, string clientId, string secret, string? scope = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope is not null)
        {
            fields.Add(new("scope", scope));
        }
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        return client.SendAsync(request);
    }

    public static async Task<HttpClient> ApiClientAsync(this SiteFactory site, string clientId, string secret, string? scope = null)
    {
        var client = site.CreateClient();
        var response = await client.RequestTokenAsync(clientId, secret, scope);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A volunteer who finished training and signed: certified, through the site's own pages.</summary>
    public static async Task<(string UserId, Certificate Certificate, int CommunityId)> CertifiedAsync(this SiteFactory site, string email,
        string name, HttpClient? browser = null)
    {
        var (user, admissionId, communityId) = await site.TrainedAsync(email, RoleTrack.Volunteer, name);
        browser ??= site.CreateBrowserClient();
        await browser.SignInAsync(email);
        await browser.SignAsync(admissionId, name);
        var certificate = await site.WithDbAsync(db => db.Certificates.AsNoTracking().SingleAsync(c => c.AdmissionId == admissionId));
        return (user.Id, certificate, communityId);
    }
}
