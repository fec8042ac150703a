using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Hours;

public enum HoursKind
{
    Attendance = 1,
    OffSite = 2,
}

public enum HoursState
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,

    /// <summary>Replaced by an adjustment, which points back at this record.</summary>
    Superseded = 4,
}

/// <summary>
/// Hours served: from attendance at an activity, or an off-site task the volunteer describes. The times and hours are
/// never changed: an adjustment is a new record that replaces this one, with the reason. Only the decision
/// (approved / rejected / superseded, by whom, when) is written later, once.
/// </summary>
public sealed class HoursRecord
{
    /// <summary>One off-site submission covers at most a working day.</summary>
    public static readonly TimeSpan MaxOffSite = TimeSpan.FromHours(12);

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public ApplicationUser User { get; private set; } = null!;
    public int CommunityId { get; private set; }
    public Community Community { get; private set; } = null!;
    public int? ActivityId { get; private set; }
    public Activity? Activity { get; private set; }
    public int? SignUpId { get; private set; }
    public HoursKind Kind { get; private set; }
    public DateTime StartAt { get; private set; }
    public DateTime EndAt { get; private set; }
    public int Minutes { get; private set; }
    public string? Description { get; private set; }

    /// <summary>The record this one adjusts, and why.</summary>
    public long? ReplacesId { get; private set; }
    public string? Reason { get; private set; }

    public string CreatedByUserId { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public HoursState State { get; private set; }
    public string? DecidedByUserId { get; private set; }
    public DateTime? DecidedAt { get; private set; }
    public string? DecisionReason { get; private set; }

    private HoursRecord()
    {
    }

    public decimal Hours => Math.Round(Minutes / 60m, 2);

    /// <summary>The hours of one attendance: check-in to check-out, inside the activity's own times.</summary>
    public static HoursRecord FromAttendance(SignUp signUp, Activity activity, string byUserId, DateTime now)
    {
        if (signUp.CheckedInAt is not { } checkedIn || signUp.CheckedOutAt is not { } checkedOut || checkedOut <= checkedIn)
        {
            throw new InvalidOperationException("Hours need a check-in and a later check-out.");
        }
        var start = checkedIn < activity.StartsAt ? activity.StartsAt : checkedIn;
        var end = checkedOut > activity.EndsAt ? activity.EndsAt : checkedOut;
        if (end < start)
        {
            end = start;
        }
        return new HoursRecord
        {
            UserId = signUp.UserId, CommunityId = activity.CommunityId, ActivityId = activity.Id, SignUpId = signUp.Id,
            Kind = HoursKind.Attendance, StartAt = start, EndAt = end, Minutes = MinutesBetween(start, end),
            CreatedByUserId = byUserId, CreatedAt = now, State = HoursState.Pending,
        };
    }

    public static HoursRecord OffSite(string userId, int communityId, DateTime start, DateTime end, string description, DateTime now)
    {
        if (end <= start || end - start > MaxOffSite || end > now)
        {
            throw new ArgumentException("Off-site hours must end after they start, in the past, within 12 hours.");
        }
        return new HoursRecord
        {
            UserId = userId, CommunityId = communityId, Kind = HoursKind.OffSite, StartAt = start, EndAt = end,
            Minutes = MinutesBetween(start, end), Description = Required(description), CreatedByUserId = userId, CreatedAt = now,
            State = HoursState.Pending,
        };
    }

    public void Approve(string byUserId, DateTime now)
    {
        if (State != HoursState.Pending)
        {
            throw new InvalidOperationException("Only pending hours can be approved.");
        }
        Decide(HoursState.Approved, byUserId, now, null);
    }

    public void Reject(string reason, string byUserId, DateTime now)
    {
        if (State != HoursState.Pending)
        {
            throw new InvalidOperationException("Only pending hours can be rejected.");
        }
        Decide(HoursState.Rejected, byUserId, now, Required(reason));
    }

    /// <summary>
    /// A manager's correction: a new, approved record with the new times and the reason; this one becomes superseded.
    /// For an activity the new times must lie inside the activity.
    /// </summary>
    public HoursRecord Adjust(DateTime start, DateTime end, string reason, string byUserId, DateTime now, Activity? activity)
    {
        if (State is HoursState.Superseded or HoursState.Rejected)
        {
            throw new InvalidOperationException("Only pending or approved hours can be adjusted.");
        }
        if (end <= start)
        {
            throw new ArgumentException("The end must be after the start.");
        }
        if (activity is not null && (start < activity.StartsAt || end > activity.EndsAt))
        {
            throw new ArgumentException("Hours cannot be longer than the activity.");
        }
        if (activity is null && end - start > MaxOffSite)
        {
            throw new ArgumentException("Off-site hours cover at most 12 hours.");
        }
        var adjusted = new HoursRecord
        {
            UserId = UserId, CommunityId = CommunityId, ActivityId = ActivityId, SignUpId = SignUpId, Kind = Kind,
            StartAt = start, EndAt = end, Minutes = MinutesBetween(start, end), Description = Description,
            ReplacesId = Id, Reason = Required(reason), CreatedByUserId = byUserId, CreatedAt = now,
            State = HoursState.Approved, DecidedByUserId = byUserId, DecidedAt = now,
        };
        Decide(HoursState.Superseded, byUserId, now, adjusted.Reason);
        return adjusted;
    }

    private void Decide(HoursState state, string byUserId, DateTime now, string? reason)
    {
        State = state;
        DecidedByUserId = byUserId;
        DecidedAt = now;
        DecisionReason = reason;
    }

    private static int MinutesBetween(DateTime start, DateTime end) => (int)Math.Round((end - start).TotalMinutes);

    private static string Required(string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new ArgumentException("A reason or description is required.") : text.Trim();
}

internal sealed class HoursRecordConfiguration : IEntityTypeConfiguration<HoursRecord>
{
    public void Configure(EntityTypeBuilder<HoursRecord> builder)
    {
        builder.Property(h => h.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Description).HasMaxLength(1000);
        builder.Property(h => h.Reason).HasMaxLength(500);
        builder.Property(h => h.DecisionReason).HasMaxLength(500);
        builder.Ignore(h => h.Hours);
        builder.HasIndex(h => new { h.UserId, h.State, h.StartAt });
        builder.HasIndex(h => new { h.CommunityId, h.State, h.StartAt });
        builder.HasIndex(h => h.ActivityId);
        // Attendance makes one original record per sign-up, however often check-out is clicked.
        builder.HasIndex(h => h.SignUpId).IsUnique().HasFilter("\"SignUpId\" IS NOT NULL AND \"ReplacesId\" IS NULL");
        // A record is adjusted at most once; the adjustment carries any further correction.
        builder.HasIndex(h => h.ReplacesId).IsUnique().HasFilter("\"ReplacesId\" IS NOT NULL");
        builder.HasOne(h => h.User).WithMany().HasForeignKey(h => h.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(h => h.Community).WithMany().HasForeignKey(h => h.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(h => h.Activity).WithMany().HasForeignKey(h => h.ActivityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SignUp>().WithMany().HasForeignKey(h => h.SignUpId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<HoursRecord>().WithMany().HasForeignKey(h => h.ReplacesId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("CK_HoursRecord_Positive", "\"EndAt\" > \"StartAt\" AND \"Minutes\" > 0");
        });
    }
}

/// <summary>
/// A service-hours certificate as issued: the holder, the period and what it counted, fixed at issue so the
/// document and its verification page always agree. A later adjustment is reflected by issuing a new one.
/// </summary>
public sealed class HoursCertificate
{
    public int Id { get; set; }

    /// <summary>SH-{year}-{6 digits}, shown on the document.</summary>
    public string Number { get; set; } = "";

    /// <summary>100 random bits (Crockford base32), the address of the public verification page.</summary>
    public string VerificationCode { get; set; } = "";

    public string UserId { get; set; } = "";
    public ApplicationUser User { get; set; } = null!;
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public int TotalMinutes { get; set; }
    public int RecordCount { get; set; }
    public int ActivityCount { get; set; }

    /// <summary>The communities and streets the hours were served in, "、"-joined (zh) and ", "-joined (en).</summary>
    public string CommunitiesZh { get; set; } = "";
    public string CommunitiesEn { get; set; } = "";
    public string StreetsZh { get; set; } = "";
    public string StreetsEn { get; set; } = "";

    /// <summary>The ids of the approved records counted, comma-separated, so the same request returns the same document.</summary>
    public string RecordIds { get; set; } = "";

    public DateTime IssuedAt { get; set; }

    public decimal TotalHours => Math.Round(TotalMinutes / 60m, 2);
}

internal sealed class HoursCertificateConfiguration : IEntityTypeConfiguration<HoursCertificate>
{
    public void Configure(EntityTypeBuilder<HoursCertificate> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(20);
        builder.Property(c => c.VerificationCode).HasMaxLength(32);
        builder.Property(c => c.CommunitiesZh).HasMaxLength(2000);
        builder.Property(c => c.CommunitiesEn).HasMaxLength(2000);
        builder.Property(c => c.StreetsZh).HasMaxLength(1000);
        builder.Property(c => c.StreetsEn).HasMaxLength(1000);
        builder.Ignore(c => c.TotalHours);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.HasIndex(c => c.VerificationCode).IsUnique();
        builder.HasIndex(c => c.UserId);
        builder.HasOne(c => c.User).WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
