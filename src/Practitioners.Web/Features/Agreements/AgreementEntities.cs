using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Agreements;

/// <summary>An agreement as configured in content/: who signs it and what it needs besides the holder's signature.</summary>
public sealed class Agreement
{
    public string Id { get; set; } = "";
    public string TitleZh { get; set; } = "";
    public string TitleEn { get; set; } = "";
    public string Roles { get; set; } = "";
    public bool Countersignature { get; set; }
    public int? GuardianConsentUnderAge { get; set; }
    public int? ReacceptanceMonths { get; set; }
    public bool Template { get; set; }
    public DateTime UpdatedAt { get; set; }

    public string Title => Cultures.Pick(TitleZh, TitleEn);

    public bool AppliesTo(RoleTrack track) => !Template && Roles.Split(',').Contains(track.ToString());
}

/// <summary>One version of an agreement's text. Never changed once published.</summary>
public sealed class AgreementVersion
{
    public string AgreementId { get; set; } = "";
    public int Version { get; set; }
    public DateTime EffectiveAt { get; set; }
    public bool Material { get; set; }
    public string ChangesZh { get; set; } = "";
    public string ChangesEn { get; set; } = "";
    public string TextZh { get; set; } = "";
    public string TextEn { get; set; } = "";
    public DateTime PublishedAt { get; set; }

    public string Text(string culture) => culture == Cultures.English ? TextEn : TextZh;
}

public enum SignatureRole
{
    Holder = 1,
    Guardian = 2,
    Countersigner = 3,
}

/// <summary>
/// Evidence that someone signed (or, for a manager, declined to countersign) an exact agreement text.
/// Append-only: the database refuses updates and deletes (see AppendOnlyTables).
/// </summary>
public sealed class Signature
{
    public long Id { get; set; }
    public string AgreementId { get; set; } = "";
    public int Version { get; set; }
    public SignatureRole Role { get; set; }

    /// <summary>The holder, or the countersigning manager; null for a guardian, who has no account.</summary>
    public string? UserId { get; set; }

    /// <summary>The admission the holder's signature serves.</summary>
    public int? AdmissionId { get; set; }

    /// <summary>For a guardian's co-signature or a countersignature: the holder's signature it completes.</summary>
    public long? ForSignatureId { get; set; }

    public string Language { get; set; } = "";

    /// <summary>SHA-256 (hex) of the exact text shown to the signer.</summary>
    public string TextHash { get; set; } = "";

    public string TypedName { get; set; } = "";
    public string? GuardianRelation { get; set; }
    public string? GuardianEmail { get; set; }

    /// <summary>Decided when the holder signs, and kept as evidence of what the signature needed.</summary>
    public bool NeedsCountersignature { get; set; }

    public bool NeedsGuardian { get; set; }

    public bool Declined { get; set; }
    public string? DeclineReason { get; set; }
    public DateTime SignedAt { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
}

/// <summary>A single-use, expiring link that lets a volunteer's guardian co-sign without an account.</summary>
public sealed class GuardianInvitation
{
    public Guid Id { get; set; }
    public long SignatureId { get; set; }
    public string GuardianName { get; set; } = "";
    public string Relation { get; set; } = "";
    public string Email { get; set; } = "";

    /// <summary>SHA-256 of the token in the link; the token itself is never stored.</summary>
    public string TokenHash { get; set; } = "";

    public string Language { get; set; } = Cultures.Default;
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> builder)
    {
        builder.Property(a => a.Id).HasMaxLength(80);
        builder.Property(a => a.TitleZh).HasMaxLength(200);
        builder.Property(a => a.TitleEn).HasMaxLength(200);
        builder.Property(a => a.Roles).HasMaxLength(100);
        builder.Ignore(a => a.Title);
    }
}

internal sealed class AgreementVersionConfiguration : IEntityTypeConfiguration<AgreementVersion>
{
    public void Configure(EntityTypeBuilder<AgreementVersion> builder)
    {
        builder.HasKey(v => new { v.AgreementId, v.Version });
        builder.Property(v => v.AgreementId).HasMaxLength(80);
        builder.Property(v => v.ChangesZh).HasMaxLength(1000);
        builder.Property(v => v.ChangesEn).HasMaxLength(1000);
        builder.HasOne<Agreement>().WithMany().HasForeignKey(v => v.AgreementId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SignatureConfiguration : IEntityTypeConfiguration<Signature>
{
    public void Configure(EntityTypeBuilder<Signature> builder)
    {
        builder.Property(s => s.AgreementId).HasMaxLength(80);
        builder.Property(s => s.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Language).HasMaxLength(10);
        builder.Property(s => s.TextHash).HasMaxLength(64);
        builder.Property(s => s.TypedName).HasMaxLength(100);
        builder.Property(s => s.GuardianRelation).HasMaxLength(40);
        builder.Property(s => s.GuardianEmail).HasMaxLength(256);
        builder.Property(s => s.DeclineReason).HasMaxLength(500);
        builder.Property(s => s.IpAddress).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(512);
        builder.HasOne<AgreementVersion>().WithMany().HasForeignKey(s => new { s.AgreementId, s.Version }).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Admission>().WithMany().HasForeignKey(s => s.AdmissionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Signature>().WithMany().HasForeignKey(s => s.ForSignatureId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.AdmissionId, s.Role, s.SignedAt });
        // At most one guardian co-signature and one countersignature (or decline) per holder's signature.
        builder.HasIndex(s => new { s.ForSignatureId, s.Role }).IsUnique().HasFilter("\"ForSignatureId\" IS NOT NULL");
        builder.HasIndex(s => new { s.UserId, s.AgreementId });
    }
}

internal sealed class GuardianInvitationConfiguration : IEntityTypeConfiguration<GuardianInvitation>
{
    public void Configure(EntityTypeBuilder<GuardianInvitation> builder)
    {
        builder.Property(i => i.GuardianName).HasMaxLength(100);
        builder.Property(i => i.Relation).HasMaxLength(40);
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.Property(i => i.Language).HasMaxLength(10);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasOne<Signature>().WithMany().HasForeignKey(i => i.SignatureId).OnDelete(DeleteBehavior.Restrict);
    }
}
