using System.Net;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.IntegrationTests.Features.Security;

/// <summary>
/// Sessions end when they should: the security stamp (compared on every request) ends other sessions after "sign out
/// everywhere", a password change or a two-factor change; idle and absolute lifetimes end the rest.
/// </summary>
public sealed class SessionTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = _site.CreateBrowserClient(followRedirects: false);
        var response = await client.SignInAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/me")).StatusCode);
        return client;
    }

    private static async Task<bool> SignedInStillAsync(HttpClient client)
    {
        var me = await client.GetAsync("/me");
        return me.StatusCode == HttpStatusCode.OK;
    }

    private static async Task PostAsync(HttpClient client, string page, string action, params KeyValuePair<string, string>[] fields)
    {
        var document = await client.GetDocumentAsync(page);
        var response = await client.PostAsync(action, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", document.AntiforgeryToken()))));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{action}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task SignOutEverywhere_EndsTheOtherSessions_AtTheirNextRequest()
    {
        await _site.CreateUserAsync("everywhere@example.cn");
        var laptop = await SignedInAsync("everywhere@example.cn");
        var phone = await SignedInAsync("everywhere@example.cn");

        await PostAsync(laptop, "/account/security", "/account/security/sign-out-everywhere");

        Assert.False(await SignedInStillAsync(laptop));
        // The stamp is compared on every request: the other cookie is refused at once, with no clock moved.
        Assert.False(await SignedInStillAsync(phone));
        // Signing in again works, and the new session lives on.
        var again = await SignedInAsync("everywhere@example.cn");
        _site.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await SignedInStillAsync(again));
    }

    [Fact]
    public async Task APasswordChange_KeepsThisSession_AndEndsTheOthers()
    {
        await _site.CreateUserAsync("pw-change@example.cn");
        var laptop = await SignedInAsync("pw-change@example.cn");
        var phone = await SignedInAsync("pw-change@example.cn");

        await PostAsync(laptop, "/account/change-password", "/account/change-password",
            new("CurrentPassword", People.Password), new("Password", "a new sentence 2026"), new("ConfirmPassword", "a new sentence 2026"));

        Assert.False(await SignedInStillAsync(phone));
        _site.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await SignedInStillAsync(laptop));
        Assert.False(await SignedInStillAsync(phone));
    }

    [Fact]
    public async Task ReplacingTheAuthenticator_EndsTheOtherSessions()
    {
        var community = await _site.CreateCommunityAsync("sess-2fa");
        await _site.ManagerOfAsync("sess-mgr@example.cn", community.Id);
        var laptop = await SignedInAsync("sess-mgr@example.cn");
        var phone = await SignedInAsync("sess-mgr@example.cn");

        await PostAsync(laptop, "/account/security", "/account/security/key");

        _site.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False(await SignedInStillAsync(phone));
    }

    [Fact]
    public async Task AnIdleSession_EndsAfterTwoHours_AndABusyOne_After12Hours()
    {
        await _site.CreateUserAsync("idle@example.cn");
        var idle = await SignedInAsync("idle@example.cn");
        _site.Clock.Advance(TimeSpan.FromMinutes(121));
        Assert.False(await SignedInStillAsync(idle));

        var busy = await SignedInAsync("idle@example.cn");
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(30))
        {
            _site.Clock.Advance(TimeSpan.FromMinutes(30));
            Assert.True(await SignedInStillAsync(busy), $"signed out after {elapsed + TimeSpan.FromMinutes(30)}");
        }
        _site.Clock.Advance(TimeSpan.FromMinutes(40));
        Assert.False(await SignedInStillAsync(busy));
    }

    [Fact]
    public async Task SigningIn_IssuesANewSessionCookie_NotTheOneHeldBefore()
    {
        await _site.CreateUserAsync("fixation@example.cn");
        var client = _site.CreateBrowserClient(followRedirects: false);
        var first = (await client.SignInAsync("fixation@example.cn")).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pr.auth=", StringComparison.Ordinal));
        var second = (await client.SignInAsync("fixation@example.cn")).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pr.auth=", StringComparison.Ordinal));
        Assert.NotEqual(first.Split(';')[0], second.Split(';')[0]);
    }

    [Fact]
    public async Task TheSecurityHeaders_AndTheAuthCookie_MatchTheSnapshot()
    {
        await _site.CreateUserAsync("snapshot@example.cn");
        // Over https (as everywhere outside Development) the cookie is Secure.
        var client = _site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost"),
        });
        var signIn = await client.SignInAsync("snapshot@example.cn");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pr.auth=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant())
            .Select(a => a.StartsWith("expires=", StringComparison.Ordinal) ? "expires=…" : a).Order(StringComparer.Ordinal);
        var me = await client.GetAsync("/me");
        var headers = new[] { "Cache-Control", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "X-Frame-Options", "Server" }
            .Select(h => $"{h}: {(me.Headers.TryGetValues(h, out var v) ? string.Join(", ", v) : "(none)")}");
        var snapshot = string.Join("\n", headers.Append("pr.auth: " + string.Join("; ", attributes)));

        Assert.Equal("""
            Cache-Control: no-store
            Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'
            Referrer-Policy: strict-origin-when-cross-origin
            X-Content-Type-Options: nosniff
            X-Frame-Options: DENY
            Server: (none)
            pr.auth: httponly; path=/; samesite=lax; secure
            """, snapshot);
    }
}
