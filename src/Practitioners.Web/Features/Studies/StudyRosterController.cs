using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Infrastructure.Csv;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

/// <summary>
/// A study's roster with each member's credential status, for its lead and the managers of its communities,
/// and its CSV export. Anyone else is told there is no such page.
/// </summary>
[Authorize]
[Route("studies/{id:int}/roster")]
public sealed class StudyRosterController(
    AppDbContext db,
    StudyAccess access,
    StudyRoster roster,
    CredentialStanding credentials,
    AuditLog audit,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(int id, CancellationToken ct)
    {
        var study = await LoadAsync(id, ct);
        if (study is null || !await access.CanSeeRosterAsync(User, study, ct))
        {
            return NotFound();
        }
        return View("Roster", new StudyRosterViewModel(study.Id, study.Title, StudyAccess.Leads(User, study), study.Lead.FullName,
            await credentials.ForAsync(study.LeadUserId, ct), study.MaxTeamSize, await roster.RowsAsync(study, ct)));
    }

    [HttpGet("export")]
    public async Task<IActionResult> Export(int id, CancellationToken ct)
    {
        var study = await LoadAsync(id, ct);
        if (study is null || !await access.CanSeeRosterAsync(User, study, ct))
        {
            return NotFound();
        }
        var rows = await roster.RowsAsync(study, ct);
        var header = new[]
        {
            "Roster.Name", "Field.Email", "Field.Phone", "Studies.Roster.State", "Studies.Roster.RequestedOn", "Verify.Number",
            "Roster.CertificateStatus", "Verify.Expires",
        }.Select(k => (string?)l[k].Value).ToList();
        var csv = CsvWriter.Write(rows.Select(r => (IReadOnlyList<string?>)
            [r.Name, r.Email, r.Phone, l[$"EnrolmentState.{r.State}"].Value, r.RequestedAt.ToString("yyyy-MM-dd"), r.Credential?.Number,
             r.Credential is { } c ? l[$"CertificateStatus.{c.Status}"].Value : l["Studies.Roster.NoCredential"].Value,
             r.Credential?.ExpiresAt.ToString("yyyy-MM-dd")]).Prepend(header));
        audit.Record("study.roster.exported", "Study", id.ToString(), StudyAccess.UserId(User), new { rows = rows.Count });
        await db.SaveChangesAsync(ct);
        return File(csv, "text/csv; charset=utf-8", $"study-{id}-roster-{clock.GetUtcNow():yyyyMMdd}.csv");
    }

    private Task<Study?> LoadAsync(int id, CancellationToken ct) =>
        db.Studies.AsNoTracking().Include(s => s.Lead).Include(s => s.Communities).SingleOrDefaultAsync(s => s.Id == id, ct);
}
