using System.Diagnostics;
using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.E2E;

public sealed class CertificateJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public CertificateJourneyTests(BrowserSite browser) => _browser = browser;

    /// <summary>A volunteer who finished training signs, downloads the certificate PDF and opens its verification link.</summary>
    [Fact]
    public async Task Volunteer_SignsDownloadsTheCertificate_AndOpensTheVerifyLink()
    {
        await _browser.Site.TrainedAsync("e2e-cert@example.cn", RoleTrack.Volunteer, "李小雨");
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("电子邮箱").FillAsync("e2e-cert@example.cn");
        await page.GetByLabel("密码").FillAsync(People.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync("**/me");

        await page.GetByRole(AriaRole.Link, new() { Name = "签署《志愿者行为守则与儿童保护协议》" }).ClickAsync();
        await page.GetByLabel("签署人姓名").FillAsync("李小雨");
        await page.GetByLabel("我已完整阅读并同意遵守以上协议").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "签署协议" }).ClickAsync();
        await page.WaitForURLAsync("**/me");
        await Assertions.Expect(page.Locator(".certificate-box")).ToContainTextAsync("CFC-V-");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("certificate-dashboard");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载证书 PDF" }).ClickAsync());
        var pdf = Path.Combine(BrowserSite.Screenshots, "certificate.pdf");
        await download.SaveAsAsync(pdf);
        Assert.StartsWith("%PDF", await File.ReadAllTextAsync(pdf).ContinueWith(t => t.Result[..4]));
        RenderToPng(pdf, Path.Combine(BrowserSite.Screenshots, "certificate-pdf"));

        await page.GetByRole(AriaRole.Link, new() { Name = "公开核验页" }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".status-word")).ToHaveTextAsync("有效");
        await Assertions.Expect(page.Locator(".holder")).ToHaveTextAsync("李小雨");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("certificate-verify");

        // The same page for a stranger on a phone, without signing in.
        var stranger = await _browser.NewPageAsync(390, 844);
        await stranger.GotoAsync(new Uri(page.Url).PathAndQuery);
        await Assertions.Expect(stranger.Locator(".status-word")).ToHaveTextAsync("有效");
        await stranger.AssertAccessibleAsync();
        await stranger.ScreenshotAsync("certificate-verify-phone");
    }

    /// <summary>pdftoppm (poppler-utils) turns the first page into a PNG to look at, when it is installed.</summary>
    private static void RenderToPng(string pdf, string prefix)
    {
        if (!File.Exists("/usr/bin/pdftoppm"))
        {
            return;
        }
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/pdftoppm", ["-png", "-r", "60", "-singlefile", pdf, prefix]))!;
        process.WaitForExit(30_000);
        Assert.Equal(0, process.ExitCode);
    }
}
