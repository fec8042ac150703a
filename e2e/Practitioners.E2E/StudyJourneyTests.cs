using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Studies;

namespace Practitioners.E2E;

public sealed class StudyJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public StudyJourneyTests(BrowserSite browser) => _browser = browser;

    private async Task<IPage> SignedInAsync(string email, int width = 1280)
    {
        var page = await _browser.NewPageAsync(width);
        await page.SignInAsync(_browser.Site, email);
        return page;
    }

    /// <summary>
    /// The researcher journey: a certified researcher writes and publishes a study, the community's manager agrees to it,
    /// another certified researcher signs its data-use agreement and asks to join, and the lead approves them.
    /// </summary>
    [Fact]
    public async Task Researcher_CreatesAStudy_ManagerAgrees_AnotherResearcherSignsAndAsks_LeadApproves()
    {
        var site = _browser.Site;
        var community = await site.CreateCommunityAsync("e2e-study-site");
        await site.CertifiedResearcherAsync("e2e-lead@example.cn", "林教授", "e2e-study-home");
        await site.CertifiedResearcherAsync("e2e-member@example.cn", "何同学", "e2e-study-home");
        await site.ManagerOfAsync("e2e-study-mgr@example.cn", community.Id, "许主任");

        // The lead writes the study from the studies page and checks the agreement it produces.
        var lead = await SignedInAsync("e2e-lead@example.cn");
        await lead.GetByRole(AriaRole.Link, new() { Name = "研究项目", Exact = true }).ClickAsync();
        await lead.AssertAccessibleAsync();
        await lead.GetByRole(AriaRole.Link, new() { Name = "发起研究项目" }).ClickAsync();
        await lead.GetByLabel("项目名称（中文）").FillAsync("儿童眼中的社区游戏空间");
        await lead.GetByLabel("项目名称（英文）").FillAsync("Community play spaces through children's eyes");
        await lead.GetByLabel("项目简介（中文）").FillAsync("通过绘画和走访，了解 6–12 岁儿童如何使用和评价社区的游戏空间。");
        await lead.GetByLabel("研究机构").FillAsync("华东大学社会发展学院");
        await lead.GetByLabel("伦理审查批准号").FillAsync("ECNU-HR-2026-042");
        await lead.GetByLabel("批准机构（伦理委员会）").FillAsync("华东大学人体研究伦理委员会");
        await lead.GetByLabel("开始日期").FillAsync("2026-04-01");
        await lead.GetByLabel("结束日期").FillAsync("2026-12-31");
        await lead.GetByLabel("团队人数上限（不含负责人）").FillAsync("4");
        await lead.GetByLabel("测试社区 e2e-study-site").CheckAsync();
        await lead.GetByLabel("特别约定（中文）").FillAsync("- 儿童绘画作品只拍照存档，原件归还儿童本人。");
        await lead.AssertAccessibleAsync();
        await lead.ScreenshotAsync("study-lead-form");
        await lead.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Assertions.Expect(lead.Locator(".flash")).ToContainTextAsync("研究项目草稿已保存");
        await Assertions.Expect(lead.Locator(".agreement-text")).ToContainTextAsync("华东大学人体研究伦理委员会批准，批准号 ECNU-HR-2026-042");
        await Assertions.Expect(lead.Locator(".agreement-text")).ToContainTextAsync("原件归还儿童本人");
        await lead.AssertAccessibleAsync();
        await lead.GetByRole(AriaRole.Button, new() { Name = "发布研究项目" }).ClickAsync();
        await Assertions.Expect(lead.Locator(".flash")).ToContainTextAsync("研究项目已发布");
        await lead.ScreenshotAsync("study-lead-published");
        var studyUrl = lead.Url;

        // The community's manager finds it waiting and agrees to it running there.
        var manager = await SignedInAsync("e2e-study-mgr@example.cn");
        await manager.GotoAsync("/studies");
        await manager.AssertAccessibleAsync();
        await manager.GetByRole(AriaRole.Link, new() { Name = "儿童眼中的社区游戏空间" }).First.ClickAsync();
        await manager.AssertAccessibleAsync();
        await manager.ScreenshotAsync("study-manager-consent");
        await manager.GetByRole(AriaRole.Button, new() { Name = "同意在测试社区 e2e-study-site开展", Exact = true }).ClickAsync();
        await Assertions.Expect(manager.Locator(".flash")).ToContainTextAsync("已同意该研究项目在社区开展");

        // Another researcher, on a phone, reads and signs the study's agreement and asks to join.
        var member = await SignedInAsync("e2e-member@example.cn", width: 390);
        await member.GotoAsync("/studies");
        await member.Locator("#open-heading ~ .studies").GetByRole(AriaRole.Link, new() { Name = "儿童眼中的社区游戏空间" }).ClickAsync();
        await member.GetByRole(AriaRole.Link, new() { Name = "签署协议并申请加入" }).ClickAsync();
        await Assertions.Expect(member.Locator(".agreement-text")).ToContainTextAsync("项目负责人：林教授");
        await member.AssertAccessibleAsync();
        await member.GetByLabel("签署人姓名").FillAsync("何同学");
        await member.GetByLabel("我已完整阅读并同意遵守以上协议").CheckAsync();
        await member.ScreenshotAsync("study-member-sign");
        await member.GetByRole(AriaRole.Button, new() { Name = "签署并申请加入" }).ClickAsync();
        await Assertions.Expect(member.Locator(".flash")).ToContainTextAsync("已签署协议并提交申请");
        await Assertions.Expect(member.Locator(".my-enrolment")).ToContainTextAsync("已申请");
        await member.AssertAccessibleAsync();

        // The lead approves the request from the roster.
        await lead.GotoAsync(studyUrl);
        await lead.GetByRole(AriaRole.Link, new() { Name = "项目成员名单" }).ClickAsync();
        await lead.AssertAccessibleAsync();
        await lead.ScreenshotAsync("study-lead-requests");
        await lead.GetByRole(AriaRole.Button, new() { Name = "批准 何同学" }).ClickAsync();
        await Assertions.Expect(lead.Locator(".flash")).ToContainTextAsync("已批准");
        var row = lead.Locator("[data-roster='team'] tr").Filter(new() { HasText = "何同学" });
        await Assertions.Expect(row).ToContainTextAsync("有效");
        await lead.AssertAccessibleAsync();
        await lead.ScreenshotAsync("study-lead-roster");

        await member.ReloadAsync();
        await Assertions.Expect(member.Locator(".my-enrolment")).ToContainTextAsync("已加入");
        var state = await site.WithDbAsync(db => db.Enrolments.Where(e => e.User.Email == "e2e-member@example.cn").Select(e => e.State).SingleAsync());
        Assert.Equal(EnrolmentState.Approved, state);

        // Families see the study on the community's public page.
        var family = await _browser.NewPageAsync(390);
        await family.GotoAsync("/communities/e2e-study-site/studies");
        await Assertions.Expect(family.Locator(".public-studies")).ToContainTextAsync("ECNU-HR-2026-042");
        await family.AssertAccessibleAsync();
        await family.ScreenshotAsync("study-public-page");
    }
}
