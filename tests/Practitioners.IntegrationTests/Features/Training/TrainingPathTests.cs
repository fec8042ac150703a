using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Training;

namespace Practitioners.IntegrationTests.Features.Training;

public sealed class TrainingPathTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public TrainingPathTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task ShippedCurriculum_IsPublishedAtStartUp_WithThreePaths()
    {
        _ = _site.Server;
        var modules = await _site.WithDbAsync(db => db.TrainingModules.Where(m => m.CurrentVersion > 0 && m.HeldBackReason == null).CountAsync());
        var paths = await _site.WithDbAsync(db => db.LearningPathEntries.Select(p => p.CredentialType).Distinct().CountAsync());

        Assert.True(modules >= 12, $"{modules} modules published");
        Assert.Equal(3, paths);
    }

    [Fact]
    public async Task Volunteer_CompletesTheWholePathOverHttp_AndTheAdmissionAwaitsSignature()
    {
        var (client, userId, admissionId) = await VolunteerAsync("path@example.cn");
        var modules = await _site.WithDbAsync(db => db.LearningPathEntries
            .Where(p => p.CredentialType == "V" && p.Kind == PathKind.Initial).OrderBy(p => p.Position).Select(p => p.ModuleId).ToListAsync());
        Assert.True(modules.Count >= 7);

        // Reading the first lesson moves the admission into training.
        await client.SubmitAsync($"/training/modules/{modules[0]}/lessons/1", $"/training/modules/{modules[0]}/lessons/1/read", []);
        Assert.Equal(AdmissionState.InTraining, await StateAsync(admissionId));

        foreach (var module in modules)
        {
            var result = await PassAsync(client, module);
            Assert.Contains("通过！", result);
        }

        Assert.Equal(AdmissionState.AwaitingSignature, await StateAsync(admissionId));
        var training = await client.GetStringAsync("/training");
        Assert.Contains($"已通过 {modules.Count} / {modules.Count} 个模块", training);
        Assert.Equal(modules.Count, await _site.WithDbAsync(db => db.ModuleCompletions.CountAsync(c => c.UserId == userId)));
    }

    [Fact]
    public async Task FailedAttempt_StartsTheCooldown_AndTheClockEndsIt()
    {
        var (client, _, _) = await VolunteerAsync("cooldown@example.cn");
        var module = "core-rights-principles";

        var attempt = await StartAsync(client, module);
        var failed = await client.SubmitAsync(attempt, attempt, []);
        Assert.Contains("未通过", await failed.Content.ReadAsStringAsync());

        var refused = await client.SubmitAsync($"/training/modules/{module}", $"/training/modules/{module}/attempts", []);
        Assert.Contains("冷静期还没结束", await refused.Content.ReadAsStringAsync());

        _site.Clock.Advance(TimeSpan.FromMinutes(61));
        var again = await client.SubmitAsync($"/training/modules/{module}", $"/training/modules/{module}/attempts", []);
        Assert.Contains("测验：", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReplayedSubmission_IsRefused_AndChangesNothing()
    {
        var (client, userId, _) = await VolunteerAsync("replay@example.cn");
        var attemptUrl = await StartAsync(client, "core-safe-spaces");
        var page = await client.GetDocumentAsync(attemptUrl);
        var token = page.AntiforgeryToken();

        var first = await client.PostAsync(attemptUrl, new FormUrlEncodedContent(await CorrectAnswersAsync(page, "core-safe-spaces", token)));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await client.PostAsync(attemptUrl, new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("这次测验已经提交过", await second.Content.ReadAsStringAsync());
        var attempt = await _site.WithDbAsync(db => db.QuizAttempts.SingleAsync(a => a.UserId == userId));
        Assert.Equal(100, attempt.Score);
        Assert.Equal(1, await _site.WithDbAsync(db => db.ModuleCompletions.CountAsync(c => c.UserId == userId)));
    }

    [Theory]
    [InlineData("q.no-such-question", "a")]
    [InlineData("FIRST", "no-such-option")]
    public async Task TamperedAnswers_AreRefused_AndTheAttemptStaysOpen(string field, string value)
    {
        var (client, userId, _) = await VolunteerAsync($"tamper-{value}@example.cn");
        var attemptUrl = await StartAsync(client, "core-needs-by-age");
        var page = await client.GetDocumentAsync(attemptUrl);
        var firstQuestion = page.QuerySelector("fieldset.question")!.GetAttribute("data-question")!;
        var name = field == "FIRST" ? $"q.{firstQuestion}" : field;

        var response = await client.PostAsync(attemptUrl, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", page.AntiforgeryToken()), new(name, value)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("答案无效", await response.Content.ReadAsStringAsync());
        var attempt = await _site.WithDbAsync(db => db.QuizAttempts.SingleAsync(a => a.UserId == userId));
        Assert.Null(attempt.SubmittedAt);
    }

    [Fact]
    public async Task AnotherPersonsAttempt_IsNotFound()
    {
        var (owner, _, _) = await VolunteerAsync("owner@example.cn");
        var attemptUrl = await StartAsync(owner, "core-rights-principles");
        var (other, _, _) = await VolunteerAsync("other@example.cn");

        var response = await other.GetAsync(attemptUrl);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Lessons_AreSanitisedHtml_AndOutsidePathModulesAreNotFound()
    {
        var (client, _, _) = await VolunteerAsync("reader@example.cn");

        var lesson = await client.GetDocumentAsync("/training/modules/core-rights-principles/lessons/1");
        Assert.NotNull(lesson.QuerySelector(".lesson-body h2, .lesson-body p"));
        Assert.Empty(lesson.QuerySelectorAll(".lesson-body script"));

        var researcherModule = await client.GetAsync("/training/modules/researcher-consent-assent");
        Assert.Equal(HttpStatusCode.NotFound, researcherModule.StatusCode);
    }

    private async Task<(HttpClient Client, string UserId, int AdmissionId)> VolunteerAsync(string email)
    {
        var community = await _site.CreateCommunityAsync("c-" + email.Split('@')[0]);
        var user = await _site.CreateUserAsync(email, "学员 " + email);
        var admission = await _site.WithDbAsync(async db =>
        {
            var a = Admission.Apply(user.Id, community.Id, RoleTrack.Volunteer, _site.Clock.GetUtcNow().UtcDateTime);
            db.Admissions.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        return (client, user.Id, admission);
    }

    private Task<AdmissionState> StateAsync(int admissionId) =>
        _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admissionId).Select(a => a.State).SingleAsync());

    private static async Task<string> StartAsync(HttpClient client, string module)
    {
        var response = await client.SubmitAsync($"/training/modules/{module}", $"/training/modules/{module}/attempts", []);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.RequestMessage!.RequestUri!.AbsolutePath;
    }

    private async Task<string> PassAsync(HttpClient client, string module)
    {
        var attemptUrl = await StartAsync(client, module);
        var page = await client.GetDocumentAsync(attemptUrl);
        var response = await client.PostAsync(attemptUrl, new FormUrlEncodedContent(await CorrectAnswersAsync(page, module, page.AntiforgeryToken())));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The right answers for the questions on the page, taken from the published bank (never sent to the browser).</summary>
    private async Task<List<KeyValuePair<string, string>>> CorrectAnswersAsync(IHtmlDocument page, string module, string token)
    {
        var body = await _site.WithDbAsync(async db =>
        {
            var version = await db.TrainingModules.Where(m => m.Id == module).Select(m => m.CurrentVersion).SingleAsync();
            return ModuleBody.FromJson(await db.ModuleVersions.Where(v => v.ModuleId == module && v.Version == version).Select(v => v.Body).SingleAsync());
        });
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
        foreach (var fieldset in page.QuerySelectorAll("fieldset.question"))
        {
            var id = fieldset.GetAttribute("data-question")!;
            fields.AddRange(body.Bank[id].Options.Where(o => o.Correct).Select(o => new KeyValuePair<string, string>($"q.{id}", o.Id)));
        }
        return fields;
    }
}
