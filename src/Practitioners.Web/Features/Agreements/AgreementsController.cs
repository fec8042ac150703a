using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Agreements;

/// <summary>Signing: the holder's sign page, and the guardian's co-sign page reached from the emailed link.</summary>
[Authorize]
[Route("agreements")]
public sealed class AgreementsController(
    AppDbContext db,
    AgreementStanding standing,
    SignAgreement sign,
    GuardianCoSign guardianCoSign,
    GuardianInvitations invitations,
    LessonRenderer renderer,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("sign/{admissionId:int}")]
    public async Task<IActionResult> Sign(int admissionId, CancellationToken ct)
    {
        var model = await SignModelAsync(admissionId, new SignInput(), ct);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("sign/{admissionId:int}")]
    public async Task<IActionResult> Sign(int admissionId, SignInput input, CancellationToken ct)
    {
        var model = await SignModelAsync(admissionId, input, ct);
        if (model is null)
        {
            return NotFound();
        }
        if (model.NeedsGuardian)
        {
            RequireGuardianFields(input);
        }
        if (!ModelState.IsValid)
        {
            return View(model);
        }
        var guardian = model.NeedsGuardian ? new GuardianDetails(input.GuardianName!, input.GuardianRelation!, input.GuardianEmail!) : null;
        var outcome = await sign.RunAsync(UserId, admissionId, Evidence(input), guardian, ct);
        switch (outcome)
        {
            case SignOutcome.Signed:
                TempData["Flash"] = l[model.NeedsGuardian ? "Agreements.Signed.Guardian" : model.NeedsCountersignature ? "Agreements.Signed.Countersign" : "Agreements.Signed"].Value;
                return Redirect("/me");
            case SignOutcome.StaleVersion:
                ModelState.Clear();
                ModelState.AddModelError("", l["Agreements.Stale"]);
                return View(await SignModelAsync(admissionId, new SignInput { TypedName = input.TypedName }, ct));
            case SignOutcome.NameMismatch:
                ModelState.AddModelError(nameof(input.TypedName), l["Agreements.NameMismatch", model.ExpectedName]);
                return View(model);
            case SignOutcome.GuardianRequired:
                ModelState.AddModelError(nameof(input.GuardianName), l["Agreements.GuardianRequired"]);
                return View(model);
            case SignOutcome.NotDue:
                TempData["Flash"] = l["Agreements.NotDue"].Value;
                return Redirect("/me");
            default:
                return NotFound();
        }
    }

    [AllowAnonymous]
    [HttpGet("guardian/{token}")]
    public async Task<IActionResult> Guardian(string token, CancellationToken ct)
    {
        var (model, problem) = await GuardianModelAsync(token, new SignInput(), ct);
        return model is null ? View("GuardianLink", problem) : View(model);
    }

    [AllowAnonymous]
    [HttpPost("guardian/{token}")]
    public async Task<IActionResult> Guardian(string token, SignInput input, CancellationToken ct)
    {
        var (model, problem) = await GuardianModelAsync(token, input, ct);
        if (model is null)
        {
            return View("GuardianLink", problem);
        }
        if (!ModelState.IsValid)
        {
            return View(model);
        }
        var outcome = await guardianCoSign.RunAsync(token, Evidence(input), ct);
        switch (outcome)
        {
            case GuardianOutcome.Signed:
                return View("GuardianLink", "Agreements.Guardian.Done");
            case GuardianOutcome.NameMismatch:
                ModelState.AddModelError(nameof(input.TypedName), l["Agreements.NameMismatch", model.GuardianName]);
                return View(model);
            case GuardianOutcome.StaleText:
                ModelState.AddModelError("", l["Agreements.Stale"]);
                return View(model);
            default:
                return View("GuardianLink", $"Agreements.Guardian.{outcome}");
        }
    }

    private SignatureEvidence Evidence(SignInput input) => new(input.Version, input.Language, input.TextHash, input.TypedName,
        HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString());

    private void RequireGuardianFields(SignInput input)
    {
        if (string.IsNullOrWhiteSpace(input.GuardianName))
        {
            ModelState.AddModelError(nameof(input.GuardianName), l["Validation.Required", l["Field.GuardianName"]]);
        }
        if (string.IsNullOrWhiteSpace(input.GuardianRelation))
        {
            ModelState.AddModelError(nameof(input.GuardianRelation), l["Validation.Required", l["Field.GuardianRelation"]]);
        }
        if (string.IsNullOrWhiteSpace(input.GuardianEmail))
        {
            ModelState.AddModelError(nameof(input.GuardianEmail), l["Validation.Required", l["Field.GuardianEmail"]]);
        }
    }

    private async Task<SignViewModel?> SignModelAsync(int admissionId, SignInput input, CancellationToken ct)
    {
        var admission = await db.Admissions.AsNoTracking()
            .Where(a => a.Id == admissionId && a.UserId == UserId && a.State != AdmissionState.Withdrawn)
            .Select(a => new { a.Id, a.Track, a.User.FullName, Community = Cultures.IsEnglish ? a.Community.NameEn : a.Community.NameZh })
            .SingleOrDefaultAsync(ct);
        if (admission is null || await standing.ForAdmissionAsync(admissionId, admission.Track, ct) is not { } current)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var version = await db.AgreementVersions.AsNoTracking()
            .Where(v => v.AgreementId == current.Agreement.Id && v.EffectiveAt <= now)
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return null;
        }
        var needsGuardian = await sign.NeedsGuardianAsync(UserId, current.Agreement, now, ct);
        return new SignViewModel(admission.Id, admission.Community, TextView(current.Agreement, version, version.Version > 1),
            needsGuardian, current.Agreement.Countersignature, admission.FullName, input);
    }

    private async Task<(GuardianViewModel? Model, string Problem)> GuardianModelAsync(string token, SignInput input, CancellationToken ct)
    {
        var invitation = await invitations.FindAsync(token, ct);
        if (invitation is null)
        {
            return (null, "Agreements.Guardian.InvalidLink");
        }
        if (invitation.UsedAt is not null)
        {
            return (null, "Agreements.Guardian.UsedLink");
        }
        if (invitation.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return (null, "Agreements.Guardian.ExpiredLink");
        }
        var holder = await db.Signatures.AsNoTracking().SingleAsync(s => s.Id == invitation.SignatureId, ct);
        var holderName = await db.Users.Where(u => u.Id == holder.UserId).Select(u => u.FullName).SingleAsync(ct);
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == holder.AgreementId, ct);
        var version = await db.AgreementVersions.AsNoTracking().SingleAsync(v => v.AgreementId == holder.AgreementId && v.Version == holder.Version, ct);
        return (new GuardianViewModel(token, holderName, invitation.GuardianName, TextView(agreement, version, false), input), "");
    }

    private AgreementTextView TextView(Agreement agreement, AgreementVersion version, bool showChanges)
    {
        var language = Cultures.Current;
        var text = version.Text(language);
        return new AgreementTextView(agreement.Id, agreement.Title, version.Version, language, AgreementRules.Hash(text), renderer.Render(text),
            showChanges ? Cultures.Pick(version.ChangesZh, version.ChangesEn) : null);
    }
}
