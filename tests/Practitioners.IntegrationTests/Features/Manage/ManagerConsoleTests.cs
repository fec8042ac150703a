using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Manage;

public sealed class ManagerConsoleTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public ManagerConsoleTests(SiteFactory site) => _site = site;

    private async Task<HttpClient> ManagerOfAsync(string email, params int[] communities)
    {
        await _site.CreateUserAsync(email, "管理员", roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            var id = db.Users.Single(u => u.Email == email).Id;
            foreach (var c in communities)
            {
                db.ManagerAssignments.Add(new() { UserId = id, CommunityId = c });
            }
            return await db.SaveChangesAsync();
        });
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        return client;
    }

    private async Task<string> CertifyAsync(string email, string name, string community)
    {
        var (_, admissionId, _) = await _site.TrainedAsync(email, RoleTrack.Volunteer, name, communityCode: community);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        await client.SignAsync(admissionId, name);
        return await _site.WithDbAsync(db => db.Certificates.Where(c => c.AdmissionId == admissionId).Select(c => c.Number).SingleAsync());
    }

    [Fact]
    public async Task Dashboard_CountsMatchAHandBuiltCommunity()
    {
        // Two certified, one awaiting signature, one applied — in one community; one more elsewhere that must not count.
        await CertifyAsync("d1@example.cn", "甲一", "dash");
        var community = await _site.WithDbAsync(db => db.Communities.Where(c => c.Code == "dash").Select(c => c.Id).SingleAsync());
        var (_, a2, _) = await _site.TrainedAsync("d2@example.cn", RoleTrack.Volunteer, "乙二", communityCode: "dash-2");
        var (_, a3, _) = await _site.TrainedAsync("d3@example.cn", RoleTrack.Volunteer, "丙三", communityCode: "dash-3");
        var applicant = await _site.CreateUserAsync("d5@example.cn", "戊五");
        await _site.WithDbAsync(async db =>
        {
            // Move the other two admissions into the dashboard's community, and add an applicant.
            await db.Database.ExecuteSqlAsync($"UPDATE \"Admissions\" SET \"CommunityId\" = {community} WHERE \"Id\" IN ({a2}, {a3})");
            db.Admissions.Add(Admission.Apply(applicant.Id, community, RoleTrack.Researcher, _site.Clock.GetUtcNow().UtcDateTime));
            return await db.SaveChangesAsync();
        });
        var v2 = _site.CreateBrowserClient();
        await v2.SignInAsync("d2@example.cn");
        await v2.SignAsync(a2, "乙二");
        await CertifyAsync("elsewhere@example.cn", "丁四", "dash-other");
        var manager = await ManagerOfAsync("mgr-dash@example.cn", community);

        var page = await manager.GetDocumentAsync($"/manage?community={community}");

        string Cell(string selector) => page.QuerySelector(selector)!.TextContent.Trim();
        Assert.Equal("2", Cell("tr[data-state='Active'] td"));
        Assert.Equal("1", Cell("tr[data-state='AwaitingSignature'] td"));
        Assert.Equal("1", Cell("tr[data-state='Applied'] td"));
        Assert.Equal("2", Cell("tr[data-status='Valid'] td"));
        Assert.Equal("0", Cell("tr[data-status='Revoked'] td"));
        Assert.Equal("3", Cell("tr[data-module='core-rights-principles'] td.num"));
    }

    [Fact]
    public async Task DashboardCounters_FollowSuspensionRevocationAndExpiry()
    {
        var number = await CertifyAsync("counted@example.cn", "辛九", "counters");
        var community = await _site.WithDbAsync(db => db.Communities.Where(c => c.Code == "counters").Select(c => c.Id).SingleAsync());
        var manager = await ManagerOfAsync("mgr-counters@example.cn", community);
        async Task<(string Valid, string Suspended, string Revoked, string Active)> CountsAsync()
        {
            var page = await manager.GetDocumentAsync($"/manage?community={community}");
            string Cell(string selector) => page.QuerySelector(selector)!.TextContent.Trim();
            return (Cell("tr[data-status='Valid'] td"), Cell("tr[data-status='Suspended'] td"), Cell("tr[data-status='Revoked'] td"), Cell("tr[data-state='Active'] td"));
        }

        Assert.Equal(("1", "0", "0", "1"), await CountsAsync());
        var certificatePage = $"/manage/certificates/{number}";
        await manager.SubmitAsync(certificatePage, $"{certificatePage}/status", [new("Action", "Suspend"), new("Reason", "核实中")]);
        Assert.Equal(("0", "1", "0", "0"), await CountsAsync());
        await manager.SubmitAsync(certificatePage, $"{certificatePage}/status", [new("Action", "Revoke"), new("Reason", "违规")]);
        Assert.Equal(("0", "0", "1", "0"), await CountsAsync());
        // The counters agree with a full count of the tables they summarise.
        Assert.Equal(await _site.WithDbAsync(db => db.Certificates.CountAsync()), await _site.WithDbAsync(db => db.CertificateExpiryCounts.SumAsync(c => c.Count)));
        Assert.Equal(await _site.WithDbAsync(db => db.Admissions.CountAsync()), await _site.WithDbAsync(db => db.AdmissionStateCounts.SumAsync(c => c.Count)));
    }

    [Fact]
    public async Task Roster_FiltersSearchesAndExportsOnlyTheirCommunity_AsExcelFriendlyCsv()
    {
        var number = await CertifyAsync("r1@example.cn", "=cmd|' /C calc'!A0", "roster-a");
        await CertifyAsync("r2@example.cn", "王二小", "roster-a");
        await CertifyAsync("r3@example.cn", "外人", "roster-b");
        var community = await _site.WithDbAsync(db => db.Communities.Where(c => c.Code == "roster-a").Select(c => c.Id).SingleAsync());
        var manager = await ManagerOfAsync("mgr-roster@example.cn", community);

        var all = await manager.GetDocumentAsync("/manage/roster");
        Assert.Equal(2, all.QuerySelectorAll("table.roster tbody tr").Length);
        var byNumber = await manager.GetDocumentAsync($"/manage/roster?q={number}");
        Assert.Single(byNumber.QuerySelectorAll("table.roster tbody tr"));
        var byName = await manager.GetDocumentAsync("/manage/roster?q=王二");
        Assert.Contains("王二小", byName.QuerySelector("table.roster tbody")!.TextContent);
        Assert.Empty((await manager.GetDocumentAsync("/manage/roster?status=Applied")).QuerySelectorAll("table.roster tbody tr"));

        var export = await manager.GetAsync("/manage/roster/export");
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = Encoding.UTF8.GetString(bytes[3..]);
        Assert.Contains("王二小", csv);
        Assert.Contains("'=cmd", csv);
        Assert.DoesNotContain("外人", csv);
    }

    [Fact]
    public async Task BulkVerify_ReportsEachRow_AndBadRowsByLine()
    {
        var number = await CertifyAsync("b1@example.cn", "钱七", "bulk");
        var community = await _site.WithDbAsync(db => db.Communities.Where(c => c.Code == "bulk").Select(c => c.Id).SingleAsync());
        var manager = await ManagerOfAsync("mgr-bulk@example.cn", community);
        var page = await manager.GetDocumentAsync("/manage/verify/bulk");
        var csv = $"证书编号\n{number}\nnot-a-number\nCFC-V-2026-999999\n";

        var form = new MultipartFormDataContent
        {
            { new StringContent(page.AntiforgeryToken()), "__RequestVerificationToken" },
            { new StringContent("page"), "format" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "staff.csv" },
        };
        var result = await (await manager.PostAsync("/manage/verify/bulk", form)).ParseAsync();

        Assert.Contains("有效", result.QuerySelector($"tr[data-number='{number}']")!.TextContent);
        Assert.Contains("没有这张证书", result.QuerySelector("tr[data-number='CFC-V-2026-999999']")!.TextContent);
        Assert.Contains("第 3 行", result.QuerySelector("#bad-rows + ul")!.TextContent);
    }

    [Fact]
    public async Task BulkVerify_RefusesAFileThatIsNotCsvText()
    {
        var manager = await ManagerOfAsync("mgr-bulk-bad@example.cn", (await _site.CreateCommunityAsync("bulk-bad")).Id);
        var page = await manager.GetDocumentAsync("/manage/verify/bulk");
        var form = new MultipartFormDataContent
        {
            { new StringContent(page.AntiforgeryToken()), "__RequestVerificationToken" },
            { new ByteArrayContent([0xFF, 0xFE, 0x00, 0xD8, 0xFF, 0xFF]), "file", "photo.csv" },
        };

        var result = await (await manager.PostAsync("/manage/verify/bulk", form)).Content.ReadAsStringAsync();

        Assert.Contains("无法识别文件编码", result);
    }
}
