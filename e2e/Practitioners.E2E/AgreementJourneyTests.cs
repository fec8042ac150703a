using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.E2E;

public sealed class AgreementJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public AgreementJourneyTests(BrowserSite browser) => _browser = browser;

    private async Task<IPage> SignedInAsync(string email)
    {
        var page = await _browser.NewPageAsync();
        await page.SignInAsync(_browser.Site, email);
        return page;
    }

    /// <summary>A provider signs the access agreement, the community's manager countersigns, and the admission becomes active.</summary>
    [Fact]
    public async Task Provider_Signs_ManagerCountersigns_AdmissionBecomesActive()
    {
        var site = _browser.Site;
        var (_, admissionId, communityId) = await site.TrainedAsync("e2e-provider@example.cn", RoleTrack.ServiceProvider, "张伟");
        await site.CreateUserAsync("e2e-manager@example.cn", "王芳", roles: Roles.CommunityManager);
        await site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "e2e-manager@example.cn").Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });

        var provider = await SignedInAsync("e2e-provider@example.cn");
        await provider.GetByRole(AriaRole.Link, new() { Name = "签署《专业服务人员准入协议》" }).ClickAsync();
        await Assertions.Expect(provider.Locator(".agreement-text")).ToContainTextAsync("专业服务人员准入协议");
        await provider.AssertAccessibleAsync();
        await provider.GetByLabel("签署人姓名").FillAsync("张伟");
        await provider.GetByLabel("我已完整阅读并同意遵守以上协议").CheckAsync();
        await provider.ScreenshotAsync("agreement-provider-sign");
        await provider.GetByRole(AriaRole.Button, new() { Name = "签署协议" }).ClickAsync();
        await provider.WaitForURLAsync("**/me");
        await Assertions.Expect(provider.Locator($".admission[data-admission='{admissionId}']")).ToContainTextAsync("等待社区管理员会签");
        await provider.AssertAccessibleAsync();

        var manager = await SignedInAsync("e2e-manager@example.cn");
        await manager.GotoAsync("/manage");
        await manager.AssertAccessibleAsync();
        await manager.ScreenshotAsync("agreement-manager-queue");
        await manager.GetByRole(AriaRole.Link, new() { Name = "张伟" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".facts")).ToContainTextAsync("中级社会工作师");
        await manager.AssertAccessibleAsync();
        await manager.GetByLabel("签署人姓名").FillAsync("王芳");
        await manager.ScreenshotAsync("agreement-manager-countersign");
        await manager.GetByRole(AriaRole.Button, new() { Name = "会签", Exact = true }).ClickAsync();
        await Assertions.Expect(manager.Locator(".flash")).ToContainTextAsync("已会签");

        await provider.ReloadAsync();
        var card = provider.Locator($".admission[data-admission='{admissionId}']");
        await Assertions.Expect(card).ToContainTextAsync("已准入");
        await provider.ScreenshotAsync("agreement-provider-active");
    }
}
