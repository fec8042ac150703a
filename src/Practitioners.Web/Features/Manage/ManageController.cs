using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Manage;

/// <summary>
/// The community manager's queues: agreements to countersign and applicants to approve. Every query is limited
/// to the manager's communities and every action checks the object's community through <see cref="CommunityAccess"/>.
/// </summary>
[Authorize(Roles = Roles.CommunityManager + "," + Roles.Admin)]
[Route("manage")]
public sealed class ManageController(
    AppDbContext db,
    CommunityAccess access,
    Countersign countersign,
    AdvanceAdmissions advance,
    ManagerScope scopes,
    ManagerDashboard dashboard,
    DashboardCache dashboards,
    Hours.ActivityTime time,
    LessonRenderer renderer,
    IStringLocalizer<SharedResource> l) : Controller
{
    /// <summary>How many entries of each queue the dashboard lists; the rest are a click away in the roster.</summary>
    public const int QueuePage = 50;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("")]
    public async Task<IActionResult> Index(int? community, int? street, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, community, street, ct);
        if (scope is null)
        {
            return NotFound();
        }
        var selected = scope.Selected;
        // Shared by the views of the same scope that arrive while it runs, so not cancelled with this request.
        var reading = await dashboards.GetAsync(selected, Cultures.Current, () => ReadAsync(selected, CancellationToken.None));
        return View(new ManageViewModel(scope, reading.Reading.Numbers, reading.Reading.Countersign, reading.Reading.Approvals,
            time.Format(reading.ReadAt, "yyyy-MM-dd HH:mm:ss")));
    }

    private async Task<ManageReading> ReadAsync(IReadOnlyList<int> selected, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        // The queues show their oldest entries first, a page at a time; the badges carry the totals from the dashboard.
        var pending = await db.Admissions.AsNoTracking()
            .Where(a => selected.Contains(a.CommunityId) && a.State == AdmissionState.AwaitingSignature)
            .SelectMany(a => db.Signatures.Where(s => s.AdmissionId == a.Id && s.Role == SignatureRole.Holder && s.NeedsCountersignature
                && !db.Signatures.Any(c => c.ForSignatureId == s.Id && c.Role == SignatureRole.Countersigner)))
            .OrderBy(s => s.SignedAt).Take(QueuePage)
            .Select(s => new { s.Id, AdmissionId = s.AdmissionId!.Value, s.SignedAt })
            .ToListAsync(ct);
        var ids = pending.Select(p => p.AdmissionId).ToList();
        var people = await db.Admissions.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.User.FullName, a.Track, Community = english ? a.Community.NameEn : a.Community.NameZh })
            .ToDictionaryAsync(a => a.Id, ct);
        var countersign = pending.Select(p => new QueueItem(p.Id, p.AdmissionId, people[p.AdmissionId].FullName,
            people[p.AdmissionId].Track, people[p.AdmissionId].Community, p.SignedAt)).ToList();
        var approvals = await db.Admissions.AsNoTracking()
            .Where(a => selected.Contains(a.CommunityId) && a.State == AdmissionState.AwaitingApproval)
            .OrderBy(a => a.UpdatedAt).Take(QueuePage)
            .Select(a => new QueueItem(null, a.Id, a.User.FullName, a.Track, english ? a.Community.NameEn : a.Community.NameZh, a.UpdatedAt))
            .ToListAsync(ct);
        return new ManageReading(await dashboard.ForAsync(selected, ct), countersign, approvals);
    }

    /// <summary>The scope picker's target: back to the dashboard or the roster with the chosen community or street.</summary>
    [HttpGet("scope")]
    public IActionResult Scope(string? scope, string? to)
    {
        var query = scope is not null && System.Text.RegularExpressions.Regex.IsMatch(scope, @"^(community|street)=\d{1,9}$") ? scope : "";
        return LocalRedirect((to == "roster" ? "/manage/roster" : "/manage") + (query.Length > 0 ? "?" + query : ""));
    }

    [HttpGet("countersign/{signatureId:long}")]
    public async Task<IActionResult> Countersign(long signatureId, CancellationToken ct)
    {
        var model = await CountersignModelAsync(signatureId, new CountersignInput(), ct);
        return model is null ? NotFound() : View(model);
    }

    [HttpPost("countersign/{signatureId:long}")]
    public async Task<IActionResult> Countersign(long signatureId, CountersignInput input, CancellationToken ct)
    {
        var model = await CountersignModelAsync(signatureId, input, ct);
        if (model is null)
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            return View(model);
        }
        var evidence = new SignatureEvidence(0, Cultures.Current, "", input.TypedName, HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString());
        var outcome = await countersign.RunAsync(User, UserId, signatureId, input.Approve, input.TypedName, input.Reason, evidence, ct);
        switch (outcome)
        {
            case CountersignOutcome.Done:
                TempData["Flash"] = l[input.Approve ? "Manage.Countersigned" : "Manage.Declined"].Value;
                return RedirectToAction(nameof(Index));
            case CountersignOutcome.NameMismatch:
                ModelState.AddModelError(nameof(input.TypedName), l["Agreements.NameMismatch", model.ManagerName]);
                return View(model);
            case CountersignOutcome.ReasonRequired:
                ModelState.AddModelError(nameof(input.Reason), l["Manage.ReasonRequired"]);
                return View(model);
            case CountersignOutcome.AlreadyDecided:
                TempData["Flash"] = l["Manage.AlreadyDecided"].Value;
                return RedirectToAction(nameof(Index));
            default:
                return NotFound();
        }
    }

    [HttpPost("admissions/{id:int}/decision")]
    public async Task<IActionResult> Decide(int id, DecisionInput input, CancellationToken ct)
    {
        var admission = await db.Admissions.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (admission is null || !await access.CanManageAsync(User, admission.CommunityId, ct))
        {
            return NotFound();
        }
        if (!input.Approve && string.IsNullOrWhiteSpace(input.Reason))
        {
            TempData["Flash"] = l["Manage.ReasonRequired"].Value;
            return RedirectToAction(nameof(Index));
        }
        if (admission.State != AdmissionState.AwaitingApproval)
        {
            TempData["Flash"] = l["Manage.AlreadyDecided"].Value;
            return RedirectToAction(nameof(Index));
        }
        await advance.DecideAsync(admission, input.Approve, UserId, input.Reason?.Trim(), ct);
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = l[input.Approve ? "Manage.Approved" : "Manage.Rejected"].Value;
        return RedirectToAction(nameof(Index));
    }

    private async Task<CountersignViewModel?> CountersignModelAsync(long signatureId, CountersignInput input, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        var signature = await db.Signatures.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == signatureId && s.Role == SignatureRole.Holder && s.NeedsCountersignature, ct);
        var item = signature is null ? null : await db.Admissions.AsNoTracking()
            .Where(a => a.Id == signature.AdmissionId)
            .Select(a => new
            {
                Signature = signature,
                a.CommunityId,
                Holder = a.User.FullName,
                Community = english ? a.Community.NameEn : a.Community.NameZh,
                Licence = db.ProviderProfiles.Where(p => p.UserId == a.UserId)
                    .Select(p => new { p.Organisation, p.Profession, p.LicenceType, p.LicenceNumber, p.Employment }).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        // Another community's signature is indistinguishable from a missing one.
        if (item is null || !await access.CanManageAsync(User, item.CommunityId, ct))
        {
            return null;
        }
        var version = await db.AgreementVersions.AsNoTracking()
            .SingleAsync(v => v.AgreementId == item.Signature.AgreementId && v.Version == item.Signature.Version, ct);
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == item.Signature.AgreementId, ct);
        var managerName = await db.Users.Where(u => u.Id == UserId).Select(u => u.FullName).SingleAsync(ct);
        var licence = item.Licence is null ? null
            : $"{item.Licence.Organisation} · {item.Licence.Profession} · {l[$"Employment.{item.Licence.Employment}"]} · {item.Licence.LicenceType} {item.Licence.LicenceNumber}";
        var text = version.Text(item.Signature.Language);
        return new CountersignViewModel(signatureId, item.Holder, item.Community, licence, item.Signature.TypedName, item.Signature.SignedAt,
            new AgreementTextView(agreement.Id, agreement.Title, version.Version, item.Signature.Language, AgreementRules.Hash(text), renderer.Render(text), null),
            managerName, input);
    }
}

public sealed record QueueItem(long? SignatureId, int AdmissionId, string Person, RoleTrack Track, string Community, DateTime Since);

public sealed record ManageViewModel(ManagerScopeView Scope, DashboardNumbers Numbers, IReadOnlyList<QueueItem> Countersign, IReadOnlyList<QueueItem> Approvals,
    string ReadAt);

public sealed record CountersignViewModel(long SignatureId, string Holder, string Community, string? Licence, string HolderTypedName,
    DateTime SignedAt, AgreementTextView Text, string ManagerName, CountersignInput Input);

public sealed class DecisionInput
{
    public bool Approve { get; set; }

    [StringLength(500)]
    public string? Reason { get; set; }
}
