using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Hours;

namespace Practitioners.E2E;

public sealed class HoursJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public HoursJourneyTests(BrowserSite browser) => _browser = browser;

    private async Task<IPage> SignedInAsync(string email, int width = 1280)
    {
        var page = await _browser.NewPageAsync(width);
        // Staff complete the authenticator step there too.
        await page.SignInAsync(_browser.Site, email);
        await page.WaitForURLAsync("**/me");
        return page;
    }

    private void MoveTo(string hhmm) =>
        _browser.Site.Clock.SetUtcNow(new DateTimeOffset(new DateTime(2026, 3, 2).Add(TimeSpan.Parse(hhmm, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromHours(8)));

    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, $"{page.Url} scrolls sideways on a phone");

    /// <summary>
    /// The service-hours journey on one morning (the clock starts 09:00 in Shanghai): a manager creates an activity, a certified
    /// volunteer signs up on a phone, scans the organiser's code to check in, the organiser checks them out, the manager approves
    /// the hours, and the volunteer downloads the hours certificate and opens its public verification page.
    /// </summary>
    [Fact]
    public async Task Manager_CreatesActivity_VolunteerSignsUpAndIsCheckedInAndOut_ManagerApproves_VolunteerDownloadsTheCertificate()
    {
        var site = _browser.Site;
        var community = await site.CreateCommunityAsync("e2e-hours");
        await site.ManagerOfAsync("e2e-hours-mgr@example.cn", community.Id, "周主任");
        await site.CertifiedAsync("e2e-hours-v@example.cn", "陈思远", "e2e-hours");

        // The manager creates the activity from the console.
        var manager = await SignedInAsync("e2e-hours-mgr@example.cn");
        await manager.GotoAsync("/manage");
        await manager.GetByRole(AriaRole.Link, new() { Name = "组织活动", Exact = true }).First.ClickAsync();
        await manager.GetByRole(AriaRole.Link, new() { Name = "新建活动" }).ClickAsync();
        await manager.GetByLabel("活动名称").FillAsync("儿童阅读陪伴");
        await manager.GetByLabel("地点").FillAsync("社区图书室");
        await manager.GetByLabel("日期").FillAsync("2026-03-02");
        await manager.GetByLabel("开始时间").FillAsync("10:00");
        await manager.GetByLabel("结束时间").FillAsync("12:00");
        await manager.GetByLabel("名额").FillAsync("8");
        await manager.AssertAccessibleAsync();
        await manager.ScreenshotAsync("hours-manager-new-activity");
        await manager.GetByRole(AriaRole.Button, new() { Name = "创建活动" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".flash")).ToContainTextAsync("活动已创建");
        var activityUrl = new Uri(manager.Url).AbsolutePath;

        // The volunteer signs up on a phone.
        var volunteer = await SignedInAsync("e2e-hours-v@example.cn", width: 390);
        await volunteer.GetByRole(AriaRole.Link, new() { Name = "志愿活动", Exact = true }).First.ClickAsync();
        await volunteer.GetByRole(AriaRole.Button, new() { Name = "报名 儿童阅读陪伴" }).ClickAsync();
        await Assertions.Expect(volunteer.Locator(".flash")).ToContainTextAsync("报名成功");
        await volunteer.AssertAccessibleAsync();
        await AssertNoSidewaysScrollAsync(volunteer);
        await volunteer.ScreenshotAsync("hours-volunteer-signed-up-phone");

        // At 10:05 the organiser shows the code; the volunteer opens it and checks in.
        MoveTo("10:05");
        await manager.GotoAsync(activityUrl);
        await Assertions.Expect(manager.Locator("img.qr")).ToBeVisibleAsync();
        await manager.AssertAccessibleAsync();
        await manager.ScreenshotAsync("hours-organiser-roster-qr");
        var scanUrl = new Uri(await manager.Locator(".checkin-qr a").GetAttributeAsync("href") ?? "").PathAndQuery;
        await volunteer.GotoAsync(scanUrl);
        await volunteer.AssertAccessibleAsync();
        await volunteer.ScreenshotAsync("hours-volunteer-scan-phone");
        await volunteer.GetByRole(AriaRole.Button, new() { Name = "签到" }).ClickAsync();
        await Assertions.Expect(volunteer.Locator(".flash")).ToContainTextAsync("签到成功");

        // At 11:50 the organiser checks them out.
        MoveTo("11:50");
        await manager.ReloadAsync();
        await manager.GetByRole(AriaRole.Button, new() { Name = "签退 陈思远" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".flash")).ToContainTextAsync("已签退");
        await Assertions.Expect(manager.Locator(".roster-item")).ToContainTextAsync("11:50");

        // The manager approves the hours from the queue.
        await manager.GotoAsync("/manage");
        await manager.GetByRole(AriaRole.Link, new() { Name = "服务时长审核" }).ClickAsync();
        await Assertions.Expect(manager.Locator("[data-hours]")).ToContainTextAsync("1.75");
        await manager.AssertAccessibleAsync();
        await manager.ScreenshotAsync("hours-manager-queue");
        await manager.GetByRole(AriaRole.Button, new() { Name = "审核通过所选记录" }).ClickAsync();
        await Assertions.Expect(manager.Locator(".flash")).ToContainTextAsync("已审核通过 1 条记录");

        // The volunteer sees the hours in their service record and downloads the certificate.
        await volunteer.GotoAsync("/me");
        await volunteer.GetByRole(AriaRole.Link, new() { Name = "我的服务记录" }).First.ClickAsync();
        await Assertions.Expect(volunteer.Locator("[data-total-hours]")).ToHaveTextAsync("1.75");
        await volunteer.AssertAccessibleAsync();
        await AssertNoSidewaysScrollAsync(volunteer);
        await volunteer.ScreenshotAsync("hours-service-record-phone");
        await volunteer.GetByLabel("开始日期").FillAsync("2026-03-01");
        await volunteer.GetByLabel("结束日期").FillAsync("2026-03-02");
        var download = await volunteer.RunAndWaitForDownloadAsync(() => volunteer.GetByRole(AriaRole.Button, new() { Name = "生成并下载证明" }).ClickAsync());
        var pdf = Path.Combine(BrowserSite.Screenshots, "hours-certificate.pdf");
        await download.SaveAsAsync(pdf);
        Assert.StartsWith("%PDF", (await File.ReadAllTextAsync(pdf))[..4]);
        RenderToPng(pdf, Path.Combine(BrowserSite.Screenshots, "hours-certificate-pdf"));
        var certificate = await site.WithDbAsync(db => db.HoursCertificates.SingleAsync(c => c.User.Email == "e2e-hours-v@example.cn"));
        Assert.Equal(105, certificate.TotalMinutes);

        // A school opens the QR code's address on a phone, without signing in.
        var school = await _browser.NewPageAsync(390, 844);
        await school.GotoAsync($"/verify/hours/{certificate.VerificationCode}");
        await Assertions.Expect(school.Locator(".holder")).ToHaveTextAsync("陈思远");
        await Assertions.Expect(school.Locator("[data-total-hours]")).ToHaveTextAsync("1.75");
        await school.AssertAccessibleAsync();
        await AssertNoSidewaysScrollAsync(school);
        await school.ScreenshotAsync("hours-verify-phone");
        // And the desktop view of the organiser's page after the morning.
        await manager.GotoAsync(activityUrl);
        await manager.SetViewportSizeAsync(390, 844);
        await AssertNoSidewaysScrollAsync(manager);
        await manager.ScreenshotAsync("hours-organiser-roster-phone");
        Assert.Equal(HoursState.Approved, await site.WithDbAsync(db => db.HoursRecords.Where(h => h.User.Email == "e2e-hours-v@example.cn").Select(h => h.State).SingleAsync()));
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
