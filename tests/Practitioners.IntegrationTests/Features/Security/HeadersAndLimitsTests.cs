using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Security;

public sealed class HeadersAndLimitsTests : IDisposable
{
    private readonly SiteFactory _site = new SiteFactory().With("RateLimits:AccountPerMinute", "5");

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndNoServerHeader()
    {
        var response = await _site.CreateClient().GetAsync("/");

        var headers = response.Headers;
        Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", headers.GetValues("Referrer-Policy").Single());
        var csp = headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.False(headers.Contains("Server"));
    }

    [Fact]
    public async Task PersonalPages_AreNotCached_AndTheAuthCookieIsHttpOnlyAndSameSite()
    {
        await _site.CreateUserAsync("cache@example.cn");
        var client = _site.CreateBrowserClient(followRedirects: false);

        var signIn = await client.SignInAsync("cache@example.cn");
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pr.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var me = await client.GetAsync("/me");
        Assert.Equal("no-store", me.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task SignIn_IsRateLimitedPerAddress_With429AndRetryAfter_AndFailuresAreAudited()
    {
        var client = _site.CreateBrowserClient();
        var page = await client.GetDocumentAsync("/account/sign-in");
        HttpResponseMessage last = null!;
        for (var i = 0; i < 6; i++)
        {
            last = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(
                [new("__RequestVerificationToken", page.AntiforgeryToken()), new("Email", $"nobody{i}@example.cn"), new("Password", "wrong password")]));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.True(last.Headers.Contains("Retry-After"));
        Assert.Contains("请求过于频繁", await last.Content.ReadAsStringAsync());
        Assert.Equal(5, await _site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "account.signin.failed" && e.IpAddress == "203.0.113.7")));
    }
}
