using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.E2E;

public sealed class ManagerJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public ManagerJourneyTests(BrowserSite browser) => _browser = browser;

    /// <summary>A manager approves an applicant, countersigns a provider, verifies a certificate by number and exports the roster.</summary>
    [Fact]
    public async Task Manager_Approves_Countersigns_Verifies_AndExports()
    {
        var site = _browser.Site;
        var (_, volunteerAdmission, communityId) = await site.TrainedAsync("e2e-applicant@example.cn", RoleTrack.Volunteer, "陈小北", requiresApproval: true, communityCode: "e2e-hexi");
        var (_, providerAdmission, _) = await site.TrainedAsync("e2e-sw@example.cn", RoleTrack.ServiceProvider, "刘社工", communityCode: "e2e-hexi");
        foreach (var (email, name, admission) in new[] { ("e2e-applicant@example.cn", "陈小北", volunteerAdmission), ("e2e-sw@example.cn", "刘社工", providerAdmission) })
        {
            var client = site.CreateBrowserClient();
            await client.SignInAsync(email);
            await client.SignAsync(admission, name);
        }
        await site.CreateUserAsync("e2e-hexi-mgr@example.cn", "赵磊", roles: Roles.CommunityManager);
        await site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "e2e-hexi-mgr@example.cn").Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });

        var page = await _browser.NewPageAsync();
        await page.SignInAsync(site, "e2e-hexi-mgr@example.cn");
        await page.GotoAsync("/manage");
        await page.AssertAccessibleAsync();

        // Approve the volunteer.
        var approval = page.Locator($".approval[data-admission='{volunteerAdmission}']");
        await approval.GetByRole(AriaRole.Button, new() { Name = "通过", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已通过");

        // Countersign the provider.
        await page.GetByRole(AriaRole.Link, new() { Name = "刘社工" }).ClickAsync();
        await page.GetByLabel("签署人姓名").FillAsync("赵磊");
        await page.GetByRole(AriaRole.Button, new() { Name = "会签", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已会签");

        // The community asks for approval, so the countersigned provider now waits in the approval queue too.
        await page.Locator($".approval[data-admission='{providerAdmission}']").GetByRole(AriaRole.Button, new() { Name = "通过", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-status='Valid'] td")).ToHaveTextAsync("2");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("manager-dashboard");

        // Verify the volunteer's certificate by number.
        var number = await site.WithDbAsync(db => Task.FromResult(db.Certificates.Single(c => c.AdmissionId == volunteerAdmission).Number));
        await page.GotoAsync("/manage/verify");
        await page.AssertAccessibleAsync();
        await page.GetByLabel("证书编号").FillAsync(number);
        await page.GetByRole(AriaRole.Button, new() { Name = "核验" }).ClickAsync();
        await Assertions.Expect(page.Locator(".status-word")).ToHaveTextAsync("有效");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "查看此人记录" })).ToBeVisibleAsync();
        await page.ScreenshotAsync("manager-verify");

        // The roster, then its export.
        await page.GotoAsync("/manage/roster");
        await Assertions.Expect(page.Locator("table.roster tbody tr")).ToHaveCountAsync(2);
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("manager-roster");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出名册 CSV" }).First.ClickAsync());
        var path = Path.Combine(BrowserSite.Screenshots, "roster.csv");
        await download.SaveAsAsync(path);
        var csv = await File.ReadAllTextAsync(path);
        Assert.Contains("陈小北", csv);
        Assert.Contains(number, csv);

        // The dashboard on a phone.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/manage");
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The dashboard scrolls sideways on a phone ({width}px).");
        await page.ScreenshotAsync("manager-dashboard-phone");
    }
}
