using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Partners;

/// <summary>
/// Signing in on the way to a partner ends in a redirect to the partner's callback, which browsers check against the
/// sign-in page's form-action. Only a registered client's registered redirect URI widens it.
/// </summary>
public sealed class SignInPolicyTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public SignInPolicyTests(SiteFactory site) => _site = site;

    private static string SignInFor(string clientId, string redirect) =>
        "/account/sign-in?returnUrl=" + Uri.EscapeDataString(
            $"/connect/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code&scope=openid");

    [Fact]
    public async Task RegisteredCallback_IsAllowedAsAFormTarget()
    {
        await _site.RegisterWebAppAsync("csp-app", "http://localhost:5091/callback");

        var response = await _site.CreateBrowserClient().GetAsync(SignInFor("csp-app", "http://localhost:5091/callback"));

        Assert.Contains("form-action 'self' http://localhost:5091;", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData(true, "http://evil.example/callback")]
    [InlineData(false, "http://localhost:5092/callback")]
    public async Task AnythingElse_KeepsFormsOnThisSite(bool registeredClient, string redirect)
    {
        var registered = "csp-app-" + Guid.NewGuid().ToString("N")[..8];
        await _site.RegisterWebAppAsync(registered, "http://localhost:5092/callback");
        var clientId = registeredClient ? registered : "no-such-client";

        var response = await _site.CreateBrowserClient().GetAsync(SignInFor(clientId, redirect));

        Assert.Contains("form-action 'self';", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
