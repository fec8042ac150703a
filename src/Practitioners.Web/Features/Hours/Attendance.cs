using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// Check-in and check-out, by the organiser (at a time they give, default now) or by the volunteer scanning the
/// activity's QR code (now). Check-out writes the pending hours record in the same unit of work.
/// Refusals record nothing.
/// </summary>
public sealed class Attendance(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public async Task<HoursResult> CheckInAsync(SignUp signUp, DateTime at, string byUserId, CancellationToken ct)
    {
        var activity = signUp.Activity;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!signUp.Active)
        {
            return HoursProblem.NotSignedUp;
        }
        if (signUp.CheckedInAt is not null)
        {
            return HoursProblem.AlreadyCheckedIn;
        }
        if (at > now.AddMinutes(1))
        {
            return HoursProblem.InFuture;
        }
        if (!activity.InScanWindow(at))
        {
            return HoursProblem.OutsideWindow;
        }
        signUp.CheckedInAt = at;
        signUp.CheckedInByUserId = byUserId;
        audit.Record("attendance.checked-in", "Activity", activity.Id.ToString(), byUserId, new { signUp = signUp.Id, signUp.UserId, at });
        await db.SaveChangesAsync(ct);
        return HoursResult.Done;
    }

    public async Task<HoursResult> CheckOutAsync(SignUp signUp, DateTime at, string byUserId, CancellationToken ct)
    {
        var activity = signUp.Activity;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!signUp.Active)
        {
            return HoursProblem.NotSignedUp;
        }
        if (signUp.CheckedInAt is not { } checkedIn)
        {
            return HoursProblem.NotCheckedIn;
        }
        if (signUp.CheckedOutAt is not null)
        {
            return HoursProblem.AlreadyCheckedOut;
        }
        if (at <= checkedIn)
        {
            return HoursProblem.CheckOutBeforeCheckIn;
        }
        if (at > now.AddMinutes(1))
        {
            return HoursProblem.InFuture;
        }
        if (at > activity.EndsAt + Activity.ScanGrace)
        {
            return HoursProblem.LongerThanActivity;
        }
        // Time counts only inside the activity: in and out both before its start (or after its end) is no service.
        if (!activity.InScanWindow(at) || checkedIn >= activity.EndsAt || at <= activity.StartsAt)
        {
            return HoursProblem.OutsideWindow;
        }
        signUp.CheckedOutAt = at;
        signUp.CheckedOutByUserId = byUserId;
        var record = HoursRecord.FromAttendance(signUp, activity, byUserId, now);
        db.HoursRecords.Add(record);
        audit.Record("attendance.checked-out", "Activity", activity.Id.ToString(), byUserId,
            new { signUp = signUp.Id, signUp.UserId, at, minutes = record.Minutes });
        await db.SaveChangesAsync(ct);
        return HoursResult.Done;
    }

    /// <summary>
    /// The volunteer's own scan of the organiser's code: checks them in, or out when already in. The code must be
    /// the activity's, and the clock inside the activity's window (30 minutes' grace either side).
    /// </summary>
    public async Task<(HoursResult Result, bool CheckedOut)> ScanAsync(int activityId, string? code, string userId, CancellationToken ct)
    {
        var activity = await db.Activities.SingleOrDefaultAsync(a => a.Id == activityId, ct);
        if (activity is null || !CodeMatches(activity, code))
        {
            return (HoursProblem.InvalidCode, false);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (!activity.InScanWindow(now))
        {
            return (HoursProblem.OutsideWindow, false);
        }
        var signUp = await db.SignUps.Include(s => s.Activity)
            .SingleOrDefaultAsync(s => s.ActivityId == activityId && s.UserId == userId && s.CancelledAt == null, ct);
        if (signUp is null)
        {
            return (HoursProblem.NotSignedUp, false);
        }
        return signUp.CheckedInAt is null
            ? (await CheckInAsync(signUp, now, userId, ct), false)
            : (await CheckOutAsync(signUp, now, userId, ct), true);
    }

    /// <summary>Whether the code is this activity's check-in code (compared in constant time).</summary>
    public static bool CodeMatches(Activity activity, string? code)
    {
        var normalised = CertificateCodes.Normalise(code);
        return normalised is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(normalised), Encoding.ASCII.GetBytes(activity.CheckInCode));
    }
}
