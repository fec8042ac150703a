using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Studies;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>Each listed community's manager decides for their community, as CommunityAccess defines them; nobody else does.</summary>
public sealed class ConsentTests : IClassFixture<SiteFactory>
{
    private static readonly DateOnly Start = new(2026, 4, 1);
    private static readonly DateOnly End = new(2027, 3, 31);
    private readonly SiteFactory _site;

    public ConsentTests(SiteFactory site) => _site = site;

    private Task<ConsentState> ConsentAsync(int studyId, int communityId) =>
        _site.WithDbAsync(db => db.StudyCommunities.Where(c => c.StudyId == studyId && c.CommunityId == communityId).Select(c => c.Consent).SingleAsync());

    [Fact]
    public async Task TheManager_SeesTheStudyWaiting_AndAgreesForTheirCommunity_AndTheLeadIsTold()
    {
        var community = await _site.CreateCommunityAsync("agree-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("agree-lead@example.cn", "赵负责", "agree-home");
        var studyId = await lead.PublishedStudyAsync("同意测试研究", [community.Id], Start, End);
        var manager = await _site.ManagerOfAsync("agree-mgr@example.cn", community.Id);

        var hub = await manager.GetDocumentAsync("/studies");
        Assert.NotNull(hub.QuerySelector($"#consent-heading ~ ul li[data-study='{studyId}']"));
        var page = await manager.GetDocumentAsync($"/studies/{studyId}");
        Assert.NotNull(page.QuerySelector($"form[action='/studies/{studyId}/consent/{community.Id}']"));

        var response = await manager.ConsentAsync(studyId, community.Id, approve: true);

        Assert.Contains("已同意该研究项目在社区开展", await response.Content.ReadAsStringAsync());
        Assert.Equal(ConsentState.Approved, await ConsentAsync(studyId, community.Id));
        Assert.Contains("测试社区 agree-site", (await _site.Smtp.WaitForAsync("agree-lead@example.cn", m => m.Subject!.Contains("社区已同意"))).TextBody);
        var again = await manager.ConsentAsync(studyId, community.Id, approve: false, "改主意");
        Assert.Contains("这个社区已经作出决定", await again.Content.ReadAsStringAsync());
        Assert.Equal(ConsentState.Approved, await ConsentAsync(studyId, community.Id));
    }

    [Fact]
    public async Task AManagerOfAnotherCommunity_OrAResearcher_GetsNotFound_AndNothingChanges()
    {
        var listed = await _site.CreateCommunityAsync("scope-listed");
        var elsewhere = await _site.CreateCommunityAsync("scope-elsewhere");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("scope-lead@example.cn", "钱负责", "scope-home");
        var studyId = await lead.PublishedStudyAsync("范围测试研究", [listed.Id], Start, End);
        var outsider = await _site.ManagerOfAsync("scope-outsider@example.cn", elsewhere.Id, followRedirects: false);
        var (researcher, _, _) = await _site.CertifiedResearcherAsync("scope-researcher@example.cn", "钱旁人", "scope-home");

        var page = await outsider.GetDocumentAsync($"/studies/{studyId}");
        var byOutsider = await outsider.ConsentAsync(studyId, listed.Id, approve: true);
        var forTheirOwn = await outsider.ConsentAsync(studyId, elsewhere.Id, approve: true);
        var byLead = await lead.ConsentAsync(studyId, listed.Id, approve: true);
        var byResearcher = await researcher.ConsentAsync(studyId, listed.Id, approve: true);

        Assert.Null(page.QuerySelector("form[action*='/consent/']"));
        Assert.All([byOutsider, forTheirOwn, byLead, byResearcher], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(ConsentState.Pending, await ConsentAsync(studyId, listed.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/studies/{studyId}/roster")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/studies/{studyId}/roster/export")).StatusCode);
    }

    [Fact]
    public async Task AStreetManager_DecidesForEachCommunityOfTheStreet_AndADeclineNeedsAReason()
    {
        var north = await _site.CreateCommunityAsync("street-north", streetCode: "street-consent");
        var south = await _site.CreateCommunityAsync("street-south", streetCode: "street-consent");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("street-lead@example.cn", "孙负责", "street-home");
        var studyId = await lead.PublishedStudyAsync("街道测试研究", [north.Id, south.Id], Start, End);
        await _site.CreateUserAsync("street-mgr@example.cn", "街道管理员", roles: Practitioners.Web.Features.Accounts.Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "street-mgr@example.cn").Id, StreetId = north.StreetId });
            return await db.SaveChangesAsync();
        });
        var manager = _site.CreateBrowserClient();
        await manager.SignInAsync("street-mgr@example.cn");

        var noReason = await manager.ConsentAsync(studyId, south.Id, approve: false);
        Assert.Contains("请填写原因", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(ConsentState.Pending, await ConsentAsync(studyId, south.Id));

        await manager.ConsentAsync(studyId, north.Id, approve: true);
        await manager.ConsentAsync(studyId, south.Id, approve: false, "本社区暑期场地维修");

        Assert.Equal(ConsentState.Approved, await ConsentAsync(studyId, north.Id));
        Assert.Equal(ConsentState.Declined, await ConsentAsync(studyId, south.Id));
        Assert.Contains("本社区暑期场地维修", (await _site.Smtp.WaitForAsync("street-lead@example.cn", m => m.Subject!.Contains("社区未同意"))).TextBody);
        var shown = await lead.GetDocumentAsync($"/studies/{studyId}");
        Assert.Contains("本社区暑期场地维修", shown.QuerySelector($"tr[data-community='{south.Id}']")!.TextContent);
    }
}
