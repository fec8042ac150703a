using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Studies;

/// <summary>The roster and its export: for the lead and the managers of the study's communities only.</summary>
public sealed class StudyRosterTests : IClassFixture<SiteFactory>
{
    private static readonly DateOnly Start = new(2026, 4, 1);
    private static readonly DateOnly End = new(2027, 3, 31);
    private readonly SiteFactory _site;

    public StudyRosterTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task TheLeadAndTheCommunitysManager_SeeEachMembersCredential_OthersGetNotFound()
    {
        var community = await _site.CreateCommunityAsync("roster-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("roster-lead@example.cn", "赵负责", "roster-home");
        var studyId = await lead.PublishedStudyAsync("名单研究", [community.Id], Start, End);
        var manager = await _site.ManagerOfAsync("roster-mgr@example.cn", community.Id);
        await manager.ConsentAsync(studyId, community.Id, approve: true);
        var (member, _, _) = await _site.CertifiedResearcherAsync("roster-member@example.cn", "钱成员", "roster-home");
        await member.JoinStudyAsync(studyId, "钱成员");
        var enrolmentId = await _site.WithDbAsync(db => db.Enrolments.Where(e => e.StudyId == studyId).Select(e => e.Id).SingleAsync());
        await lead.DecideEnrolmentAsync(studyId, enrolmentId, approve: true);
        var number = await _site.WithDbAsync(db => db.Certificates.Where(c => c.User.Email == "roster-member@example.cn").Select(c => c.Number).SingleAsync());

        foreach (var viewer in new[] { lead, manager })
        {
            var row = (await viewer.GetDocumentAsync($"/studies/{studyId}/roster")).QuerySelector($"[data-roster='team'] tr[data-enrolment='{enrolmentId}']");
            Assert.NotNull(row);
            Assert.Contains("钱成员", row.TextContent);
            Assert.Contains(number, row.TextContent);
            Assert.Contains("有效", row.TextContent);
        }
        // Only the lead acts on the team.
        Assert.Null((await manager.GetDocumentAsync($"/studies/{studyId}/roster")).QuerySelector("form[action*='/enrolments/']"));

        var other = await _site.ManagerOfAsync("roster-other@example.cn", (await _site.CreateCommunityAsync("roster-other")).Id);
        var (stranger, _, _) = await _site.CertifiedResearcherAsync("roster-stranger@example.cn", "孙路人", "roster-home");
        foreach (var outsider in new[] { other, stranger, member })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/studies/{studyId}/roster")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/studies/{studyId}/roster/export")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await _site.CreateBrowserClient(followRedirects: false).GetAsync($"/studies/{studyId}/roster")).StatusCode);
    }

    [Fact]
    public async Task TheExport_IsUtf8WithABom_InTheViewersLanguage_WithFormulasNeutralised()
    {
        var community = await _site.CreateCommunityAsync("export-site");
        var (lead, _, _) = await _site.CertifiedResearcherAsync("export-lead@example.cn", "赵负责", "export-home");
        var studyId = await lead.PublishedStudyAsync("导出研究", [community.Id], Start, End);
        var manager = await _site.ManagerOfAsync("export-mgr@example.cn", community.Id);
        await manager.ConsentAsync(studyId, community.Id, approve: true);
        var (member, _, _) = await _site.CertifiedResearcherAsync("export-member@example.cn", "=HYPERLINK(\"http://x\")", "export-home");
        await member.JoinStudyAsync(studyId, "=HYPERLINK(\"http://x\")");

        var response = await manager.GetAsync($"/studies/{studyId}/roster/export");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("姓名,电子邮箱,手机号码,成员状态,申请日期", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://x\"\")\",export-member@example.cn", row);
        Assert.Contains(",已申请,2026-03-02,CFC-R-2026-", row);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "study.roster.exported" && e.SubjectId == studyId.ToString())));
    }
}
