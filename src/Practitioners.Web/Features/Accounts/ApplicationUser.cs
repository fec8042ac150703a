using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Practitioners.Web.Features.Accounts;

public sealed class ApplicationUser : IdentityUser
{
    /// <summary>Full legal name, as it must appear on agreements and certificates.</summary>
    public string FullName { get; set; } = "";

    /// <summary>zh-CN or en: the language of emails and of the site after sign-in.</summary>
    public string PreferredCulture { get; set; } = Infrastructure.Localization.Cultures.Default;

    public DateTime CreatedAt { get; set; }

    /// <summary>When an admin approved the person's deletion request and their personal data was erased (UTC).</summary>
    public DateTime? PersonalDataRemovedAt { get; set; }

    /// <summary>When an admin disabled the account (UTC); null while it may sign in. A status, not a deletion.</summary>
    public DateTime? DisabledAt { get; set; }

    /// <summary>Why the account was disabled, as the admin wrote it.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>
    /// The last 30-second step (RFC 6238) whose authenticator code was accepted: a code is good once, so that step and
    /// earlier ones are refused afterwards (ASVS 2: one-time passwords are single use).
    /// </summary>
    public long? AuthenticatorLastStep { get; set; }
}

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.FullName).HasMaxLength(100).IsRequired();
        builder.Property(u => u.PreferredCulture).HasMaxLength(10).IsRequired();
        builder.Property(u => u.PhoneNumber).HasMaxLength(32);
        builder.Property(u => u.DisabledReason).HasMaxLength(500);
        builder.HasIndex(u => u.PhoneNumber);
        // The roster reads people in name order from this index and stops after a page.
        builder.HasIndex(u => new { u.FullName, u.Id });
    }
}

public static class Roles
{
    public const string Volunteer = nameof(Volunteer);
    public const string ServiceProvider = nameof(ServiceProvider);
    public const string Researcher = nameof(Researcher);
    public const string CommunityManager = nameof(CommunityManager);
    public const string TrainingAdmin = nameof(TrainingAdmin);
    public const string Admin = nameof(Admin);

    public static readonly IReadOnlyList<string> All =
        [Volunteer, ServiceProvider, Researcher, CommunityManager, TrainingAdmin, Admin];
}
