using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Privacy;

/// <summary>
/// PIPL access right: a person downloads everything the site holds about them, as JSON. Reading it changes nothing
/// but the audit log, which records that the export was taken.
/// </summary>
[Authorize]
[Route("account/data")]
public sealed class PrivacyController(AppDbContext db, Audit.AuditLog audit, TimeProvider clock,
    Microsoft.AspNetCore.Identity.UserManager<Accounts.ApplicationUser> users, RequestDeletion requestDeletion,
    Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [HttpGet("export")]
    public async Task<IActionResult> Export(CancellationToken ct)
    {
        var id = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, ct);
        var admissionIds = await db.Admissions.Where(a => a.UserId == id).Select(a => a.Id).ToListAsync(ct);
        var certificateIds = await db.Certificates.Where(c => c.UserId == id).Select(c => c.Id).ToListAsync(ct);
        var export = new
        {
            exportedAt = clock.GetUtcNow().UtcDateTime,
            profile = new
            {
                user.Id, user.Email, user.EmailConfirmed, user.FullName, user.PhoneNumber, user.PreferredCulture, user.CreatedAt,
                user.TwoFactorEnabled, roles = await db.UserRoles.Where(r => r.UserId == id).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync(ct),
            },
            volunteerProfile = await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == id).ToListAsync(ct),
            providerProfile = await db.ProviderProfiles.AsNoTracking().Where(p => p.UserId == id).ToListAsync(ct),
            researcherProfile = await db.ResearcherProfiles.AsNoTracking().Where(p => p.UserId == id).ToListAsync(ct),
            admissions = await db.Admissions.AsNoTracking().Where(a => a.UserId == id).ToListAsync(ct),
            admissionHistory = await db.AdmissionStateChanges.AsNoTracking().Where(c => admissionIds.Contains(c.AdmissionId)).ToListAsync(ct),
            training = new
            {
                completions = await db.ModuleCompletions.AsNoTracking().Where(c => c.UserId == id).ToListAsync(ct),
                attempts = await db.QuizAttempts.AsNoTracking().Where(a => a.UserId == id).ToListAsync(ct),
                lessonsRead = await db.LessonReads.AsNoTracking().Where(r => r.UserId == id).ToListAsync(ct),
            },
            signatures = await db.Signatures.AsNoTracking().Where(s => s.UserId == id).ToListAsync(ct),
            certificates = await db.Certificates.AsNoTracking().Where(c => c.UserId == id).ToListAsync(ct),
            certificateHistory = await db.CertificateEvents.AsNoTracking().Where(e => certificateIds.Contains(e.CertificateId)).ToListAsync(ct),
            studySignatures = await db.StudySignatures.AsNoTracking().Where(s => s.UserId == id).ToListAsync(ct),
            studyEnrolments = await db.Enrolments.AsNoTracking().Where(e => e.UserId == id).ToListAsync(ct),
            notifications = await db.Notifications.AsNoTracking().Where(n => n.UserId == id).ToListAsync(ct),
            auditAboutYou = await db.AuditEvents.AsNoTracking().Where(e => e.ActorUserId == id || e.SubjectId == id).OrderBy(e => e.Id).ToListAsync(ct),
        };
        audit.Record("privacy.exported", "Account", id, id);
        await db.SaveChangesAsync(ct);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(export, ExportJson);
        return File(bytes, "application/json", $"practitioners-my-data-{clock.GetUtcNow():yyyyMMdd}.json");
    }

    /// <summary>PIPL right to deletion: what is erased and what is kept, the request form, and the state of the latest request.</summary>
    [HttpGet("delete")]
    public async Task<IActionResult> Delete(CancellationToken ct) =>
        View("Delete", new DeleteViewModel(new DeleteInput(), await LatestAsync(ct), TempData["Flash"] is not null));

    [HttpPost("delete")]
    public async Task<IActionResult> Delete([Bind(Prefix = "Input")] DeleteInput input, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var user = await users.GetUserAsync(User);
            if (user is null)
            {
                return Challenge();
            }
            switch (await requestDeletion.RunAsync(user, input.Password, ct))
            {
                case DeletionOutcome.Done:
                    TempData["Flash"] = "requested";
                    return Redirect("/account/data/delete");
                case DeletionOutcome.AlreadyPending:
                    ModelState.AddModelError("", l["Privacy.Delete.AlreadyPending"]);
                    break;
                default:
                    ModelState.AddModelError(nameof(DeleteInput.Password), l["Privacy.Delete.WrongPassword"]);
                    break;
            }
        }
        return View("Delete", new DeleteViewModel(new DeleteInput(), await LatestAsync(ct), false));
    }

    private Task<DeletionRequestSummary?> LatestAsync(CancellationToken ct) =>
        db.DeletionRequests.AsNoTracking().Where(r => r.UserId == UserId).OrderByDescending(r => r.Id)
            .Select(r => new DeletionRequestSummary(r.State, r.RequestedAt, r.DecidedAt, r.Reason)).FirstOrDefaultAsync(ct);
}

public sealed class DeleteInput
{
    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Validation.Required")]
    [System.ComponentModel.DataAnnotations.DataType(System.ComponentModel.DataAnnotations.DataType.Password)]
    [System.ComponentModel.DataAnnotations.Display(Name = "Field.CurrentPassword")]
    public string Password { get; set; } = "";
}

public sealed record DeletionRequestSummary(DeletionRequestState State, DateTime RequestedAt, DateTime? DecidedAt, string? Reason);

public sealed record DeleteViewModel(DeleteInput Input, DeletionRequestSummary? Latest, bool JustRequested)
{
    public bool Pending => Latest?.State == DeletionRequestState.Pending;
}
