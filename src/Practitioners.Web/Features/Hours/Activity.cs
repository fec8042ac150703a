using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// A volunteer activity of one community: who may come (the credential it needs), how many, when (UTC) and where.
/// Attendance becomes hours records; the check-in code is what the organiser's QR code carries.
/// </summary>
public sealed class Activity
{
    /// <summary>A scan is accepted from this long before the start until this long after the end (people arrive early, leave late).</summary>
    public static readonly TimeSpan ScanGrace = TimeSpan.FromMinutes(30);

    public int Id { get; set; }
    public int CommunityId { get; set; }
    public Community Community { get; set; } = null!;
    public string Title { get; set; } = "";
    public string Place { get; set; } = "";
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public RoleTrack RequiredTrack { get; set; }
    public int Capacity { get; set; }

    /// <summary>Children under this age attend: at least one service provider must then be on the roster.</summary>
    public int? ChildrenUnderAge { get; set; }

    /// <summary>100 random bits, the secret of the check-in QR code; unrelated to the id and never shown to participants otherwise.</summary>
    public string CheckInCode { get; set; } = "";

    public string CreatedByUserId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public List<SignUp> SignUps { get; set; } = [];

    public TimeSpan Duration => EndsAt - StartsAt;

    /// <summary>Whether a check-in or check-out at <paramref name="at"/> belongs to this activity.</summary>
    public bool InScanWindow(DateTime at) => at >= StartsAt - ScanGrace && at <= EndsAt + ScanGrace;
}

/// <summary>
/// A credential-holder's place on an activity's roster. Cancelling keeps the row; a new sign-up is a new row.
/// Check-in and check-out are set once each; hours follow from them.
/// </summary>
public sealed class SignUp
{
    public int Id { get; set; }
    public int ActivityId { get; set; }
    public Activity Activity { get; set; } = null!;
    public string UserId { get; set; } = "";
    public ApplicationUser User { get; set; } = null!;
    public DateTime SignedUpAt { get; set; }
    public DateTime? CancelledAt { get; set; }
    public DateTime? CheckedInAt { get; set; }
    public string? CheckedInByUserId { get; set; }
    public DateTime? CheckedOutAt { get; set; }
    public string? CheckedOutByUserId { get; set; }

    public bool Active => CancelledAt is null;
}

/// <summary>A manager lets a service provider organise activities of one community. Revoking ends it; it is never deleted.</summary>
public sealed class OrganiserDelegation
{
    public int Id { get; set; }
    public int CommunityId { get; set; }
    public string UserId { get; set; } = "";
    public ApplicationUser User { get; set; } = null!;
    public string GrantedByUserId { get; set; } = "";
    public DateTime GrantedAt { get; set; }
    public string? RevokedByUserId { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.Place).HasMaxLength(200);
        builder.Property(a => a.RequiredTrack).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.CheckInCode).HasMaxLength(32);
        builder.HasIndex(a => a.CheckInCode).IsUnique();
        builder.HasIndex(a => new { a.CommunityId, a.StartsAt });
        builder.HasIndex(a => a.StartsAt);
        builder.HasOne(a => a.Community).WithMany().HasForeignKey(a => a.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(a => a.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.SignUps).WithOne(s => s.Activity).HasForeignKey(s => s.ActivityId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(a => a.Duration);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("CK_Activity_EndsAfterStart", "\"EndsAt\" > \"StartsAt\"");
            t.HasCheckConstraint("CK_Activity_Capacity", "\"Capacity\" > 0");
        });
    }
}

internal sealed class SignUpConfiguration : IEntityTypeConfiguration<SignUp>
{
    public void Configure(EntityTypeBuilder<SignUp> builder)
    {
        // One place per person per activity at a time: a double-clicked sign-up cannot take two places.
        builder.HasIndex(s => new { s.ActivityId, s.UserId }).IsUnique().HasFilter("\"CancelledAt\" IS NULL");
        builder.HasIndex(s => s.UserId);
        builder.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(s => s.Active);
        builder.ToTable(t => t.HasCheckConstraint("CK_SignUp_OutAfterIn",
            "\"CheckedOutAt\" IS NULL OR (\"CheckedInAt\" IS NOT NULL AND \"CheckedOutAt\" > \"CheckedInAt\")"));
    }
}

internal sealed class OrganiserDelegationConfiguration : IEntityTypeConfiguration<OrganiserDelegation>
{
    public void Configure(EntityTypeBuilder<OrganiserDelegation> builder)
    {
        builder.HasIndex(d => new { d.CommunityId, d.UserId }).IsUnique().HasFilter("\"RevokedAt\" IS NULL");
        builder.HasIndex(d => d.UserId);
        builder.HasOne<Community>().WithMany().HasForeignKey(d => d.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(d => d.User).WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}
