using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Practitioners.TestSupport;

namespace Practitioners.E2E;

/// <summary>
/// The site on a real Kestrel port and Debian's Chromium driving it. Every page a test visits is checked
/// with axe-core; serious or critical WCAG 2.1 AA violations fail the test.
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SiteFactory Site { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(Repository.Root, "artifacts", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        Site.UseKestrel(0);
        Site.StartServer();
        var addresses = Site.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        // HttpClients made by the tests talk to the same real port as the browser.
        Site.ClientOptions.BaseAddress = new Uri(BaseUrl);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // The machine has no outside network: resolve nothing but this machine.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            ],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await Site.DisposeAsync();
    }
}

public static class PageChecks
{
    private static readonly string[] AaTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>Runs axe-core on the page as it is now and fails on serious or critical WCAG 2.1 AA violations.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. AaTags] },
        });
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{page.Url}:\n{string.Join("\n", serious)}");
    }

    /// <summary>
    /// Signs in through the form as a person would; for staff (two-step verification) types the code their
    /// authenticator app shows, checking the second step's page like any other.
    /// </summary>
    public static async Task SignInAsync(this IPage page, SiteFactory site, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("电子邮箱").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(People.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForLoadStateAsync();
        if (page.Url.Contains("/account/sign-in/two-factor", StringComparison.Ordinal))
        {
            await page.AssertAccessibleAsync();
            await page.GetByLabel("验证码").FillAsync(await site.AuthenticatorCodeAsync(email));
            await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        }
        await page.WaitForURLAsync("**/me");
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSite.Screenshots, name + ".png"), FullPage = true });
}
