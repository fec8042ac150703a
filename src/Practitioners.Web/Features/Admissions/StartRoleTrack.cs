using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Admissions;

public enum StartTrackOutcome
{
    Started,
    EmailNotConfirmed,
    CommunityNotFound,
    AlreadyOpen,
}

/// <summary>
/// Starts a role track: saves the role profile, opens an Applied admission and grants the role,
/// all in one transaction so a refused request leaves nothing behind.
/// </summary>
public sealed class StartRoleTrack(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public async Task<(StartTrackOutcome Outcome, int? AdmissionId)> RunAsync(
        string userId, RoleTrack track, int communityId, Action<DateTime> saveProfile, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.EmailConfirmed }).SingleOrDefaultAsync(ct);
        if (user is not { EmailConfirmed: true })
        {
            return (StartTrackOutcome.EmailNotConfirmed, null);
        }
        if (!await db.Communities.AnyAsync(c => c.Id == communityId, ct))
        {
            return (StartTrackOutcome.CommunityNotFound, null);
        }
        if (await db.Admissions.AnyAsync(a => a.UserId == userId && a.CommunityId == communityId && a.Track == track
                && a.State != AdmissionState.Withdrawn, ct))
        {
            return (StartTrackOutcome.AlreadyOpen, null);
        }

        saveProfile(now);
        var admission = Admission.Apply(userId, communityId, track, now);
        db.Admissions.Add(admission);

        var roleName = track.IdentityRole();
        var roleId = await db.Roles.Where(r => r.Name == roleName).Select(r => r.Id).SingleAsync(ct);
        if (!await db.UserRoles.AnyAsync(r => r.UserId == userId && r.RoleId == roleId, ct))
        {
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = userId, RoleId = roleId });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two submissions raced: the unique index on open admissions let only one through.
            return (StartTrackOutcome.AlreadyOpen, null);
        }
        audit.Record("admission.applied", "Admission", admission.Id.ToString(), userId, new { track, communityId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (StartTrackOutcome.Started, admission.Id);
    }
}
