using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// Signing up for an activity and cancelling. The gate is the admissions credential gate: a valid certificate of the
/// activity's role (and, where young children attend, a valid service-provider certificate also admits, so providers
/// can join as the safeguarding adult). Capacity and overlaps are checked inside one write transaction that holds the
/// activity's and the person's write locks (SQLite: the immediate transaction already serialises writers), so two people
/// cannot take the last place together, nor one person two overlapping activities at once.
/// </summary>
public sealed class SignUps(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public async Task<HoursResult> SignUpAsync(int activityId, string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.BeginWriteAsync(ct,
            WriteLock.Of(LockPurpose.ActivityPlaces, activityId), WriteLock.Of(LockPurpose.PersonSignUps, userId));
        var activity = await db.Activities.SingleAsync(a => a.Id == activityId, ct);
        if (now >= activity.StartsAt)
        {
            return HoursProblem.AlreadyStarted;
        }
        if (!await MayJoinAsync(activity, userId, now, ct))
        {
            return HoursProblem.NoCredential;
        }
        var mine = db.SignUps.Where(s => s.UserId == userId && s.CancelledAt == null);
        if (await mine.AnyAsync(s => s.ActivityId == activityId, ct))
        {
            return HoursProblem.AlreadySignedUp;
        }
        if (await mine.AnyAsync(s => s.Activity.StartsAt < activity.EndsAt && s.Activity.EndsAt > activity.StartsAt, ct))
        {
            return HoursProblem.Overlaps;
        }
        if (await db.SignUps.CountAsync(s => s.ActivityId == activityId && s.CancelledAt == null, ct) >= activity.Capacity)
        {
            return HoursProblem.Full;
        }
        var signUp = new SignUp { ActivityId = activityId, UserId = userId, SignedUpAt = now };
        db.SignUps.Add(signUp);
        await db.SaveChangesAsync(ct);
        audit.Record("activity.signed-up", "Activity", activityId.ToString(), userId, new { signUp = signUp.Id });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return HoursResult.Done;
    }

    public async Task<HoursResult> CancelAsync(int activityId, string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var signUp = await db.SignUps.Include(s => s.Activity)
            .SingleOrDefaultAsync(s => s.ActivityId == activityId && s.UserId == userId && s.CancelledAt == null, ct);
        if (signUp is null)
        {
            return HoursProblem.NotSignedUp;
        }
        if (now >= signUp.Activity.StartsAt)
        {
            return HoursProblem.AlreadyStarted;
        }
        signUp.CancelledAt = now;
        audit.Record("activity.cancelled", "Activity", activityId.ToString(), userId, new { signUp = signUp.Id });
        await db.SaveChangesAsync(ct);
        return HoursResult.Done;
    }

    public async Task<bool> MayJoinAsync(Activity activity, string userId, DateTime now, CancellationToken ct) =>
        await db.Certificates.ValidOf(activity.RequiredTrack, now).AnyAsync(c => c.UserId == userId, ct)
        || (activity.ChildrenUnderAge is not null
            && await db.Certificates.ValidOf(RoleTrack.ServiceProvider, now).AnyAsync(c => c.UserId == userId, ct));
}
