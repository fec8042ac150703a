using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Studies;

/// <summary>
/// Requested → Approved ⇄ Suspended → Ended, or Requested → Declined. Suspension follows the researcher credential
/// and is never a person's decision; Declined and Ended are final.
/// </summary>
public enum EnrolmentState
{
    Requested = 1,
    Approved = 2,
    Declined = 3,
    Suspended = 4,
    Ended = 5,
}

/// <summary>One researcher on one study's team, from the request (made with a signature of the study's agreement) on.</summary>
public sealed class Enrolment
{
    public static readonly IReadOnlyList<EnrolmentState> Open = [EnrolmentState.Requested, EnrolmentState.Approved, EnrolmentState.Suspended];

    public int Id { get; private set; }
    public int StudyId { get; private set; }
    public Study Study { get; private set; } = null!;
    public string UserId { get; private set; } = "";
    public ApplicationUser User { get; private set; } = null!;
    public EnrolmentState State { get; private set; }

    /// <summary>The signature of the study's data-use agreement the request was made with.</summary>
    public long SignatureId { get; private set; }

    public DateTime RequestedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>The credential expiry the member was last told falls before the study's end, so each is told once.</summary>
    public DateTime? RemindedForExpiry { get; private set; }

    public List<EnrolmentStateChange> History { get; private set; } = [];

    private Enrolment()
    {
    }

    public bool OnTeam => State is EnrolmentState.Approved or EnrolmentState.Suspended;

    public static Enrolment Request(int studyId, string userId, long signatureId, DateTime now)
    {
        var enrolment = new Enrolment
        {
            StudyId = studyId,
            UserId = userId,
            SignatureId = signatureId,
            State = EnrolmentState.Requested,
            RequestedAt = now,
            UpdatedAt = now,
        };
        enrolment.History.Add(new EnrolmentStateChange { From = null, To = EnrolmentState.Requested, At = now, ByUserId = userId });
        return enrolment;
    }

    public void Approve(string byUserId, DateTime now) => Move(EnrolmentState.Requested, EnrolmentState.Approved, byUserId, now, null);

    public void Decline(string reason, string byUserId, DateTime now) =>
        Move(EnrolmentState.Requested, EnrolmentState.Declined, byUserId, now, Required(reason));

    /// <summary>The credential stopped being valid: off the team until it is valid again.</summary>
    public void Suspend(string reason, DateTime now) => Move(EnrolmentState.Approved, EnrolmentState.Suspended, null, now, reason);

    /// <summary>The credential is valid again and the study still open: back on the team.</summary>
    public void Resume(string reason, DateTime now) => Move(EnrolmentState.Suspended, EnrolmentState.Approved, null, now, reason);

    public void End(string reason, string? byUserId, DateTime now)
    {
        if (!Open.Contains(State))
        {
            throw new InvalidOperationException($"An enrolment that is {State} cannot end.");
        }
        Record(EnrolmentState.Ended, byUserId, now, Required(reason));
    }

    public void Reminded(DateTime expiresAt) => RemindedForExpiry = expiresAt;

    private void Move(EnrolmentState from, EnrolmentState to, string? byUserId, DateTime now, string? reason)
    {
        if (State != from)
        {
            throw new InvalidOperationException($"An enrolment that is {State} cannot become {to}.");
        }
        Record(to, byUserId, now, reason);
    }

    private void Record(EnrolmentState to, string? byUserId, DateTime now, string? reason)
    {
        History.Add(new EnrolmentStateChange { EnrolmentId = Id, From = State, To = to, At = now, ByUserId = byUserId, Reason = reason });
        State = to;
        UpdatedAt = now;
    }

    private static string Required(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("A reason is required.", nameof(reason)) : reason.Trim();
}

/// <summary>The history of an enrolment: one row per state change. Append-only.</summary>
public sealed class EnrolmentStateChange
{
    public long Id { get; set; }
    public int EnrolmentId { get; set; }
    public EnrolmentState? From { get; set; }
    public EnrolmentState To { get; set; }
    public DateTime At { get; set; }

    /// <summary>Null when the change followed the credential (the daily sweep) or the study's end.</summary>
    public string? ByUserId { get; set; }

    public string? Reason { get; set; }
}

/// <summary>
/// Evidence that a researcher signed a study's data-use agreement: the same evidence as <see cref="Agreements.Signature"/>
/// (SHA-256 of the exact text shown, typed name, UTC time, IP, user agent), for a text that belongs to one study
/// rather than to a content version. Append-only: the database refuses updates and deletes.
/// </summary>
public sealed class StudySignature
{
    public long Id { get; set; }
    public int StudyId { get; set; }
    public string UserId { get; set; } = "";
    public string Language { get; set; } = "";
    public string TextHash { get; set; } = "";
    public string TypedName { get; set; } = "";
    public DateTime SignedAt { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
}

internal sealed class EnrolmentConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> builder)
    {
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(e => e.Study).WithMany().HasForeignKey(e => e.StudyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.User).WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StudySignature>().WithMany().HasForeignKey(e => e.SignatureId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(e => e.History).WithOne().HasForeignKey(h => h.EnrolmentId).OnDelete(DeleteBehavior.Restrict);
        // One open enrolment per researcher and study; after a decline or an end they may ask again.
        builder.HasIndex(e => new { e.StudyId, e.UserId })
            .IsUnique()
            .HasFilter("\"State\" IN ('Requested', 'Approved', 'Suspended')");
        builder.HasIndex(e => e.State);
        builder.HasIndex(e => e.UserId);
        builder.Ignore(e => e.OnTeam);
    }
}

internal sealed class EnrolmentStateChangeConfiguration : IEntityTypeConfiguration<EnrolmentStateChange>
{
    public void Configure(EntityTypeBuilder<EnrolmentStateChange> builder)
    {
        builder.Property(h => h.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Reason).HasMaxLength(500);
        builder.HasIndex(h => new { h.EnrolmentId, h.At });
    }
}

internal sealed class StudySignatureConfiguration : IEntityTypeConfiguration<StudySignature>
{
    public void Configure(EntityTypeBuilder<StudySignature> builder)
    {
        builder.Property(s => s.Language).HasMaxLength(10);
        builder.Property(s => s.TextHash).HasMaxLength(64);
        builder.Property(s => s.TypedName).HasMaxLength(100);
        builder.Property(s => s.IpAddress).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(512);
        builder.HasOne<Study>().WithMany().HasForeignKey(s => s.StudyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.StudyId, s.UserId });
    }
}
