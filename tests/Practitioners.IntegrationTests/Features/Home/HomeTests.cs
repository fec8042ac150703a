using System.Net;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Home;

public sealed class HomeTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public HomeTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task Root_IsServedInChinese_ByDefault()
    {
        var client = _site.CreateBrowserClient();
        var html = await client.GetStringAsync("/");

        Assert.Contains("<html lang=\"zh-CN\">", html);
        Assert.Contains("儿童友好社区从业人员培训与认证", html);
    }

    [Fact]
    public async Task Health_AnswersHealthy_WhenTheDatabaseAnswers()
    {
        var response = await _site.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SwitchingToEnglish_IsRemembered_ForLaterPages()
    {
        var client = _site.CreateBrowserClient();
        var switched = await client.SubmitAsync("/", "/culture", [new("culture", "en"), new("returnUrl", "/account/sign-in")]);

        var html = await switched.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("Sign in", html);
        Assert.Contains("<html lang=\"en\">", await client.GetStringAsync("/"));
    }

    [Fact]
    public async Task UnknownPage_GetsTheLocalisedNotFoundPage()
    {
        var response = await _site.CreateBrowserClient().GetAsync("/no/such/page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("页面不存在", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Responses_CarryTheBaselineSecurityHeaders()
    {
        var response = await _site.CreateClient().GetAsync("/");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
