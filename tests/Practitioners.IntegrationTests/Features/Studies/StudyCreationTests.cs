using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Studies;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>Who may write a study, what a study must say, and the agreement publishing fixes.</summary>
public sealed class StudyCreationTests : IClassFixture<SiteFactory>
{
    private static readonly DateOnly Start = new(2026, 4, 1);
    private static readonly DateOnly End = new(2027, 3, 31);
    private readonly SiteFactory _site;

    public StudyCreationTests(SiteFactory site) => _site = site;

    private Task<int> StudiesAsync() => _site.WithDbAsync(db => db.Studies.CountAsync());

    [Fact]
    public async Task ACertifiedResearcher_WritesADraft_AndPublishingFixesTheFilledAgreement()
    {
        var east = await _site.CreateCommunityAsync("create-east");
        var west = await _site.CreateCommunityAsync("create-west");
        var (lead, user, _) = await _site.CertifiedResearcherAsync("create-lead@example.cn", "李研究", "create-home");

        var (id, _) = await lead.CreateStudyAsync(StudyJourneys.StudyForm("社区游戏空间儿童参与研究", [east.Id, west.Id], Start, End,
            ethicsNumber: "HD-IRB-2026-031", terms: "- 照片一律不拍儿童面部。"));

        var draft = await _site.WithDbAsync(db => db.Studies.Include(s => s.Communities).AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal((StudyState.Draft, user.Id, user.Id), (draft.State, draft.LeadUserId, draft.CreatedByUserId));
        Assert.Equal([east.Id, west.Id], draft.Communities.Select(c => c.CommunityId).Order());
        var preview = await lead.GetDocumentAsync($"/studies/{id}");
        Assert.Contains("HD-IRB-2026-031", preview.QuerySelector(".agreement-text")!.TextContent);
        var edited = await lead.SubmitAsync($"/studies/{id}/edit", $"/studies/{id}/edit",
            StudyJourneys.StudyForm("社区游戏空间儿童参与研究（修订）", [east.Id], Start, End, ethicsNumber: "HD-IRB-2026-031", terms: "- 照片一律不拍儿童面部。"));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        await lead.PublishStudyAsync(id);

        var agreement = await _site.WithDbAsync(db => db.StudyAgreements.AsNoTracking().SingleAsync(a => a.StudyId == id));
        Assert.Equal(StudyState.Published, await _site.WithDbAsync(db => db.Studies.Where(s => s.Id == id).Select(s => s.State).SingleAsync()));
        Assert.Equal(("study-data-use-template", 1), (agreement.TemplateId, agreement.TemplateVersion));
        Assert.DoesNotContain("{{", agreement.TextZh);
        Assert.DoesNotContain("{{", agreement.TextEn);
        foreach (var expected in new[] { "社区游戏空间儿童参与研究（修订）", "华东大学", "李研究", "华东大学伦理委员会批准，批准号 HD-IRB-2026-031",
                     "测试社区 create-east", "2026-04-01 至 2027-03-31", "照片一律不拍儿童面部" })
        {
            Assert.Contains(expected, agreement.TextZh);
        }
        Assert.DoesNotContain("测试社区 create-west", agreement.TextZh);
        Assert.Contains("HD-IRB-2026-031, approved by 华东大学伦理委员会", agreement.TextEn);
        Assert.Contains("Test community create-east", agreement.TextEn);
        Assert.Contains("Interview recordings stay on the university's encrypted server.", agreement.TextEn);

        // Published: no more edits.
        var late = await lead.SubmitAsync($"/studies/{id}", $"/studies/{id}/edit", StudyJourneys.StudyForm("改名", [east.Id], Start, End));
        Assert.Contains("研究项目发布后不能再修改", await late.Content.ReadAsStringAsync());
        Assert.Equal("社区游戏空间儿童参与研究（修订）", await _site.WithDbAsync(db => db.Studies.Where(s => s.Id == id).Select(s => s.TitleZh).SingleAsync()));
    }

    [Fact]
    public async Task WithoutAValidResearcherCredential_NobodyCreatesAStudy_AndNothingIsRecorded()
    {
        var community = await _site.CreateCommunityAsync("nocreate-site");
        await _site.TrainedAsync("nocreate-researcher@example.cn", RoleTrack.Researcher, "周未签", communityCode: "nocreate-home");
        var uncertified = _site.CreateBrowserClient();
        await uncertified.SignInAsync("nocreate-researcher@example.cn");
        var before = await StudiesAsync();

        var page = await uncertified.GetDocumentAsync("/studies/new");
        var token = (await uncertified.GetDocumentAsync("/studies")).AntiforgeryToken();
        var posted = await uncertified.PostAsync("/studies/new", new FormUrlEncodedContent(
            StudyJourneys.StudyForm("无证研究", [community.Id], Start, End).Append(new("__RequestVerificationToken", token))));

        Assert.Null(page.QuerySelector("form[action='/studies/new']"));
        Assert.Contains("只有持有有效研究人员资格", page.QuerySelector("main")!.TextContent);
        Assert.Contains("只有持有有效研究人员资格", await posted.Content.ReadAsStringAsync());
        Assert.Equal(before, await StudiesAsync());
    }

    [Fact]
    public async Task AnEndBeforeTheStart_OrNoEthicsApprovalNumber_IsRefusedWithClearErrors()
    {
        var community = await _site.CreateCommunityAsync("bad-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("bad-lead@example.cn", "吴填写", "bad-home");
        var before = await StudiesAsync();

        var (backwards, backwardsResponse) = await lead.CreateStudyAsync(StudyJourneys.StudyForm("倒序", [community.Id], End, Start));
        var (noEthics, noEthicsResponse) = await lead.CreateStudyAsync(StudyJourneys.StudyForm("无伦理", [community.Id], Start, End, ethicsNumber: ""));
        var (nowhere, nowhereResponse) = await lead.CreateStudyAsync(StudyJourneys.StudyForm("无社区", [], Start, End));

        Assert.Equal((0, 0, 0), (backwards, noEthics, nowhere));
        Assert.Contains("结束日期不能早于开始日期。", (await backwardsResponse.ParseAsync()).FieldErrors());
        Assert.Contains("请填写伦理审查批准号：没有伦理审查批准的研究不能在社区开展。", (await noEthicsResponse.ParseAsync()).FieldErrors());
        Assert.Contains("请至少选择一个开展研究的社区。", (await nowhereResponse.ParseAsync()).FieldErrors());
        Assert.Equal(before, await StudiesAsync());
    }

    [Fact]
    public async Task AnAdmin_CreatesAStudyForACertifiedLead_ButNotForSomeoneWithoutACredential()
    {
        var community = await _site.CreateCommunityAsync("admin-site");
        var (_, lead, _) = await _site.CertifiedResearcherAsync("admin-lead@example.cn", "郑负责", "admin-home");
        await _site.CreateUserAsync("admin-nocred@example.cn", "王无证");
        await _site.CreateUserAsync("studies-admin@example.cn", "管理员", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync("studies-admin@example.cn");

        var (refused, refusedResponse) = await admin.CreateStudyAsync(
            StudyJourneys.StudyForm("代建研究", [community.Id], Start, End).Append(new("LeadEmail", "admin-nocred@example.cn")));
        var (id, _) = await admin.CreateStudyAsync(
            StudyJourneys.StudyForm("代建研究", [community.Id], Start, End).Append(new("LeadEmail", "admin-lead@example.cn")));

        Assert.Equal(0, refused);
        Assert.Contains("项目负责人必须持有有效的研究人员资格", await refusedResponse.Content.ReadAsStringAsync());
        Assert.Equal(lead.Id, await _site.WithDbAsync(db => db.Studies.Where(s => s.Id == id).Select(s => s.LeadUserId).SingleAsync()));
    }

    [Fact]
    public async Task ADraft_IsTheLeadsAlone()
    {
        var community = await _site.CreateCommunityAsync("draft-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("draft-lead@example.cn", "冯起草", "draft-home");
        var (other, _, _) = await _site.CertifiedResearcherAsync("draft-other@example.cn", "冯旁观", "draft-home");
        var manager = await _site.ManagerOfAsync("draft-mgr@example.cn", community.Id);
        var (id, _) = await lead.CreateStudyAsync(StudyJourneys.StudyForm("草稿研究", [community.Id], Start, End));
        var token = (await other.GetDocumentAsync("/studies")).AntiforgeryToken();

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/studies/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/studies/{id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/studies/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/studies/{id}/publish",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]))).StatusCode);
        Assert.Equal(StudyState.Draft, await _site.WithDbAsync(db => db.Studies.Where(s => s.Id == id).Select(s => s.State).SingleAsync()));
        Assert.DoesNotContain("草稿研究", await (await manager.GetAsync("/studies")).Content.ReadAsStringAsync());
    }
}
