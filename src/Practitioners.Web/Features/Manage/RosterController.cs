using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Infrastructure.Csv;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Manage;

/// <summary>The roster of a manager's communities, its CSV export, one person's page, and withdrawing an admission.</summary>
[Authorize(Roles = Roles.CommunityManager + "," + Roles.Admin)]
[Route("manage")]
public sealed class RosterController(
    AppDbContext db,
    ManagerScope scopes,
    Roster roster,
    Hours.ServiceRecord serviceRecord,
    AuditLog audit,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("roster")]
    public async Task<IActionResult> Index([FromQuery] RosterFilter filter, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, filter.Community, filter.Street, ct);
        if (scope is null)
        {
            return NotFound();
        }
        var modules = await db.TrainingModules.AsNoTracking().Where(m => m.CurrentVersion > 0).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync(ct);
        return View("Roster", new RosterViewModel(scope, filter, await roster.PageAsync(scope.Selected, filter, ct), modules));
    }

    [HttpGet("roster/export")]
    public async Task<IActionResult> Export([FromQuery] RosterFilter filter, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, filter.Community, filter.Street, ct);
        if (scope is null)
        {
            return NotFound();
        }
        var rows = await roster.Query(scope.Selected, filter).Take(100_000).ToListAsync(ct);
        var header = new[] { "Roster.Name", "Field.Phone", "Field.Email", "Field.Track", "Field.Community", "Dashboard.State", "Verify.Number", "Verify.Expires", "Roster.CertificateStatus" }
            .Select(k => (string?)l[k].Value).ToList();
        var csv = CsvWriter.Write(rows.Select(r => (IReadOnlyList<string?>)
            [r.Name, r.Phone, r.Email, l[$"Track.{r.Track}"].Value, r.Community, l[$"AdmissionState.{r.State}"].Value, r.Number,
             r.ExpiresAt?.ToString("yyyy-MM-dd"), r.CertificateStatus is { } s ? l[$"CertificateStatus.{s}"].Value : null]).Prepend(header));
        audit.Record("roster.exported", "Scope", scope.Query, UserId, new { rows = rows.Count });
        await db.SaveChangesAsync(ct);
        return File(csv, "text/csv; charset=utf-8", $"roster-{clock.GetUtcNow():yyyyMMdd}.csv");
    }

    /// <summary>How many of a person's latest hours records their page lists; the hours list filtered to them has the rest.</summary>
    public const int RecentHours = 10;

    [HttpGet("people/{userId}")]
    public async Task<IActionResult> Person(string userId, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, null, null, ct);
        var communities = scope!.Selected;
        var english = Cultures.IsEnglish;
        var admissions = await db.Admissions.AsNoTracking()
            .Where(a => a.UserId == userId && communities.Contains(a.CommunityId))
            .Select(a => new PersonAdmission(a.Id, a.Track, english ? a.Community.NameEn : a.Community.NameZh, a.State, a.CreatedAt,
                a.History.OrderBy(h => h.At).Select(h => new PersonHistory(h.At, h.From, h.To, h.Reason)).ToList()))
            .ToListAsync(ct);
        // Someone with no admission in the manager's communities is not theirs to see.
        if (admissions.Count == 0)
        {
            return NotFound();
        }
        var ids = admissions.Select(a => a.Id).ToList();
        var person = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.FullName, u.Email, u.PhoneNumber }).SingleAsync(ct);
        var completions = await db.ModuleCompletions.AsNoTracking().Where(c => c.UserId == userId)
            .OrderBy(c => c.CompletedAt).Select(c => new PersonCompletion(c.ModuleId, c.Version, c.Score, c.CompletedAt)).ToListAsync(ct);
        var signatures = await db.Signatures.AsNoTracking()
            .Where(s => s.AdmissionId != null && ids.Contains(s.AdmissionId.Value) || s.ForSignatureId != null && db.Signatures.Any(h => h.Id == s.ForSignatureId && h.AdmissionId != null && ids.Contains(h.AdmissionId.Value)))
            .OrderBy(s => s.SignedAt)
            .Select(s => new PersonSignature(s.Id, s.AgreementId, s.Version, s.Role, s.TypedName, s.SignedAt, s.Declined, s.DeclineReason))
            .ToListAsync(ct);
        var certificates = await db.Certificates.AsNoTracking().Where(c => ids.Contains(c.AdmissionId))
            .Select(c => new PersonCertificate(c.Number, c.Track, c.IssuedAt, c.ExpiresAt, c.SuspendedAt != null, c.RevokedAt != null)).ToListAsync(ct);
        var subjects = ids.Select(i => i.ToString()).ToList();
        var numbers = certificates.Select(c => c.Number).ToList();
        var audit = await db.AuditEvents.AsNoTracking()
            .Where(e => (e.SubjectType == "Admission" && subjects.Contains(e.SubjectId)) || (e.SubjectType == "Certificate" && numbers.Contains(e.SubjectId)))
            .OrderByDescending(e => e.At).Take(100)
            .Select(e => new PersonAudit(e.At, e.Action, e.SubjectType, e.SubjectId, e.Data)).ToListAsync(ct);
        var hours = await serviceRecord.ForManagerAsync(userId, communities, RecentHours, english, ct);
        return View("Person", new PersonViewModel(userId, person.FullName, person.Email ?? "", person.PhoneNumber, admissions, completions, signatures, certificates,
            audit, hours));
    }

    [HttpPost("admissions/{id:int}/withdraw")]
    public async Task<IActionResult> Withdraw(int id, [FromForm] string? reason, [FromServices] Communities.CommunityAccess access, CancellationToken ct)
    {
        var admission = await db.Admissions.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (admission is null || !await access.CanManageAsync(User, admission.CommunityId, ct))
        {
            return NotFound();
        }
        if (string.IsNullOrWhiteSpace(reason) || admission.State == AdmissionState.Withdrawn)
        {
            TempData["Flash"] = l[string.IsNullOrWhiteSpace(reason) ? "Manage.ReasonRequired" : "Manage.AlreadyDecided"].Value;
            return RedirectToAction(nameof(Person), new { userId = admission.UserId });
        }
        var from = admission.State;
        admission.MoveTo(AdmissionState.Withdrawn, UserId, clock.GetUtcNow().UtcDateTime, reason.Trim());
        audit.Record("admission.state", "Admission", id.ToString(), UserId, new { from, to = AdmissionState.Withdrawn, reason });
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = l["Roster.Withdrawn"].Value;
        return RedirectToAction(nameof(Person), new { userId = admission.UserId });
    }
}

public sealed record RosterViewModel(ManagerScopeView Scope, RosterFilter Filter, RosterPage Page, IReadOnlyList<string> Modules);

public sealed record PersonHistory(DateTime At, AdmissionState? From, AdmissionState To, string? Reason);

public sealed record PersonAdmission(int Id, RoleTrack Track, string Community, AdmissionState State, DateTime CreatedAt, List<PersonHistory> History);

public sealed record PersonCompletion(string ModuleId, int Version, int Score, DateTime CompletedAt);

public sealed record PersonSignature(long Id, string AgreementId, int Version, Agreements.SignatureRole Role, string TypedName, DateTime SignedAt, bool Declined, string? DeclineReason);

public sealed record PersonCertificate(string Number, RoleTrack Track, DateTime IssuedAt, DateTime ExpiresAt, bool Suspended, bool Revoked);

public sealed record PersonAudit(DateTime At, string Action, string SubjectType, string SubjectId, string? Data);

public sealed record PersonViewModel(string UserId, string Name, string Email, string? Phone, IReadOnlyList<PersonAdmission> Admissions,
    IReadOnlyList<PersonCompletion> Completions, IReadOnlyList<PersonSignature> Signatures, IReadOnlyList<PersonCertificate> Certificates,
    IReadOnlyList<PersonAudit> Audit, Hours.PersonHours Hours);
