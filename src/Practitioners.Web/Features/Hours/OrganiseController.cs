using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;
using QRCoder;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// Organising activities: a community's managers and the service providers they delegated create activities, see the
/// roster, show the check-in QR code and check people in and out. Every object is checked with <see cref="HoursAccess"/>;
/// another community's activity is answered exactly like a missing one.
/// </summary>
[Authorize]
[Route("organise")]
public sealed class OrganiseController(
    AppDbContext db,
    HoursAccess access,
    Attendance attendance,
    ActivityTime time,
    AuditLog audit,
    SiteLinks links,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => HoursAccess.UserId(User);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var mine = access.OrganisedCommunityIds(User);
        var english = Cultures.IsEnglish;
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-30);
        var activities = await db.Activities.AsNoTracking().Where(a => mine.Contains(a.CommunityId) && a.EndsAt >= since)
            .OrderBy(a => a.StartsAt)
            .Select(a => new ActivityRow(a.Id, a.Title, a.Place, a.StartsAt, a.EndsAt, english ? a.Community.NameEn : a.Community.NameZh,
                a.RequiredTrack, a.Capacity, a.SignUps.Count(s => s.CancelledAt == null), a.ChildrenUnderAge,
                a.SignUps.Any(s => s.CancelledAt == null && db.Certificates.Any(c => c.UserId == s.UserId && c.Track == RoleTrack.ServiceProvider
                    && c.RevokedAt == null && c.SuspendedAt == null && c.ExpiresAt > a.StartsAt))))
            .ToListAsync(ct);
        var communities = await CommunitiesAsync(ct);
        return View("Organise", new OrganiseViewModel(activities, communities.Count > 0));
    }

    [HttpGet("new")]
    public async Task<IActionResult> New(int? community, CancellationToken ct)
    {
        var communities = await CommunitiesAsync(ct);
        if (communities.Count == 0)
        {
            return NotFound();
        }
        return View("ActivityForm", new ActivityFormViewModel(new ActivityInput
        {
            CommunityId = community ?? (communities.Count == 1 ? communities[0].Id : null),
            RequiredTrack = RoleTrack.Volunteer,
            Capacity = 10,
            Date = time.LocalDate(clock.GetUtcNow().UtcDateTime).AddDays(7),
            StartTime = new TimeOnly(9, 0),
            EndTime = new TimeOnly(12, 0),
        }, communities));
    }

    [HttpPost("new")]
    public async Task<IActionResult> New(ActivityInput input, CancellationToken ct)
    {
        // Someone who may organise nowhere gets what the form's GET gives them, whatever they post.
        var communities = await CommunitiesAsync(ct);
        if (communities.Count == 0)
        {
            return NotFound();
        }
        if (input.CommunityId is { } communityId && !await access.CanOrganiseAsync(User, communityId, ct))
        {
            return NotFound();
        }
        if (input.ChildrenAttend && input.ChildrenUnderAge is null)
        {
            ModelState.AddModelError(nameof(input.ChildrenUnderAge), l["Hours.ChildrenAgeRequired"]);
        }
        DateTime starts = default, ends = default;
        if (ModelState.IsValid)
        {
            starts = time.ToUtc(input.Date!.Value, input.StartTime!.Value);
            ends = time.ToUtc(input.Date!.Value, input.EndTime!.Value);
            if (ends <= starts)
            {
                ModelState.AddModelError(nameof(input.EndTime), l["Hours.Problem.EndBeforeStart"]);
            }
            else if (starts <= clock.GetUtcNow().UtcDateTime)
            {
                ModelState.AddModelError(nameof(input.Date), l["Hours.StartInPast"]);
            }
        }
        if (!ModelState.IsValid)
        {
            return View("ActivityForm", new ActivityFormViewModel(input, communities));
        }
        var activity = new Activity
        {
            CommunityId = input.CommunityId!.Value, Title = input.Title.Trim(), Place = input.Place.Trim(), StartsAt = starts, EndsAt = ends,
            RequiredTrack = input.RequiredTrack!.Value, Capacity = input.Capacity!.Value,
            ChildrenUnderAge = input.ChildrenAttend ? input.ChildrenUnderAge : null,
            CheckInCode = CertificateCodes.NewVerificationCode(), CreatedByUserId = UserId, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Activities.Add(activity);
        await db.SaveChangesAsync(ct);
        audit.Record("activity.created", "Activity", activity.Id.ToString(), UserId,
            new { activity.CommunityId, activity.Title, activity.StartsAt, activity.EndsAt, activity.Capacity, activity.ChildrenUnderAge });
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = l["Hours.ActivityCreated"].Value;
        return Redirect($"/organise/{activity.Id}");
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Show(int id, CancellationToken ct)
    {
        var model = await ModelAsync(id, ct);
        return model is null ? NotFound() : View("Activity", model);
    }

    [HttpPost("{id:int}/check-in/{signUpId:int}")]
    public Task<IActionResult> CheckIn(int id, int signUpId, AttendanceInput input, CancellationToken ct) =>
        AttendAsync(id, signUpId, input, checkOut: false, ct);

    [HttpPost("{id:int}/check-out/{signUpId:int}")]
    public Task<IActionResult> CheckOut(int id, int signUpId, AttendanceInput input, CancellationToken ct) =>
        AttendAsync(id, signUpId, input, checkOut: true, ct);

    private async Task<IActionResult> AttendAsync(int id, int signUpId, AttendanceInput input, bool checkOut, CancellationToken ct)
    {
        var signUp = await db.SignUps.Include(s => s.Activity).SingleOrDefaultAsync(s => s.Id == signUpId && s.ActivityId == id, ct);
        if (signUp is null || !await access.CanOrganiseAsync(User, signUp.Activity.CommunityId, ct))
        {
            return NotFound();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var at = input.Time is { } t ? time.ToUtc(time.LocalDate(signUp.Activity.StartsAt), t) : now;
        var result = checkOut ? await attendance.CheckOutAsync(signUp, at, UserId, ct) : await attendance.CheckInAsync(signUp, at, UserId, ct);
        if (!result.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            ModelState.AddModelError("", l[$"Hours.Problem.{result.Problem}"]);
            return View("Activity", await ModelAsync(id, ct));
        }
        TempData["Flash"] = l[checkOut ? "Hours.CheckedOut" : "Hours.CheckedIn"].Value;
        return Redirect($"/organise/{id}#signup-{signUpId}");
    }

    private async Task<ActivityViewModel?> ModelAsync(int id, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        var activity = await db.Activities.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { Activity = a, Community = english ? a.Community.NameEn : a.Community.NameZh }).SingleOrDefaultAsync(ct);
        if (activity is null || !await access.CanOrganiseAsync(User, activity.Activity.CommunityId, ct))
        {
            return null;
        }
        var a = activity.Activity;
        var now = clock.GetUtcNow().UtcDateTime;
        var roster = await db.SignUps.AsNoTracking().Where(s => s.ActivityId == id && s.CancelledAt == null).OrderBy(s => s.SignedUpAt)
            .Select(s => new RosterRow(s.Id, s.UserId, s.User.FullName, s.User.PhoneNumber, s.CheckedInAt, s.CheckedOutAt,
                db.Certificates.Any(c => c.UserId == s.UserId && c.Track == RoleTrack.ServiceProvider && c.RevokedAt == null && c.SuspendedAt == null && c.ExpiresAt > now)))
            .ToListAsync(ct);
        var scanUrl = links.Absolute($"/activities/{a.Id}/scan/{a.CheckInCode}");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(scanUrl, QRCodeGenerator.ECCLevel.M);
        var qr = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(8));
        var canManage = await access.CanManageAsync(User, a.CommunityId, ct);
        return new ActivityViewModel(a.Id, a.Title, a.Place, a.StartsAt, a.EndsAt, activity.Community, a.RequiredTrack, a.Capacity, a.ChildrenUnderAge,
            roster, a.InScanWindow(now), scanUrl, qr, canManage);
    }

    private async Task<List<CommunityOption>> CommunitiesAsync(CancellationToken ct)
    {
        var mine = access.OrganisedCommunityIds(User);
        var english = Cultures.IsEnglish;
        return await db.Communities.AsNoTracking().Where(c => mine.Contains(c.Id)).OrderBy(c => c.Code)
            .Select(c => new CommunityOption(c.Id, english ? c.NameEn : c.NameZh)).ToListAsync(ct);
    }
}

public sealed record CommunityOption(int Id, string Name);

public sealed record ActivityRow(int Id, string Title, string Place, DateTime StartsAt, DateTime EndsAt, string Community, RoleTrack RequiredTrack,
    int Capacity, int SignedUp, int? ChildrenUnderAge, bool HasProvider)
{
    public bool NeedsProvider => ChildrenUnderAge is not null && !HasProvider;
}

public sealed record OrganiseViewModel(IReadOnlyList<ActivityRow> Activities, bool CanCreate);

public sealed record ActivityFormViewModel(ActivityInput Input, IReadOnlyList<CommunityOption> Communities);

public sealed record RosterRow(int SignUpId, string UserId, string Name, string? Phone, DateTime? CheckedInAt, DateTime? CheckedOutAt, bool IsProvider);

public sealed record ActivityViewModel(int Id, string Title, string Place, DateTime StartsAt, DateTime EndsAt, string Community, RoleTrack RequiredTrack,
    int Capacity, int? ChildrenUnderAge, IReadOnlyList<RosterRow> Roster, bool ScanOpen, string ScanUrl, string QrDataUri, bool CanManage)
{
    public bool NeedsProvider => ChildrenUnderAge is not null && !Roster.Any(r => r.IsProvider);
}
