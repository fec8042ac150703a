using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Hours;

/// <summary>A volunteer's side of activities: what is coming up, signing up and cancelling, and scanning the organiser's code.</summary>
[Authorize]
[Route("activities")]
public sealed class ActivitiesController(
    AppDbContext db,
    SignUps signUps,
    Attendance attendance,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => HoursAccess.UserId(User);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View("Activities", await ModelAsync(ct));

    [HttpPost("{id:int}/sign-up")]
    public async Task<IActionResult> SignUp(int id, CancellationToken ct)
    {
        if (!await db.Activities.AnyAsync(a => a.Id == id, ct))
        {
            return NotFound();
        }
        return await AnswerAsync(await signUps.SignUpAsync(id, UserId, ct), "Hours.SignedUp", ct);
    }

    [HttpPost("{id:int}/cancel")]
    public async Task<IActionResult> Cancel(int id, CancellationToken ct) =>
        await AnswerAsync(await signUps.CancelAsync(id, UserId, ct), "Hours.SignUpCancelled", ct);

    /// <summary>The page the organiser's QR code opens: one button, so a link preview or a prefetch records nothing.</summary>
    [HttpGet("{id:int}/scan/{code}")]
    public async Task<IActionResult> Scan(int id, string code, CancellationToken ct)
    {
        var activity = await db.Activities.AsNoTracking().Include(a => a.Community).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null || !Attendance.CodeMatches(activity, code))
        {
            return NotFound();
        }
        var signUp = await db.SignUps.AsNoTracking().SingleOrDefaultAsync(s => s.ActivityId == id && s.UserId == UserId && s.CancelledAt == null, ct);
        return View("Scan", new ScanViewModel(activity.Id, code, activity.Title, activity.Place, activity.StartsAt, activity.EndsAt,
            activity.Community.Name, activity.InScanWindow(clock.GetUtcNow().UtcDateTime), signUp?.CheckedInAt, signUp?.CheckedOutAt, signUp is not null));
    }

    [HttpPost("{id:int}/scan/{code}")]
    public async Task<IActionResult> ScanPost(int id, string code, CancellationToken ct)
    {
        var (result, checkedOut) = await attendance.ScanAsync(id, code, UserId, ct);
        if (result.Problem == HoursProblem.InvalidCode)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            TempData["Flash"] = l[$"Hours.Problem.{result.Problem}"].Value;
            return Redirect($"/activities/{id}/scan/{code}");
        }
        TempData["Flash"] = l[checkedOut ? "Hours.ScanCheckedOut" : "Hours.ScanCheckedIn"].Value;
        return Redirect(checkedOut ? "/me/hours" : $"/activities/{id}/scan/{code}");
    }

    private async Task<IActionResult> AnswerAsync(HoursResult result, string doneKey, CancellationToken ct)
    {
        if (result.Succeeded)
        {
            TempData["Flash"] = l[doneKey].Value;
            return Redirect("/activities");
        }
        ModelState.AddModelError("", l[$"Hours.Problem.{result.Problem}"]);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Activities", await ModelAsync(ct));
    }

    private async Task<ActivitiesViewModel> ModelAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var english = Cultures.IsEnglish;
        var userId = UserId;
        var rows = await db.Activities.AsNoTracking().Where(a => a.EndsAt > now).OrderBy(a => a.StartsAt).Take(200)
            .Select(a => new VolunteerActivityRow(a.Id, a.Title, a.Place, a.StartsAt, a.EndsAt, english ? a.Community.NameEn : a.Community.NameZh,
                english ? a.Community.Street.NameEn : a.Community.Street.NameZh, a.RequiredTrack, a.Capacity,
                a.SignUps.Count(s => s.CancelledAt == null), a.ChildrenUnderAge,
                a.SignUps.Any(s => s.CancelledAt == null && s.UserId == userId)))
            .ToListAsync(ct);
        var held = await db.Certificates.AsNoTracking()
            .Where(c => c.UserId == userId && c.RevokedAt == null && c.SuspendedAt == null && c.ExpiresAt > now)
            .Select(c => c.Track).Distinct().ToListAsync(ct);
        return new ActivitiesViewModel(rows, held);
    }
}

public sealed record VolunteerActivityRow(int Id, string Title, string Place, DateTime StartsAt, DateTime EndsAt, string Community, string Street,
    RoleTrack RequiredTrack, int Capacity, int SignedUp, int? ChildrenUnderAge, bool Mine)
{
    public bool Full => SignedUp >= Capacity;
}

public sealed record ActivitiesViewModel(IReadOnlyList<VolunteerActivityRow> Activities, IReadOnlyList<RoleTrack> Held)
{
    public bool MayJoin(VolunteerActivityRow a) =>
        Held.Contains(a.RequiredTrack) || (a.ChildrenUnderAge is not null && Held.Contains(RoleTrack.ServiceProvider));
}

public sealed record ScanViewModel(int Id, string Code, string Title, string Place, DateTime StartsAt, DateTime EndsAt, string Community, bool Open,
    DateTime? CheckedInAt, DateTime? CheckedOutAt, bool SignedUp);
