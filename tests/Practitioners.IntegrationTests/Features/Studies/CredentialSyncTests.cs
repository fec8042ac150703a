using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Studies;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>
/// Enrolments follow the researcher credential and the study's dates. Each test owns its site: they move the clock by
/// years. The site starts at 2026-03-02 01:00 UTC; an R credential lasts 36 months.
/// </summary>
public sealed class CredentialSyncTests : IDisposable
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly DateOnly LongEnd = new(2029, 12, 31);
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private sealed record Team(HttpClient Lead, HttpClient Member, int CommunityId, string MemberEmail, DateTime MemberExpires);

    /// <summary>
    /// A lead, and a member certified ten days later (so their credentials expire on different days), in a community
    /// whose manager agrees to every study.
    /// </summary>
    private async Task<Team> TeamAsync()
    {
        var community = await _site.CreateCommunityAsync("sync-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("lead@example.cn", "赵负责", "sync-home");
        _site.Clock.Advance(TimeSpan.FromDays(10));
        var (member, user, _) = await _site.CertifiedResearcherAsync("member@example.cn", "钱成员", "sync-home");
        await lead.SignInAsync("lead@example.cn");
        var expires = await _site.WithDbAsync(db => db.Certificates.Where(c => c.UserId == user.Id).Select(c => c.ExpiresAt).SingleAsync());
        return new Team(lead, member, community.Id, "member@example.cn", expires);
    }

    /// <summary>A published study the community agreed to, with the member approved onto it.</summary>
    private async Task<(int StudyId, int EnrolmentId)> OnStudyAsync(Team team, string title, DateOnly end)
    {
        var studyId = await team.Lead.PublishedStudyAsync(title, [team.CommunityId], Start, end);
        var manager = await ManagerAsync(team.CommunityId);
        await manager.ConsentAsync(studyId, team.CommunityId, approve: true);
        (await team.Member.JoinStudyAsync(studyId, "钱成员")).EnsureSuccessStatusCode();
        var enrolmentId = await _site.WithDbAsync(db => db.Enrolments.Where(e => e.StudyId == studyId).Select(e => e.Id).SingleAsync());
        await team.Lead.DecideEnrolmentAsync(studyId, enrolmentId, approve: true);
        Assert.Equal(EnrolmentState.Approved, await StateAsync(enrolmentId));
        return (studyId, enrolmentId);
    }

    private int _managers;

    private Task<HttpClient> ManagerAsync(int communityId) => _site.ManagerOfAsync($"mgr{++_managers}@example.cn", communityId);

    /// <summary>What the daily job does, run on the test's clock.</summary>
    private async Task<EnrolmentSyncResult> SweepAsync()
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SyncEnrolmentsWithCredentials>().RunAsync(CancellationToken.None);
    }

    private Task<EnrolmentState> StateAsync(int id) => _site.WithDbAsync(db => db.Enrolments.Where(e => e.Id == id).Select(e => e.State).SingleAsync());

    /// <summary>Which section of the study's roster page lists the member: team, suspended or past.</summary>
    private async Task<string?> RosterSectionAsync(HttpClient viewer, int studyId, int enrolmentId) =>
        (await viewer.GetDocumentAsync($"/studies/{studyId}/roster"))
            .QuerySelector($"[data-roster] tr[data-enrolment='{enrolmentId}']")?.Closest("[data-roster]")?.GetAttribute("data-roster");

    [Fact]
    public async Task AnExpiredCredential_TakesTheResearcherOffEveryRoster_TheSameDay()
    {
        var team = await TeamAsync();
        var (first, firstEnrolment) = await OnStudyAsync(team, "第一项研究", LongEnd);
        var (second, secondEnrolment) = await OnStudyAsync(team, "第二项研究", LongEnd);
        var expiryDay = DateOnly.FromDateTime(team.MemberExpires);

        // A minute before the credential expires the member is on both teams, and the sweep leaves them there.
        _site.Clock.SetUtcNow(team.MemberExpires.AddMinutes(-1));
        await team.Lead.SignInAsync("lead@example.cn");
        await SweepAsync();
        Assert.Equal("team", await RosterSectionAsync(team.Lead, first, firstEnrolment));
        Assert.Equal(EnrolmentState.Approved, await StateAsync(secondEnrolment));

        // A second after, on the same day: both rosters show them suspended before any sweep has run...
        _site.Clock.SetUtcNow(team.MemberExpires.AddSeconds(1));
        Assert.Equal(expiryDay, DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime));
        Assert.Equal("suspended", await RosterSectionAsync(team.Lead, first, firstEnrolment));
        Assert.Equal("suspended", await RosterSectionAsync(team.Lead, second, secondEnrolment));

        // ...and the sweep records it, for every study, that day.
        var result = await SweepAsync();

        Assert.Equal(2, result.Suspended);
        foreach (var id in new[] { firstEnrolment, secondEnrolment })
        {
            Assert.Equal(EnrolmentState.Suspended, await StateAsync(id));
            var last = await _site.WithDbAsync(db => db.EnrolmentStateChanges.Where(h => h.EnrolmentId == id).OrderByDescending(h => h.Id).FirstAsync());
            Assert.Equal((EnrolmentState.Approved, EnrolmentState.Suspended, "credential not valid"), (last.From!.Value, last.To, last.Reason));
            Assert.Equal(expiryDay, DateOnly.FromDateTime(last.At));
            Assert.Null(last.ByUserId);
        }
        await _site.Smtp.WaitForAsync(team.MemberEmail, m => m.Subject!.Contains("第一项研究") && m.Subject.Contains("暂停"));
        await _site.Smtp.WaitForAsync(team.MemberEmail, m => m.Subject!.Contains("第二项研究") && m.Subject.Contains("暂停"));
        await team.Member.SignInAsync(team.MemberEmail);
        Assert.Contains("已暂停", (await team.Member.GetDocumentAsync($"/studies/{first}")).QuerySelector(".my-enrolment")!.TextContent);

        // Idempotent: a second run the same day changes nothing.
        Assert.Equal(new EnrolmentSyncResult(0, 0, 0, 0), await SweepAsync());
    }

    [Fact]
    public async Task RenewingTheCredential_PutsTheResearcherBackOnTheTeam()
    {
        var team = await TeamAsync();
        var (studyId, enrolmentId) = await OnStudyAsync(team, "续期后恢复", LongEnd);
        _site.Clock.SetUtcNow(team.MemberExpires.AddDays(1));
        await SweepAsync();
        Assert.Equal(EnrolmentState.Suspended, await StateAsync(enrolmentId));

        await team.Member.SignInAsync(team.MemberEmail);
        Assert.Contains("通过！", await team.Member.PassModuleAsync(_site, "refresher-researcher"));

        await team.Lead.SignInAsync("lead@example.cn");
        Assert.Equal("team", await RosterSectionAsync(team.Lead, studyId, enrolmentId));
        var result = await SweepAsync();
        Assert.Equal(1, result.Resumed);
        Assert.Equal(EnrolmentState.Approved, await StateAsync(enrolmentId));
        await _site.Smtp.WaitForAsync(team.MemberEmail, m => m.Subject!.Contains("恢复"));
        var history = await _site.WithDbAsync(db => db.EnrolmentStateChanges.Where(h => h.EnrolmentId == enrolmentId).OrderBy(h => h.Id).Select(h => h.To).ToListAsync());
        Assert.Equal([EnrolmentState.Requested, EnrolmentState.Approved, EnrolmentState.Suspended, EnrolmentState.Approved], history);
    }

    [Fact]
    public async Task ASuspendedCertificate_SuspendsThePlace_AndReinstatingItBringsItBack()
    {
        var team = await TeamAsync();
        var (studyId, enrolmentId) = await OnStudyAsync(team, "证书暂停", LongEnd);
        var homeId = await _site.WithDbAsync(db => db.Communities.Where(c => c.Code == "sync-home").Select(c => c.Id).SingleAsync());
        var number = await _site.WithDbAsync(db => db.Certificates.Where(c => c.User.Email == team.MemberEmail).Select(c => c.Number).SingleAsync());
        var homeManager = await ManagerAsync(homeId);
        var page = $"/manage/certificates/{number}";

        await homeManager.SubmitAsync(page, $"{page}/status", [new("Action", "Suspend"), new("Reason", "家长投诉，调查中")]);
        Assert.Equal("suspended", await RosterSectionAsync(team.Lead, studyId, enrolmentId));
        Assert.Equal(1, (await SweepAsync()).Suspended);
        Assert.Equal(EnrolmentState.Suspended, await StateAsync(enrolmentId));

        await homeManager.SubmitAsync(page, $"{page}/status", [new("Action", "Reinstate"), new("Reason", "调查结束")]);
        Assert.Equal(1, (await SweepAsync()).Resumed);
        Assert.Equal(EnrolmentState.Approved, await StateAsync(enrolmentId));
    }

    [Fact]
    public async Task WhenTheStudyEnds_EveryPlaceEnds_AndNobodyCanAskToJoin()
    {
        var team = await TeamAsync();
        var end = new DateOnly(2026, 6, 30);
        var (studyId, enrolmentId) = await OnStudyAsync(team, "短期研究", end);
        var (late, _, _) = await _site.CertifiedResearcherAsync("late@example.cn", "孙迟到", "sync-home");
        var text = await _site.WithDbAsync(db => db.StudyAgreements.Where(a => a.StudyId == studyId).Select(a => a.TextZh).SingleAsync());

        // The last day of the study is still open; the next day it has ended.
        _site.Clock.SetUtcNow(new DateTime(2026, 6, 30, 23, 0, 0, DateTimeKind.Utc));
        Assert.Equal(0, (await SweepAsync()).Ended);
        _site.Clock.SetUtcNow(new DateTime(2026, 7, 1, 0, 0, 1, DateTimeKind.Utc));
        await team.Lead.SignInAsync("lead@example.cn");
        Assert.Equal("past", await RosterSectionAsync(team.Lead, studyId, enrolmentId));
        Assert.Equal(1, (await SweepAsync()).Ended);
        Assert.Equal(EnrolmentState.Ended, await StateAsync(enrolmentId));

        await late.SignInAsync("late@example.cn");
        var response = await late.JoinStudyAsync(studyId, "孙迟到", Practitioners.Web.Features.Agreements.AgreementRules.Hash(text));
        Assert.Contains("这个研究项目已经结束", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await _site.WithDbAsync(db => db.Enrolments.CountAsync(e => e.StudyId == studyId)));
    }

    [Fact]
    public async Task MembersWhoseCredentialExpiresBeforeTheStudyEnds_AreToldOnce()
    {
        var team = await TeamAsync();
        await OnStudyAsync(team, "长期研究", LongEnd);
        await OnStudyAsync(team, "年内研究", new DateOnly(2026, 12, 31));

        var first = await SweepAsync();
        var second = await SweepAsync();

        Assert.Equal(1, first.Reminded);
        Assert.Equal(0, second.Reminded);
        var reminder = await _site.Smtp.WaitForAsync(team.MemberEmail, m => m.Subject!.Contains("结束前到期"));
        Assert.Contains("长期研究", reminder.Subject);
        Assert.Contains(team.MemberExpires.ToString("yyyy-MM-dd"), reminder.TextBody);
        Assert.Single(_site.Smtp.Messages, m => m.Subject!.Contains("结束前到期"));
    }
}
