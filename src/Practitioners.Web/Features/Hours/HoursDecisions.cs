using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// A manager's decisions on hours: approve many at once, reject one with a reason, or adjust one (a new approved record
/// that replaces it, with the reason). Each is audited; the caller has already checked the records are in the
/// manager's communities.
/// </summary>
public sealed class HoursDecisions(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    /// <summary>Approves the pending records among <paramref name="records"/>; returns how many.</summary>
    public async Task<int> ApproveAsync(IReadOnlyList<HoursRecord> records, string managerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var approved = 0;
        foreach (var record in records.Where(r => r.State == HoursState.Pending))
        {
            record.Approve(managerId, now);
            audit.Record("hours.approved", "HoursRecord", record.Id.ToString(), managerId, new { record.UserId, record.Minutes });
            approved++;
        }
        await db.SaveChangesAsync(ct);
        return approved;
    }

    public async Task<HoursResult> RejectAsync(HoursRecord record, string reason, string managerId, CancellationToken ct)
    {
        if (record.State != HoursState.Pending)
        {
            return HoursProblem.NotPending;
        }
        record.Reject(reason, managerId, clock.GetUtcNow().UtcDateTime);
        audit.Record("hours.rejected", "HoursRecord", record.Id.ToString(), managerId, new { record.UserId, reason });
        await db.SaveChangesAsync(ct);
        return HoursResult.Done;
    }

    public async Task<(HoursResult Result, HoursRecord? Adjusted)> AdjustAsync(HoursRecord record, DateTime start, DateTime end, string reason,
        string managerId, CancellationToken ct)
    {
        if (record.State is not (HoursState.Pending or HoursState.Approved))
        {
            return (HoursProblem.NotPending, null);
        }
        if (end <= start)
        {
            return (HoursProblem.EndBeforeStart, null);
        }
        var activity = record.ActivityId is { } id ? await db.Activities.SingleAsync(a => a.Id == id, ct) : null;
        if (activity is not null && (start < activity.StartsAt || end > activity.EndsAt))
        {
            return (HoursProblem.LongerThanActivity, null);
        }
        if (activity is null && end - start > HoursRecord.MaxOffSite)
        {
            return (HoursProblem.TooLong, null);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var adjusted = record.Adjust(start, end, reason, managerId, now, activity);
        db.HoursRecords.Add(adjusted);
        await db.SaveChangesAsync(ct);
        audit.Record("hours.adjusted", "HoursRecord", record.Id.ToString(), managerId,
            new { record.UserId, replacedBy = adjusted.Id, from = record.Minutes, to = adjusted.Minutes, reason = adjusted.Reason });
        await db.SaveChangesAsync(ct);
        return (HoursResult.Done, adjusted);
    }
}

/// <summary>A volunteer's own hours for a task away from any activity: pending until a manager of that community decides.</summary>
public sealed class SubmitOffSiteHours(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    /// <summary>The communities where the person holds an admission that is not withdrawn: those may receive their hours.</summary>
    public IQueryable<int> CommunitiesOf(string userId) =>
        db.Admissions.Where(a => a.UserId == userId && a.State != Admissions.AdmissionState.Withdrawn).Select(a => a.CommunityId).Distinct();

    public async Task<HoursResult> RunAsync(string userId, int communityId, DateTime start, DateTime end, string description, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await CommunitiesOf(userId).AnyAsync(c => c == communityId, ct))
        {
            return HoursProblem.NoCommunity;
        }
        if (end <= start)
        {
            return HoursProblem.EndBeforeStart;
        }
        if (end > now)
        {
            return HoursProblem.InFuture;
        }
        if (end - start > HoursRecord.MaxOffSite)
        {
            return HoursProblem.TooLong;
        }
        var record = HoursRecord.OffSite(userId, communityId, start, end, description, now);
        db.HoursRecords.Add(record);
        await db.SaveChangesAsync(ct);
        audit.Record("hours.submitted", "HoursRecord", record.Id.ToString(), userId, new { communityId, record.Minutes });
        await db.SaveChangesAsync(ct);
        return HoursResult.Done;
    }
}
