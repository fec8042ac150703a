using Practitioners.IntegrationTests.Data;
using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Reliability;

/// <summary>
/// Another connection (a backup tool, a second process, sqlite3 by hand) holds the write lock on the site's SQLite file.
/// Shorter than the busy timeout, a write waits and succeeds; longer, the person gets 503 with Retry-After and a page
/// in their language, and nothing of the write is left behind. These waits are real: the lock is a real file lock.
/// </summary>
public sealed class DatabaseLockTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static KeyValuePair<string, string>[] VolunteerForm(int communityId, string token) =>
    [
        new("CommunityId", communityId.ToString()), new("School", "师范大学"), new("StudentNumber", "2023010101"),
        new("Major", "社会工作"), new("ExpectedGraduationYear", "2027"), new("DateOfBirth", "2004-05-12"),
        new("__RequestVerificationToken", token),
    ];

    [SqliteFact]
    public async Task LockedForFiveSeconds_ShorterThanTheBusyTimeout_TheWriteWaitsAndSucceeds()
    {
        // The default busy timeout (10 s), as in production: 5 s is half of it.
        using var site = new SiteFactory();
        var (client, community, token) = await ArrangeAsync(site, "wait@example.cn", "zh-CN");

        var watch = Stopwatch.StartNew();
        Task<HttpResponseMessage> posted;
        await using (var holder = await SqliteWriteLock.TakeAsync(site.DatabasePath))
        {
            posted = client.PostAsync("/tracks/volunteer", new FormUrlEncodedContent(VolunteerForm(community, token)));
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.False(posted.IsCompleted, "the write should still be waiting for the lock");
        }
        var response = await posted;
        watch.Stop();

        output.WriteLine($"lock held 5 s: the post answered {(int)response.StatusCode} after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/me", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(9));
        Assert.Equal(1, await site.WithDbAsync(db => db.Admissions.CountAsync(a => a.CommunityId == community)));
    }

    [SqliteFact]
    public async Task LockedLongerThanTheBusyTimeout_Answers503WithRetryAfter_InTheirLanguage_AndWritesNothing()
    {
        // The busy timeout shortened to 1 s so the test is quick; the lock is held until the answers are in.
        using var site = new SiteFactory().With("Database:BusyTimeoutSeconds", "1").With("Database:RetryAfterSeconds", "7");
        var (zh, community, zhToken) = await ArrangeAsync(site, "busy.zh@example.cn", "zh-CN");
        var (en, _, enToken) = await ArrangeAsync(site, "busy.en@example.cn", "en");
        var before = await CountRowsAsync(site);

        HttpResponseMessage zhAnswer, enAnswer;
        var watch = Stopwatch.StartNew();
        await using (var holder = await SqliteWriteLock.TakeAsync(site.DatabasePath))
        {
            zhAnswer = await zh.PostAsync("/tracks/volunteer", new FormUrlEncodedContent(VolunteerForm(community, zhToken)));
            output.WriteLine($"past a 1 s busy timeout: {(int)zhAnswer.StatusCode} after {watch.ElapsedMilliseconds} ms");
            enAnswer = await en.PostAsync("/tracks/volunteer", new FormUrlEncodedContent(VolunteerForm(community, enToken)));
        }
        watch.Stop();
        output.WriteLine($"both answered {(int)enAnswer.StatusCode} within {watch.ElapsedMilliseconds} ms");

        foreach (var (answer, title, text) in new[]
        {
            (zhAnswer, "系统繁忙", "没有被部分保存"),
            (enAnswer, "The site is busy", "Nothing you sent was half-saved"),
        })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), answer.Headers.RetryAfter?.Delta);
            var page = await answer.ParseAsync();
            Assert.Equal(title, page.QuerySelector("main h1, h1")!.TextContent.Trim());
            Assert.Contains(text, page.Body!.TextContent);
            var html = await answer.Content.ReadAsStringAsync();
            Assert.DoesNotContain("SqliteException", html);
            Assert.DoesNotContain("database is locked", html);
            Assert.DoesNotContain(" at Practitioners.", html);
        }
        // Each gave up after about the busy timeout, not the library's 30 s default.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));

        // Nothing half-saved: no profile, admission, history, role or audit event.
        Assert.Equal(before, await CountRowsAsync(site));

        // Once the lock is gone the same form goes through.
        var page2 = await zh.GetDocumentAsync($"/tracks/volunteer?community={community}");
        var retried = await zh.PostAsync("/tracks/volunteer", new FormUrlEncodedContent(VolunteerForm(community, page2.AntiforgeryToken())));
        Assert.Equal("/me", retried.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(1, await site.WithDbAsync(db => db.Admissions.CountAsync(a => a.CommunityId == community)));
    }

    private static async Task<(HttpClient Client, int Community, string Token)> ArrangeAsync(SiteFactory site, string email, string culture)
    {
        var community = await site.CreateCommunityAsync("c-lock");
        await site.CreateUserAsync(email, "王小明", culture: culture);
        var client = site.CreateBrowserClient();
        await client.SignInAsync(email);
        if (culture != "zh-CN")
        {
            await client.SubmitAsync("/", "/culture", [new("culture", culture), new("returnUrl", "/")]);
        }
        var page = await client.GetDocumentAsync($"/tracks/volunteer?community={community.Id}");
        return (client, community.Id, page.AntiforgeryToken());
    }

    private static Task<string> CountRowsAsync(SiteFactory site) => site.WithDbAsync(async db =>
        string.Join(",", await db.Admissions.CountAsync(), await db.AdmissionStateChanges.CountAsync(), await db.VolunteerProfiles.CountAsync(),
            await db.UserRoles.CountAsync(), await db.AuditEvents.CountAsync(), await db.OutboxMessages.CountAsync()));
}
