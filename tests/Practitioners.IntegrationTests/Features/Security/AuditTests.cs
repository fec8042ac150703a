using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;

namespace Practitioners.IntegrationTests.Features.Security;

public sealed class AuditTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task PermissionDenials_AreAudited_WithWhoWhatWhenAndWhere()
    {
        var x = await _site.CreateCommunityAsync("audit-x");
        var y = await _site.CreateCommunityAsync("audit-y", streetCode: "street-audit-y");
        var (_, admission, _) = await _site.TrainedAsync("audit-vol@example.cn", Practitioners.Web.Features.Admissions.RoleTrack.Volunteer, "审计志愿", communityCode: "audit-y");
        var volunteer = _site.CreateBrowserClient(followRedirects: false);
        await volunteer.SignInAsync("audit-vol@example.cn");
        await volunteer.SignAsync(admission, "审计志愿");
        var number = await _site.WithDbAsync(db => db.Certificates.Where(c => c.AdmissionId == admission).Select(c => c.Number).SingleAsync());
        var manager = await _site.ManagerOfAsync("audit-mgr@example.cn", x.Id, followRedirects: false);
        var managerId = await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "audit-mgr@example.cn").Select(u => u.Id).SingleAsync());
        var volunteerId = await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "audit-vol@example.cn").Select(u => u.Id).SingleAsync());

        // Another community's certificate (scoping: 404), and an admin page for a volunteer (role: denied page).
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/manage/certificates/{number}")).StatusCode);
        Assert.Contains("/account/denied", (await volunteer.GetAsync("/admin/outbox")).Headers.Location!.OriginalString);

        var denials = await _site.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == "access.denied").OrderBy(e => e.Id).ToListAsync());
        Assert.Contains(denials, e => e.ActorUserId == managerId && e.Data!.Contains($"/manage/certificates/{number}") && e.Data.Contains("404")
            && e.IpAddress == "203.0.113.7" && e.At == _site.Clock.GetUtcNow().UtcDateTime);
        Assert.Contains(denials, e => e.ActorUserId == volunteerId && e.Data!.Contains("/admin/outbox"));
        Assert.Equal(2, denials.Count);
        _ = y;
    }

    [Fact]
    public async Task TheAdminViewer_FiltersByWhoWhatWhenAndWhere_AndPages()
    {
        await _site.CreateUserAsync("viewer-admin@example.cn", roles: Roles.Admin);
        var someone = await _site.CreateUserAsync("someone@example.cn");
        var now = _site.Clock.GetUtcNow().UtcDateTime;
        await _site.WithDbAsync(async db =>
        {
            for (var i = 0; i < 60; i++)
            {
                db.AuditEvents.Add(new AuditEvent { At = now.AddDays(-i), ActorUserId = someone.Id, Action = "certificate.verified", SubjectType = "Certificate", SubjectId = $"C{i}", IpAddress = "198.51.100.9" });
            }
            db.AuditEvents.Add(new AuditEvent { At = now.AddDays(-3), ActorUserId = null, Action = "certificate.revoked", SubjectType = "Certificate", SubjectId = "C999", IpAddress = "192.0.2.1" });
            return await db.SaveChangesAsync();
        });
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync("viewer-admin@example.cn");

        var all = await admin.GetDocumentAsync("/admin/audit?who=someone@example.cn");
        Assert.Equal(AuditController.PageSize, all.QuerySelectorAll("table.audit tbody tr").Length);
        Assert.Contains("共 60 条记录", all.Body!.TextContent);
        var second = await admin.GetDocumentAsync(all.QuerySelector(".pager a")!.GetAttribute("href")!);
        Assert.Equal(10, second.QuerySelectorAll("table.audit tbody tr").Length);

        var range = await admin.GetDocumentAsync($"/admin/audit?what=certificate.&from={now.AddDays(-4):yyyy-MM-dd}&to={now.AddDays(-2):yyyy-MM-dd}");
        Assert.Equal(4, range.QuerySelectorAll("table.audit tbody tr").Length);
        var where = await admin.GetDocumentAsync("/admin/audit?where=192.0.2.");
        Assert.Single(where.QuerySelectorAll("table.audit tbody tr"));
        Assert.Contains("certificate.revoked", where.QuerySelector("table.audit tbody")!.TextContent);

        // English too.
        await admin.SubmitAsync("/admin/audit", "/culture", [new("culture", "en"), new("returnUrl", "/admin/audit")]);
        Assert.Contains("Audit log", (await admin.GetDocumentAsync("/admin/audit")).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task AuditRows_CannotBeChangedOrDeleted()
    {
        await _site.CreateUserAsync("append@example.cn");
        await _site.CreateBrowserClient().SignInAsync("append@example.cn");
        await _site.WithDbAsync(async db =>
        {
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE AuditEvents SET Action = 'x'"));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM AuditEvents"));
            return Assert.IsType<int>(await db.AuditEvents.CountAsync(e => e.Action == "account.signin.succeeded"));
        });
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.signin.succeeded")));
    }
}
