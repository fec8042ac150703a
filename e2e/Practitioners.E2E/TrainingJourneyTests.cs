using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Training;

namespace Practitioners.E2E;

public sealed class TrainingJourneyTests : IClassFixture<BrowserSite>
{
    private readonly BrowserSite _browser;

    public TrainingJourneyTests(BrowserSite browser) => _browser = browser;

    /// <summary>A volunteer reads a lesson, passes the module's quiz in the browser and sees the path's progress.</summary>
    [Theory]
    [InlineData("zh-CN", "开始学习", "已读，下一课", "开始测验", "提交答案", "通过！", "已通过 1 / 7 个模块")]
    [InlineData("en", "Start reading", "Mark as read, next lesson", "Start the quiz", "Submit answers", "Passed!", "1 of 7 modules passed")]
    public async Task Volunteer_ReadsALesson_AndPassesAQuiz(string culture, string startReading, string markRead, string startQuiz,
        string submit, string passed, string progress)
    {
        var site = _browser.Site;
        var email = $"learner-{culture}@example.cn";
        var community = await site.CreateCommunityAsync("e2e-training-" + culture);
        var user = await site.CreateUserAsync(email, culture == "en" ? "Wang Xiaoming" : "王小明", culture: culture);
        await site.WithDbAsync(async db =>
        {
            db.Admissions.Add(Admission.Apply(user.Id, community.Id, RoleTrack.Volunteer, site.Clock.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });
        var page = await _browser.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("电子邮箱").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(People.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync("**/me");

        await page.GotoAsync("/training/modules/core-rights-principles");
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = startReading }).ClickAsync();
        await Assertions.Expect(page.Locator(".lesson-body")).Not.ToBeEmptyAsync();
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync($"training-lesson-{culture}");
        await page.GetByRole(AriaRole.Button, new() { Name = markRead }).ClickAsync();
        await page.WaitForURLAsync("**/lessons/2");

        await page.GotoAsync("/training/modules/core-rights-principles");
        await page.GetByRole(AriaRole.Button, new() { Name = startQuiz }).ClickAsync();
        await page.WaitForURLAsync("**/training/attempts/**");
        await page.AssertAccessibleAsync();

        // Answer from the published bank, as someone who read the lessons would.
        var body = await site.WithDbAsync(async db => ModuleBody.FromJson(await db.ModuleVersions
            .Where(v => v.ModuleId == "core-rights-principles" && v.Version == 1).Select(v => v.Body).SingleAsync()));
        foreach (var fieldset in await page.Locator("fieldset.question").AllAsync())
        {
            var id = await fieldset.GetAttributeAsync("data-question");
            foreach (var option in body.Bank[id!].Options.Where(o => o.Correct))
            {
                await fieldset.Locator($"input[value='{option.Id}']").CheckAsync();
            }
        }
        await page.ScreenshotAsync($"training-quiz-{culture}");
        await page.GetByRole(AriaRole.Button, new() { Name = submit }).ClickAsync();

        await Assertions.Expect(page.Locator(".score")).ToContainTextAsync(passed);
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync($"training-result-{culture}");

        await page.GotoAsync("/training");
        await Assertions.Expect(page.Locator(".path").First).ToContainTextAsync(progress);
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync($"training-progress-{culture}");
    }
}
