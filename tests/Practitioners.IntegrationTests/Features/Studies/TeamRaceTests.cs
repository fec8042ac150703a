using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Studies;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>
/// Requests and approvals posted at the same moment: the team never grows past its size and a researcher holds one open
/// request, on PostgreSQL as on SQLite (Data/Sql/WriteLocks).
/// </summary>
public sealed class TeamRaceTests : IClassFixture<RaceSite>
{
    private const int Posts = 16;
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly DateOnly End = new(2026, 12, 31);
    private readonly RaceSite _site;

    public TeamRaceTests(RaceSite site) => _site = site;

    private async Task<(HttpClient Lead, int StudyId)> ApprovedStudyAsync(string prefix, int maxTeamSize)
    {
        var community = await _site.CreateCommunityAsync($"{prefix}-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync($"{prefix}-lead@example.cn", "赵负责", $"{prefix}-home");
        var studyId = await lead.PublishedStudyAsync($"{prefix} 儿童游戏空间研究", [community.Id], Start, End, maxTeamSize);
        var manager = await _site.ManagerOfAsync($"{prefix}-mgr@example.cn", community.Id);
        (await manager.ConsentAsync(studyId, community.Id, approve: true)).EnsureSuccessStatusCode();
        return (lead, studyId);
    }

    [Fact]
    public async Task TheLeadApprovingSixteenRequests_AtOnce_FillsTheTeamExactly_TheRestAreToldItIsFull()
    {
        var (_, studyId) = await ApprovedStudyAsync("race-team", maxTeamSize: 3);
        for (var i = 0; i < Posts; i++)
        {
            var (researcher, _, _) = await _site.CertifiedResearcherAsync($"race-team-{i}@example.cn", $"研究员{i}", "race-team-home");
            (await researcher.JoinStudyAsync(studyId, $"研究员{i}")).EnsureSuccessStatusCode();
        }
        var requests = await _site.WithDbAsync(db => db.Enrolments.Where(e => e.StudyId == studyId && e.State == EnrolmentState.Requested)
            .Select(e => e.Id).ToListAsync());
        Assert.Equal(Posts, requests.Count);
        // The lead in sixteen tabs (sessions), so each decision's message comes back to its own page.
        var tabs = new List<(HttpClient Client, string Token)>();
        for (var i = 0; i < Posts; i++)
        {
            var tab = _site.CreateBrowserClient();
            await tab.SignInAsync("race-team-lead@example.cn");
            tabs.Add((tab, (await tab.GetDocumentAsync($"/studies/{studyId}/roster")).AntiforgeryToken()));
        }

        var responses = await _site.AllAtOnceAsync(Posts, async i =>
        {
            var response = await tabs[i].Client.PostAsync($"/studies/{studyId}/enrolments/{requests[i]}/decision",
                new FormUrlEncodedContent([new("Approve", "true"), new("Reason", ""), new("__RequestVerificationToken", tabs[i].Token)]));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(3, responses.Count(r => r.Body.Contains("已批准")));
        Assert.Equal(Posts - 3, responses.Count(r => r.Body.Contains("团队人数已满，不能再批准。")));
        Assert.Equal(3, await _site.WithDbAsync(db => db.Enrolments.CountAsync(e => e.StudyId == studyId && e.State == EnrolmentState.Approved)));
    }

    [Fact]
    public async Task OneResearcher_AskingToJoinSixteenTimes_AtOnce_HoldsOneRequest()
    {
        var (_, studyId) = await ApprovedStudyAsync("race-join", maxTeamSize: 3);
        var (researcher, user, _) = await _site.CertifiedResearcherAsync("race-join-member@example.cn", "孙研究", "race-join-home");
        var page = await researcher.GetDocumentAsync($"/studies/{studyId}/join");
        var fields = page.QuerySelectorAll("form[action$='/join'] input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat([new("TypedName", "孙研究"), new("Consent", "true")]).ToList();

        var responses = await _site.AllAtOnceAsync(Posts, async _ =>
        {
            var response = await researcher.PostAsync($"/studies/{studyId}/join", new FormUrlEncodedContent(fields));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses, r => r.Body.Contains("已签署协议并提交申请"));
        Assert.Equal(Posts - 1, responses.Count(r => r.Body.Contains("你已经申请或加入了这个研究项目。")));
        Assert.Equal(1, await _site.WithDbAsync(db => db.Enrolments.CountAsync(e => e.StudyId == studyId && e.UserId == user.Id)));
        Assert.Equal(1, await _site.WithDbAsync(db => db.StudySignatures.CountAsync(s => s.StudyId == studyId && s.UserId == user.Id)));
    }
}
