using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Studies;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>Asking to join: the gates, the signature's evidence, and the lead's decision. The clock does not move here.</summary>
public sealed class EnrolmentTests : IClassFixture<SiteFactory>
{
    private static readonly DateOnly Start = new(2026, 3, 1);
    private static readonly DateOnly End = new(2026, 12, 31);
    private readonly SiteFactory _site;

    public EnrolmentTests(SiteFactory site) => _site = site;

    /// <summary>A lead with a published study in a community whose manager agreed to it.</summary>
    private async Task<(HttpClient Lead, int StudyId)> ApprovedStudyAsync(string prefix, int maxTeamSize = 3)
    {
        var community = await _site.CreateCommunityAsync($"{prefix}-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync($"{prefix}-lead@example.cn", "赵负责", $"{prefix}-home");
        var studyId = await lead.PublishedStudyAsync($"{prefix} 儿童游戏空间研究", [community.Id], Start, End, maxTeamSize);
        var manager = await _site.ManagerOfAsync($"{prefix}-mgr@example.cn", community.Id);
        (await manager.ConsentAsync(studyId, community.Id, approve: true)).EnsureSuccessStatusCode();
        return (lead, studyId);
    }

    private Task<string> TextHashAsync(int studyId) =>
        _site.WithDbAsync(async db => AgreementRules.Hash(await db.StudyAgreements.Where(a => a.StudyId == studyId).Select(a => a.TextZh).SingleAsync()));

    private Task<int> RecordsAsync(int studyId) =>
        _site.WithDbAsync(async db => await db.StudySignatures.CountAsync(s => s.StudyId == studyId) + await db.Enrolments.CountAsync(e => e.StudyId == studyId));

    [Fact]
    public async Task SigningAndAsking_KeepsTheEvidence_AndTheLeadApproves()
    {
        var (lead, studyId) = await ApprovedStudyAsync("evid");
        var (researcher, user, _) = await _site.CertifiedResearcherAsync("evid-member@example.cn", "钱研究", "evid-home");

        var response = await researcher.JoinStudyAsync(studyId, "钱 研究");

        Assert.Contains("已签署协议并提交申请", await response.Content.ReadAsStringAsync());
        var signature = await _site.WithDbAsync(db => db.StudySignatures.SingleAsync(s => s.StudyId == studyId));
        Assert.Equal(user.Id, signature.UserId);
        Assert.Equal(await TextHashAsync(studyId), signature.TextHash);
        Assert.Equal("zh-CN", signature.Language);
        Assert.Equal("钱 研究", signature.TypedName);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, signature.SignedAt);
        Assert.Equal("203.0.113.7", signature.IpAddress);
        Assert.Equal("PractitionersTests/1.0", signature.UserAgent);
        var enrolment = await _site.WithDbAsync(db => db.Enrolments.AsNoTracking().SingleAsync(e => e.StudyId == studyId));
        Assert.Equal(EnrolmentState.Requested, enrolment.State);
        Assert.Equal(signature.Id, enrolment.SignatureId);
        Assert.Contains("钱研究", (await _site.Smtp.WaitForAsync("evid-lead@example.cn", m => m.Subject!.Contains("加入申请"))).TextBody);

        var decided = await lead.DecideEnrolmentAsync(studyId, enrolment.Id, approve: true);

        Assert.Contains("已批准", await decided.Content.ReadAsStringAsync());
        Assert.Equal(EnrolmentState.Approved, await StateAsync(enrolment.Id));
        Assert.Contains("2026-12-31", (await _site.Smtp.WaitForAsync("evid-member@example.cn", m => m.Subject!.Contains("你已加入"))).TextBody);
        var history = await _site.WithDbAsync(db => db.EnrolmentStateChanges.Where(h => h.EnrolmentId == enrolment.Id).OrderBy(h => h.Id).Select(h => h.To).ToListAsync());
        Assert.Equal([EnrolmentState.Requested, EnrolmentState.Approved], history);
    }

    [Fact]
    public async Task AnEnglishReader_SignsTheEnglishText_AndThatIsTheTextHashed()
    {
        var (_, studyId) = await ApprovedStudyAsync("english");
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("english-member@example.cn", "Ana Lima", "english-home", culture: "en");

        var join = await researcher.GetDocumentAsync($"/studies/{studyId}/join");
        await researcher.JoinStudyAsync(studyId, "ana lima");

        Assert.StartsWith("Join:", join.QuerySelector("h1")!.TextContent);
        Assert.Contains("Study data use agreement", join.QuerySelector(".agreement-text")!.TextContent);
        var signature = await _site.WithDbAsync(db => db.StudySignatures.SingleAsync(s => s.StudyId == studyId));
        var english = await _site.WithDbAsync(db => db.StudyAgreements.Where(a => a.StudyId == studyId).Select(a => a.TextEn).SingleAsync());
        Assert.Equal(("en", AgreementRules.Hash(english)), (signature.Language, signature.TextHash));
    }

    [Fact]
    public async Task Signatures_AndEnrolmentHistory_CannotBeRewritten()
    {
        var (_, studyId) = await ApprovedStudyAsync("append");
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("append-member@example.cn", "孙追加", "append-home");
        await researcher.JoinStudyAsync(studyId, "孙追加");

        foreach (var sql in new[]
        {
            $"UPDATE \"StudySignatures\" SET \"TypedName\" = 'x' WHERE \"StudyId\" = {studyId}",
            $"DELETE FROM \"StudySignatures\" WHERE \"StudyId\" = {studyId}",
            $"UPDATE \"StudyAgreements\" SET \"TextZh\" = 'x' WHERE \"StudyId\" = {studyId}",
            "UPDATE \"EnrolmentStateChanges\" SET \"Reason\" = 'x'",
        })
        {
            var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql)));
            Assert.Contains("append-only", refused.Message);
        }
    }

    [Fact]
    public async Task WithoutAValidCredential_TheRequestIsRefused_AndNothingIsRecorded()
    {
        var (_, studyId) = await ApprovedStudyAsync("nocred");
        var hash = await TextHashAsync(studyId);
        // Trained but never signed the researcher agreement: no R credential.
        var (_, _, _) = await _site.TrainedAsync("nocred-member@example.cn", Practitioners.Web.Features.Admissions.RoleTrack.Researcher, "李无证", communityCode: "nocred-home");
        var uncertified = _site.CreateBrowserClient();
        await uncertified.SignInAsync("nocred-member@example.cn");
        // A volunteer's certificate is not a researcher credential.
        var (volunteerAdmission, volunteer) = await VolunteerAsync("nocred-volunteer@example.cn", "周志愿");

        var page = await uncertified.GetDocumentAsync($"/studies/{studyId}");
        var join = await uncertified.GetDocumentAsync($"/studies/{studyId}/join");
        var posted = await uncertified.JoinStudyAsync(studyId, "李无证", hash);
        var byVolunteer = await volunteer.JoinStudyAsync(studyId, "周志愿", hash);

        Assert.Contains("需要有效的研究人员资格", page.QuerySelector(".gate")!.TextContent);
        Assert.Null(join.QuerySelector("form[action$='/join']"));
        Assert.Contains("需要有效的研究人员资格", await posted.Content.ReadAsStringAsync());
        Assert.Contains("需要有效的研究人员资格", await byVolunteer.Content.ReadAsStringAsync());
        Assert.True(volunteerAdmission > 0);
        Assert.Equal(0, await RecordsAsync(studyId));
    }

    [Fact]
    public async Task TheLead_CannotAskToJoinTheirOwnStudy()
    {
        var (lead, studyId) = await ApprovedStudyAsync("own");

        var response = await lead.JoinStudyAsync(studyId, "赵负责", await TextHashAsync(studyId));

        Assert.Contains("你是这个项目的负责人", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await RecordsAsync(studyId));
    }

    [Fact]
    public async Task NoCommunityHasAgreed_NobodyCanJoin()
    {
        var community = await _site.CreateCommunityAsync("pending-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("pending-lead@example.cn", "吴负责", "pending-home");
        var studyId = await lead.PublishedStudyAsync("待同意的研究", [community.Id], Start, End);
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("pending-member@example.cn", "郑等待", "pending-home");

        var response = await researcher.JoinStudyAsync(studyId, "郑等待", await TextHashAsync(studyId));

        Assert.Contains("还没有社区同意这个研究项目", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await RecordsAsync(studyId));
    }

    [Fact]
    public async Task BeyondTheTeamSize_RequestsAndApprovalsAreRefused()
    {
        var (lead, studyId) = await ApprovedStudyAsync("full", maxTeamSize: 1);
        var (first, _, _) = await _site.CertifiedResearcherAsync("full-1@example.cn", "王一", "full-home");
        var (second, _, _) = await _site.CertifiedResearcherAsync("full-2@example.cn", "王二", "full-home");
        var (third, _, _) = await _site.CertifiedResearcherAsync("full-3@example.cn", "王三", "full-home");
        await first.JoinStudyAsync(studyId, "王一");
        await second.JoinStudyAsync(studyId, "王二");
        var ids = await _site.WithDbAsync(db => db.Enrolments.Where(e => e.StudyId == studyId).OrderBy(e => e.Id).Select(e => e.Id).ToListAsync());

        await lead.DecideEnrolmentAsync(studyId, ids[0], approve: true);
        var secondApproval = await lead.DecideEnrolmentAsync(studyId, ids[1], approve: true);
        var before = await RecordsAsync(studyId);
        var thirdRequest = await third.JoinStudyAsync(studyId, "王三", await TextHashAsync(studyId));

        Assert.Contains("团队人数已满，不能再批准", await secondApproval.Content.ReadAsStringAsync());
        Assert.Equal(EnrolmentState.Requested, await StateAsync(ids[1]));
        Assert.Contains("团队人数已满，暂时不能申请加入", await thirdRequest.Content.ReadAsStringAsync());
        Assert.Equal(before, await RecordsAsync(studyId));
    }

    [Fact]
    public async Task AWrongName_OrAChangedText_IsRefused_AndNothingIsRecorded()
    {
        var (_, studyId) = await ApprovedStudyAsync("name");
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("name-member@example.cn", "冯真名", "name-home");

        var wrongName = await researcher.JoinStudyAsync(studyId, "别人");
        var wrongText = await researcher.JoinStudyAsync(studyId, "冯真名", AgreementRules.Hash("another text"));

        Assert.Contains("输入的姓名与记录不一致，请输入：冯真名", await wrongName.Content.ReadAsStringAsync());
        Assert.Contains("协议在你打开页面后更新了", await wrongText.Content.ReadAsStringAsync());
        Assert.Equal(0, await RecordsAsync(studyId));
    }

    [Fact]
    public async Task ADecline_NeedsAReason_AndOnlyTheLeadDecides()
    {
        var (lead, studyId) = await ApprovedStudyAsync("decline");
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("decline-member@example.cn", "陈申请", "decline-home");
        var (other, _, _) = await _site.CertifiedResearcherAsync("decline-other@example.cn", "陈旁人", "decline-home");
        await researcher.JoinStudyAsync(studyId, "陈申请");
        var id = await _site.WithDbAsync(db => db.Enrolments.Where(e => e.StudyId == studyId).Select(e => e.Id).SingleAsync());

        var byOther = await other.SubmitAsync("/studies", $"/studies/{studyId}/enrolments/{id}/decision", [new("Approve", "true")]);
        var noReason = await lead.DecideEnrolmentAsync(studyId, id, approve: false);
        Assert.Equal(HttpStatusCode.NotFound, byOther.StatusCode);
        Assert.Contains("请填写原因", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(EnrolmentState.Requested, await StateAsync(id));

        await lead.DecideEnrolmentAsync(studyId, id, approve: false, "研究方向不匹配");

        Assert.Equal(EnrolmentState.Declined, await StateAsync(id));
        Assert.Contains("研究方向不匹配", (await _site.Smtp.WaitForAsync("decline-member@example.cn", m => m.Subject!.Contains("未通过"))).TextBody);
    }

    [Fact]
    public async Task WithdrawingTheStudy_EndsEveryPlaceOnIt()
    {
        var (lead, studyId) = await ApprovedStudyAsync("withdraw");
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("withdraw-member@example.cn", "褚成员", "withdraw-home");
        await researcher.JoinStudyAsync(studyId, "褚成员");
        var id = await _site.WithDbAsync(db => db.Enrolments.Where(e => e.StudyId == studyId).Select(e => e.Id).SingleAsync());
        await lead.DecideEnrolmentAsync(studyId, id, approve: true);

        await lead.SubmitAsync($"/studies/{studyId}", $"/studies/{studyId}/withdraw", [new("reason", "经费取消")]);

        Assert.Equal(EnrolmentState.Ended, await StateAsync(id));
        var again = await researcher.JoinStudyAsync(studyId, "褚成员", await TextHashAsync(studyId));
        Assert.Contains("这个研究项目已撤回", await again.Content.ReadAsStringAsync());
    }

    private async Task<(int AdmissionId, HttpClient Client)> VolunteerAsync(string email, string name)
    {
        var (_, admissionId, _) = await _site.TrainedAsync(email, Practitioners.Web.Features.Admissions.RoleTrack.Volunteer, name);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        await client.SignAsync(admissionId, name);
        return (admissionId, client);
    }

    private Task<EnrolmentState> StateAsync(int id) => _site.WithDbAsync(db => db.Enrolments.Where(e => e.Id == id).Select(e => e.State).SingleAsync());
}
