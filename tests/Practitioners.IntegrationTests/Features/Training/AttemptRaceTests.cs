using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Training;

/// <summary>
/// "Start the quiz" posted many times at once for the last attempt: one attempt is opened and every post is sent to it,
/// so the module's limit holds on PostgreSQL as on SQLite (Data/Sql/WriteLocks).
/// </summary>
public sealed class AttemptRaceTests : IClassFixture<RaceSite>
{
    private const int Posts = 16;
    private const string Module = "core-rights-principles";
    private readonly RaceSite _site;

    public AttemptRaceTests(RaceSite site) => _site = site;

    [Fact]
    public async Task SixteenStarts_OfTheLastAttempt_AtOnce_OpenOne_AndTheLimitHolds()
    {
        var community = await _site.CreateCommunityAsync("race-quiz");
        var user = await _site.CreateUserAsync("race-quiz@example.cn", "测验者");
        await _site.WithDbAsync(async db =>
        {
            db.Admissions.Add(Admission.Apply(user.Id, community.Id, RoleTrack.Volunteer, _site.Clock.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });
        var client = _site.CreateBrowserClient(followRedirects: false);
        await client.SignInAsync("race-quiz@example.cn");
        var maxAttempts = await _site.WithDbAsync(db => db.ModuleVersions
            .Where(v => v.ModuleId == Module && db.TrainingModules.Any(m => m.Id == Module && m.CurrentVersion == v.Version))
            .Select(v => v.MaxAttempts).SingleAsync());
        Assert.True(maxAttempts > 1);
        // Every attempt but the last, failed (nothing answered), each after the cooldown of the one before.
        for (var i = 0; i < maxAttempts - 1; i++)
        {
            var started = await client.SubmitAsync($"/training/modules/{Module}", $"/training/modules/{Module}/attempts", []);
            var attempt = started.Headers.Location!.OriginalString;
            Assert.StartsWith("/training/attempts/", attempt);
            await client.SubmitAsync(attempt, attempt, []);
            _site.Clock.Advance(TimeSpan.FromMinutes(61));
        }
        var token = (await client.GetDocumentAsync($"/training/modules/{Module}")).AntiforgeryToken();

        var responses = await _site.AllAtOnceAsync(Posts, async _ =>
        {
            var response = await client.PostAsync($"/training/modules/{Module}/attempts",
                new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
            return (response.StatusCode, Location: response.Headers.Location?.OriginalString);
        });

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var opened = Assert.Single(responses.Select(r => r.Location).Distinct());
        Assert.StartsWith("/training/attempts/", opened);
        Assert.Equal(maxAttempts, await _site.WithDbAsync(db => db.QuizAttempts.CountAsync(a => a.UserId == user.Id && a.ModuleId == Module)));

        // The last attempt used, the next start is refused with the usual message.
        await client.SubmitAsync(opened!, opened!, []);
        _site.Clock.Advance(TimeSpan.FromMinutes(61));
        var refused = await client.SubmitAsync($"/training/modules/{Module}", $"/training/modules/{Module}/attempts", []);
        Assert.Equal($"/training/modules/{Module}", refused.Headers.Location!.OriginalString);
        Assert.Contains("次数已用完", await client.GetStringAsync($"/training/modules/{Module}"));
        Assert.Equal(maxAttempts, await _site.WithDbAsync(db => db.QuizAttempts.CountAsync(a => a.UserId == user.Id && a.ModuleId == Module)));
    }
}
