using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Admissions;

public enum RoleTrack
{
    Volunteer = 1,
    ServiceProvider = 2,
    Researcher = 3,
}

public enum AdmissionState
{
    Applied = 1,
    InTraining = 2,
    AwaitingSignature = 3,
    AwaitingApproval = 4,
    Active = 5,
    Lapsed = 6,
    Suspended = 7,
    Withdrawn = 8,
}

public static class RoleTracks
{
    public static readonly IReadOnlyList<RoleTrack> All = [RoleTrack.Volunteer, RoleTrack.ServiceProvider, RoleTrack.Researcher];

    /// <summary>The letter of the credential type the track leads to: V, P or R.</summary>
    public static char CredentialLetter(this RoleTrack track) => track switch
    {
        RoleTrack.Volunteer => 'V',
        RoleTrack.ServiceProvider => 'P',
        RoleTrack.Researcher => 'R',
        _ => throw new ArgumentOutOfRangeException(nameof(track)),
    };

    /// <summary>The Identity role a person holds once they start this track.</summary>
    public static string IdentityRole(this RoleTrack track) => track switch
    {
        RoleTrack.Volunteer => Roles.Volunteer,
        RoleTrack.ServiceProvider => Roles.ServiceProvider,
        RoleTrack.Researcher => Roles.Researcher,
        _ => throw new ArgumentOutOfRangeException(nameof(track)),
    };
}

/// <summary>One person admitted to serve one community in one role; its state follows the requirements.</summary>
public sealed class Admission
{
    public int Id { get; private set; }
    public string UserId { get; private set; } = "";
    public ApplicationUser User { get; private set; } = null!;
    public int CommunityId { get; private set; }
    public Community Community { get; private set; } = null!;
    public RoleTrack Track { get; private set; }
    public AdmissionState State { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public List<AdmissionStateChange> History { get; private set; } = [];

    private Admission()
    {
    }

    public static Admission Apply(string userId, int communityId, RoleTrack track, DateTime now)
    {
        var admission = new Admission
        {
            UserId = userId,
            CommunityId = communityId,
            Track = track,
            State = AdmissionState.Applied,
            CreatedAt = now,
            UpdatedAt = now,
        };
        admission.History.Add(new AdmissionStateChange
        {
            From = null,
            To = AdmissionState.Applied,
            At = now,
            ByUserId = userId,
        });
        return admission;
    }

    public bool IsOpen => State is not (AdmissionState.Withdrawn);

    /// <summary>Moves to a new state and records the change; a withdrawn admission stays withdrawn.</summary>
    public void MoveTo(AdmissionState next, string? byUserId, DateTime now, string? reason = null)
    {
        if (State == AdmissionState.Withdrawn)
        {
            throw new InvalidOperationException("A withdrawn admission cannot change state.");
        }
        if (next == State)
        {
            return;
        }
        History.Add(new AdmissionStateChange
        {
            AdmissionId = Id,
            From = State,
            To = next,
            At = now,
            ByUserId = byUserId,
            Reason = reason,
        });
        State = next;
        UpdatedAt = now;
    }
}

/// <summary>The history of an admission: one row per state change, never edited.</summary>
public sealed class AdmissionStateChange
{
    public long Id { get; set; }
    public int AdmissionId { get; set; }
    public AdmissionState? From { get; set; }
    public AdmissionState To { get; set; }
    public DateTime At { get; set; }
    public string? ByUserId { get; set; }
    public string? Reason { get; set; }
}

internal sealed class AdmissionConfiguration : IEntityTypeConfiguration<Admission>
{
    public void Configure(EntityTypeBuilder<Admission> builder)
    {
        builder.Property(a => a.Track).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
        builder.HasOne(a => a.User).WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Community).WithMany().HasForeignKey(a => a.CommunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.History).WithOne().HasForeignKey(h => h.AdmissionId).OnDelete(DeleteBehavior.Restrict);
        // One open admission per person, community and role; a withdrawn one may be applied for again.
        builder.HasIndex(a => new { a.UserId, a.CommunityId, a.Track })
            .IsUnique()
            .HasFilter("\"State\" <> 'Withdrawn'");
        builder.HasIndex(a => new { a.CommunityId, a.State });
        // "Has this person an admission in these communities?", asked per person by the roster, withdrawn ones included.
        builder.HasIndex(a => new { a.UserId, a.CommunityId });
        builder.Ignore(a => a.IsOpen);
    }
}

internal sealed class AdmissionStateChangeConfiguration : IEntityTypeConfiguration<AdmissionStateChange>
{
    public void Configure(EntityTypeBuilder<AdmissionStateChange> builder)
    {
        builder.Property(h => h.From).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.To).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Reason).HasMaxLength(500);
        builder.HasIndex(h => h.AdmissionId);
    }
}
