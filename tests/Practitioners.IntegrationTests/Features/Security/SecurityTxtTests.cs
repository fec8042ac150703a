using System.Net;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Security;

/// <summary>How to report a problem: /.well-known/security.txt (RFC 9116) from the setting Security:Contact.</summary>
public sealed class SecurityTxtTests
{
    private static async Task<(HttpResponseMessage Response, string[] Lines)> GetAsync(SiteFactory site)
    {
        var response = await site.CreateClient().GetAsync("/.well-known/security.txt");
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task SecurityTxt_NamesTheDemoContact_ExpiresAYearAhead_OnTheSitesClock()
    {
        using var site = new SiteFactory();
        var (response, lines) = await GetAsync(site);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(
        [
            "Contact: mailto:security@practitioners.cn",
            "Expires: 2027-03-02T01:00:00Z",
            "Preferred-Languages: zh, en",
            "Canonical: http://localhost/.well-known/security.txt",
        ], lines);

        site.Clock.Advance(TimeSpan.FromDays(40));
        Assert.Contains("Expires: 2027-04-11T01:00:00Z", (await GetAsync(site)).Lines);
    }

    [Fact]
    public async Task SecurityTxt_TakesTheConfiguredContact_AndThePublicAddress()
    {
        using var site = new SiteFactory()
            .With("Security:Contact", "https://practitioners.example.cn/report-a-problem")
            .With("Site:PublicBaseUrl", "https://practitioners.example.cn");
        var (_, lines) = await GetAsync(site);
        Assert.Contains("Contact: https://practitioners.example.cn/report-a-problem", lines);
        Assert.Contains("Canonical: https://practitioners.example.cn/.well-known/security.txt", lines);
    }

    [Fact]
    public async Task WithoutAContact_ThereIsNoSecurityTxt()
    {
        using var site = new SiteFactory().With("Security:Contact", "");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(site)).Response.StatusCode);
    }
}
