using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Admissions;

public sealed class VolunteerProfile
{
    public string UserId { get; set; } = "";
    public string School { get; set; } = "";
    public string StudentNumber { get; set; } = "";
    public string Major { get; set; } = "";
    public int ExpectedGraduationYear { get; set; }
    public DateOnly DateOfBirth { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Age in whole years on the given day.</summary>
    public int AgeOn(DateOnly day)
    {
        var age = day.Year - DateOfBirth.Year;
        return DateOfBirth.AddYears(age) > day ? age - 1 : age;
    }
}

public enum Employment
{
    PartTime = 1,
    FullTime = 2,
}

public sealed class ProviderProfile
{
    public string UserId { get; set; } = "";
    public string Organisation { get; set; } = "";
    public string Profession { get; set; } = "";
    public Employment Employment { get; set; }
    public string LicenceType { get; set; } = "";
    public string LicenceNumber { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

public sealed class ResearcherProfile
{
    public string UserId { get; set; } = "";
    public string Institution { get; set; } = "";
    public string Position { get; set; } = "";
    public string? Orcid { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class VolunteerProfileConfiguration : IEntityTypeConfiguration<VolunteerProfile>
{
    public void Configure(EntityTypeBuilder<VolunteerProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.HasOne<ApplicationUser>().WithOne().HasForeignKey<VolunteerProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.School).HasMaxLength(100);
        builder.Property(p => p.StudentNumber).HasMaxLength(40);
        builder.Property(p => p.Major).HasMaxLength(100);
    }
}

internal sealed class ProviderProfileConfiguration : IEntityTypeConfiguration<ProviderProfile>
{
    public void Configure(EntityTypeBuilder<ProviderProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.HasOne<ApplicationUser>().WithOne().HasForeignKey<ProviderProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.Organisation).HasMaxLength(100);
        builder.Property(p => p.Profession).HasMaxLength(100);
        builder.Property(p => p.Employment).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.LicenceType).HasMaxLength(100);
        builder.Property(p => p.LicenceNumber).HasMaxLength(60);
    }
}

internal sealed class ResearcherProfileConfiguration : IEntityTypeConfiguration<ResearcherProfile>
{
    public void Configure(EntityTypeBuilder<ResearcherProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.HasOne<ApplicationUser>().WithOne().HasForeignKey<ResearcherProfile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.Institution).HasMaxLength(100);
        builder.Property(p => p.Position).HasMaxLength(100);
        builder.Property(p => p.Orcid).HasMaxLength(19);
    }
}
