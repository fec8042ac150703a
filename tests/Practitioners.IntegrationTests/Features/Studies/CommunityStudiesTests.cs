using System.Net;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>The public page per community: the studies it agreed to, and nothing else, for anyone.</summary>
public sealed class CommunityStudiesTests : IClassFixture<SiteFactory>
{
    private static readonly DateOnly Start = new(2026, 4, 1);
    private static readonly DateOnly End = new(2027, 3, 31);
    private readonly SiteFactory _site;

    public CommunityStudiesTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task Anyone_SeesTheStudiesTheCommunityAgreedTo_WithTheirEthicsApprovalAndLead()
    {
        var community = await _site.CreateCommunityAsync("public-site");
        var neighbour = await _site.CreateCommunityAsync("public-neighbour");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("public-lead@example.cn", "李负责", "public-home");
        var agreed = await lead.PublishedStudyAsync("已同意的研究", [community.Id, neighbour.Id], Start, End);
        await lead.PublishedStudyAsync("待同意的研究", [community.Id], Start, End);
        var declined = await lead.PublishedStudyAsync("被拒绝的研究", [community.Id], Start, End);
        var withdrawn = await lead.PublishedStudyAsync("已撤回的研究", [community.Id], Start, End);
        await lead.CreateStudyAsync(StudyJourneys.StudyForm("草稿研究", [community.Id], Start, End));
        var manager = await _site.ManagerOfAsync("public-mgr@example.cn", community.Id);
        await manager.ConsentAsync(agreed, community.Id, approve: true);
        await manager.ConsentAsync(declined, community.Id, approve: false, "不适合");
        await manager.ConsentAsync(withdrawn, community.Id, approve: true);
        await lead.SubmitAsync($"/studies/{withdrawn}", $"/studies/{withdrawn}/withdraw", [new("reason", "停止")]);
        var anonymous = _site.CreateBrowserClient();

        var page = await anonymous.GetDocumentAsync("/communities/public-site/studies");
        var neighbourPage = await anonymous.GetDocumentAsync("/communities/public-neighbour/studies");

        var rows = page.QuerySelectorAll(".public-studies .public-study").Select(r => r.TextContent).ToList();
        var row = Assert.Single(rows);
        foreach (var expected in new[] { "已同意的研究", "华东大学", "华东大学伦审 2026-017", "华东大学伦理委员会", "2026-04-01 – 2027-03-31", "李负责" })
        {
            Assert.Contains(expected, row);
        }
        Assert.Empty(neighbourPage.QuerySelectorAll(".public-studies .public-study"));
        Assert.DoesNotContain("public-lead@example.cn", page.DocumentElement.OuterHtml);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/communities/no-such-place/studies")).StatusCode);
    }
}
