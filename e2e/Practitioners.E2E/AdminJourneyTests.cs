using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.E2E;

public sealed class AdminJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public AdminJourneyTests(BrowserSite browser) => _browser = browser;

    /// <summary>
    /// An admin, on a phone, finds a volunteer and disables their account with a reason; the volunteer's open session
    /// ends at their next click, and signing in again shows the disabled message. Then the admin re-enables the account.
    /// </summary>
    [Fact]
    public async Task Admin_DisablesAVolunteerOnAPhone_TheirSessionEnds_ThenReenables()
    {
        var site = _browser.Site;
        await site.CreateUserAsync("e2e-admin@example.cn", "王管理", roles: Roles.Admin);
        await site.CreateUserAsync("e2e-disabled@example.cn", "孙停用");
        var volunteer = await _browser.NewPageAsync();
        await volunteer.SignInAsync(site, "e2e-disabled@example.cn");

        var admin = await _browser.NewPageAsync(390, 844);
        await admin.SignInAsync(site, "e2e-admin@example.cn");
        await admin.GotoAsync("/admin/people");
        await admin.GetByLabel("邮箱或姓名").FillAsync("e2e-disabled@example.cn");
        await admin.GetByLabel("邮箱或姓名").PressAsync("Enter");
        await admin.GetByRole(AriaRole.Link, new() { Name = "孙停用" }).ClickAsync();
        await admin.AssertAccessibleAsync();
        await AssertNoSidewaysScrollAsync(admin);

        await admin.GetByLabel("原因").FillAsync("志愿服务期间违反接触儿童的规定");
        await admin.GetByRole(AriaRole.Button, new() { Name = "停用账户" }).ClickAsync();
        await admin.WaitForLoadStateAsync();
        // One notice, in the admin's language.
        Assert.Equal(["账户已停用：所有会话已结束，合作方令牌已撤销。"], await admin.Locator(".flash").AllInnerTextsAsync());
        await admin.AssertAccessibleAsync();
        await AssertNoSidewaysScrollAsync(admin);
        await admin.ScreenshotAsync("admin-person-disabled-phone");

        // The volunteer's next click lands on the sign-in page; signing in again says the account is disabled.
        await volunteer.GotoAsync("/me");
        Assert.Contains("/account/sign-in", volunteer.Url);
        await volunteer.GetByLabel("电子邮箱").FillAsync("e2e-disabled@example.cn");
        await volunteer.GetByLabel("密码").FillAsync(People.Password);
        await volunteer.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await volunteer.WaitForLoadStateAsync();
        Assert.Contains("此账户已停用", await volunteer.ContentAsync());
        await volunteer.AssertAccessibleAsync();
        await volunteer.ScreenshotAsync("sign-in-disabled");

        await admin.GetByRole(AriaRole.Button, new() { Name = "重新启用" }).ClickAsync();
        await admin.WaitForLoadStateAsync();
        Assert.Equal(["账户已重新启用。"], await admin.Locator(".flash").AllInnerTextsAsync());
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, $"{page.Url} scrolls sideways on a phone");
}
