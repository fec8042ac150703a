using Microsoft.Playwright;
using Practitioners.TestSupport;

namespace Practitioners.E2E;

public sealed class VolunteerJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public VolunteerJourneyTests(BrowserSite browser) => _browser = browser;

    /// <summary>
    /// A college student, in Chinese, registers using only the keyboard, confirms the email from the link
    /// the site sent, starts the volunteer track for a community and sees the Applied admission.
    /// </summary>
    [Fact]
    public async Task Student_Registers_Confirms_AndStartsTheVolunteerTrack()
    {
        var community = await _browser.Site.CreateCommunityAsync("e2e-heping", requiresApproval: true, streetCode: "e2e-xinhua");
        var page = await _browser.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Equal("zh-CN", await page.GetAttributeAsync("html", "lang"));
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "注册账号" }).ClickAsync();

        await page.AssertAccessibleAsync();
        await page.GetByLabel("真实姓名").FocusAsync();
        await page.Keyboard.TypeAsync("李小雨");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("xiaoyu.li@students.example.cn");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("13800138000");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("小雨在和平里社区做作业辅导");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("小雨在和平里社区做作业辅导");
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/account/register/done");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("请查收确认邮件");
        await page.AssertAccessibleAsync();

        var mail = await _browser.Site.Smtp.WaitForAsync("xiaoyu.li@students.example.cn");
        Assert.Equal("请确认你的邮箱地址", mail.Subject);
        await page.GotoAsync(mail.LinkTo("/account/confirm"));
        await Assertions.Expect(page.GetByText("邮箱已确认")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "申请新的服务角色" }).ClickAsync();
        await page.AssertAccessibleAsync();
        await page.GetByLabel("志愿者").CheckAsync();
        await page.GetByLabel("社区").SelectOptionAsync(community.Id.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "下一步" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("志愿者资料");
        await page.AssertAccessibleAsync();
        await page.GetByLabel("学校").FillAsync("师范大学");
        await page.GetByLabel("学号").FillAsync("2023010101");
        await page.GetByLabel("专业").FillAsync("社会工作");
        await page.GetByLabel("预计毕业年份").FillAsync("2027");
        await page.GetByLabel("出生日期").FillAsync("2004-05-12");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();

        await page.WaitForURLAsync("**/me");
        var card = page.Locator(".admission");
        await Assertions.Expect(card).ToContainTextAsync("志愿者 · 测试社区 e2e-heping");
        await Assertions.Expect(card).ToContainTextAsync("已申请");
        await Assertions.Expect(card).ToContainTextAsync("完成培训路径");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("volunteer-dashboard-desktop");

        // The same page on a phone.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The dashboard scrolls sideways on a phone ({width}px).");
        await page.ScreenshotAsync("volunteer-dashboard-phone");
    }

    [Fact]
    public async Task Register_WithBadInput_ShowsFieldErrorsInChinese()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/account/register");

        await page.GetByLabel("电子邮箱").FillAsync("not-an-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "注册" }).ClickAsync();

        var summary = page.Locator(".errors");
        await Assertions.Expect(summary).ToContainTextAsync("请填写真实姓名。");
        await Assertions.Expect(summary).ToContainTextAsync("电子邮箱格式不正确。");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("register-errors");
    }
}
