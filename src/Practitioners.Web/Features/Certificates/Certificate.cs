using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Certificates;

/// <summary>What a verifier is told. Valid, Expiring and Expired follow from the dates; Suspended and Revoked are decisions.</summary>
public enum CertificateStatus
{
    Valid = 1,
    Expiring = 2,
    Expired = 3,
    Suspended = 4,
    Revoked = 5,
}

public enum CertificateEventKind
{
    Issued = 1,
    Renewed = 2,
    Suspended = 3,
    Reinstated = 4,
    Revoked = 5,
}

/// <summary>
/// A credential held by one person for one admission (one community and role). Renewal extends it and is kept
/// as history; suspension and revocation are recorded with their reason. Revocation is final.
/// </summary>
public sealed class Certificate
{
    public int Id { get; private set; }

    /// <summary>CFC-{V|P|R}-{year}-{6 digits}, unique.</summary>
    public string Number { get; private set; } = "";

    /// <summary>At least 80 random bits in Crockford base32, unrelated to the number, never reused.</summary>
    public string VerificationCode { get; private set; } = "";

    public string UserId { get; private set; } = "";
    public ApplicationUser User { get; private set; } = null!;
    public int AdmissionId { get; private set; }
    public int CommunityId { get; private set; }
    public Community Community { get; private set; } = null!;
    public RoleTrack Track { get; private set; }
    public DateTime IssuedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime? SuspendedAt { get; private set; }
    public DateTime? RevokedAt { get; private set; }

    /// <summary>The reason for the current suspension or the revocation.</summary>
    public string? Reason { get; private set; }

    public List<CertificateEvent> Events { get; private set; } = [];

    private Certificate()
    {
    }

    public static Certificate Issue(string number, string code, Admission admission, DateTime now, DateTime expiresAt, string? byUserId)
    {
        var certificate = new Certificate
        {
            Number = number,
            VerificationCode = code,
            UserId = admission.UserId,
            AdmissionId = admission.Id,
            CommunityId = admission.CommunityId,
            Track = admission.Track,
            IssuedAt = now,
            ExpiresAt = expiresAt,
        };
        certificate.Record(CertificateEventKind.Issued, now, byUserId, null);
        return certificate;
    }

    public CertificateStatus StatusAt(DateTime now, TimeSpan renewalWindow) => Status(ExpiresAt, SuspendedAt, RevokedAt, now, renewalWindow);

    /// <summary>The status from the stored facts; shared by the entity and the no-tracking verification lookup.</summary>
    public static CertificateStatus Status(DateTime expiresAt, DateTime? suspendedAt, DateTime? revokedAt, DateTime now, TimeSpan renewalWindow) =>
        revokedAt is not null ? CertificateStatus.Revoked
        : suspendedAt is not null ? CertificateStatus.Suspended
        : now >= expiresAt ? CertificateStatus.Expired
        : now >= expiresAt - renewalWindow ? CertificateStatus.Expiring
        : CertificateStatus.Valid;

    /// <summary>Extends the certificate by the validity, counted from the old expiry (or from now when it already lapsed).</summary>
    public void Renew(DateTime now, int validityMonths, string? byUserId)
    {
        if (RevokedAt is not null)
        {
            throw new InvalidOperationException("A revoked certificate cannot be renewed.");
        }
        var from = ExpiresAt > now ? ExpiresAt : now;
        ExpiresAt = from.AddMonths(validityMonths);
        Record(CertificateEventKind.Renewed, now, byUserId, null);
    }

    public void Suspend(string reason, string byUserId, DateTime now)
    {
        if (RevokedAt is not null)
        {
            throw new InvalidOperationException("A revoked certificate cannot be suspended.");
        }
        if (SuspendedAt is not null)
        {
            throw new InvalidOperationException("The certificate is already suspended.");
        }
        SuspendedAt = now;
        Reason = Required(reason);
        Record(CertificateEventKind.Suspended, now, byUserId, Reason);
    }

    public void Reinstate(string reason, string byUserId, DateTime now)
    {
        if (RevokedAt is not null || SuspendedAt is null)
        {
            throw new InvalidOperationException("Only a suspended certificate can be reinstated.");
        }
        SuspendedAt = null;
        Reason = null;
        Record(CertificateEventKind.Reinstated, now, byUserId, Required(reason));
    }

    public void Revoke(string reason, string byUserId, DateTime now)
    {
        if (RevokedAt is not null)
        {
            throw new InvalidOperationException("The certificate is already revoked.");
        }
        RevokedAt = now;
        SuspendedAt = null;
        Reason = Required(reason);
        Record(CertificateEventKind.Revoked, now, byUserId, Reason);
    }

    private void Record(CertificateEventKind kind, DateTime now, string? byUserId, string? reason) =>
        Events.Add(new CertificateEvent { Kind = kind, At = now, ExpiresAt = ExpiresAt, ByUserId = byUserId, Reason = reason });

    private static string Required(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("A reason is required.", nameof(reason)) : reason.Trim();
}

/// <summary>The certificate's history, shown on the verification page. Append-only.</summary>
public sealed class CertificateEvent
{
    public long Id { get; set; }
    public int CertificateId { get; set; }
    public CertificateEventKind Kind { get; set; }
    public DateTime At { get; set; }

    /// <summary>The expiry after this event.</summary>
    public DateTime ExpiresAt { get; set; }

    public string? ByUserId { get; set; }
    public string? Reason { get; set; }
}

internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(20);
        builder.Property(c => c.VerificationCode).HasMaxLength(32);
        builder.Property(c => c.Track).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.HasIndex(c => c.VerificationCode).IsUnique();
        // One certificate per admission: two concurrent requests cannot issue a second.
        builder.HasIndex(c => c.AdmissionId).IsUnique();
        builder.HasIndex(c => c.ExpiresAt);
        builder.HasIndex(c => new { c.CommunityId, c.ExpiresAt });
        builder.HasIndex(c => c.UserId);
        builder.HasOne(c => c.User).WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(c => c.Community).WithMany().HasForeignKey(c => c.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Admission>().WithMany().HasForeignKey(c => c.AdmissionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Events).WithOne().HasForeignKey(e => e.CertificateId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CertificateEventConfiguration : IEntityTypeConfiguration<CertificateEvent>
{
    public void Configure(EntityTypeBuilder<CertificateEvent> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Reason).HasMaxLength(500);
        builder.HasIndex(e => new { e.CertificateId, e.At });
    }
}
