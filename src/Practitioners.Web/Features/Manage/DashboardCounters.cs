using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Practitioners.Web.Features.Manage;

/// <summary>
/// How many certificates of a community and role expire on a day, by standing (Active, Suspended, Revoked).
/// Maintained by database triggers on Certificates (Data/Sql/DashboardCounters.cs), so every path that issues,
/// renews, suspends or revokes keeps it true; the dashboard sums a few thousand rows instead of scanning certificates.
/// </summary>
public sealed class CertificateExpiryCount
{
    public int CommunityId { get; set; }
    public string Track { get; set; } = "";
    public DateOnly ExpiresOn { get; set; }
    public string Standing { get; set; } = "";
    public int Count { get; set; }
}

/// <summary>How many admissions of a community are in each state; maintained by triggers on Admissions.</summary>
public sealed class AdmissionStateCount
{
    public int CommunityId { get; set; }
    public string State { get; set; } = "";
    public int Count { get; set; }
}

/// <summary>
/// How many certificates of a community and role expire in a month (<see cref="Month"/> is its first day), by standing.
/// Maintained by the same kind of triggers; the dashboard sums these and reads day rows only for the months it cuts.
/// </summary>
public sealed class CertificateExpiryMonth
{
    public int CommunityId { get; set; }
    public string Track { get; set; } = "";
    public DateOnly Month { get; set; }
    public string Standing { get; set; } = "";
    public int Count { get; set; }
}

/// <summary>
/// How many people with a live (not withdrawn) admission in a community have passed a module, any version.
/// Maintained by triggers on ModuleCompletions and Admissions.
/// </summary>
public sealed class TrainingPassCount
{
    public int CommunityId { get; set; }
    public string ModuleId { get; set; } = "";
    public int Count { get; set; }
}

internal sealed class CertificateExpiryMonthConfiguration : IEntityTypeConfiguration<CertificateExpiryMonth>
{
    public void Configure(EntityTypeBuilder<CertificateExpiryMonth> builder)
    {
        builder.HasKey(c => new { c.CommunityId, c.Track, c.Month, c.Standing });
        builder.Property(c => c.Track).HasMaxLength(20);
        builder.Property(c => c.Standing).HasMaxLength(20);
    }
}

internal sealed class TrainingPassCountConfiguration : IEntityTypeConfiguration<TrainingPassCount>
{
    public void Configure(EntityTypeBuilder<TrainingPassCount> builder)
    {
        builder.HasKey(c => new { c.CommunityId, c.ModuleId });
        builder.Property(c => c.ModuleId).HasMaxLength(80);
    }
}

internal sealed class CertificateExpiryCountConfiguration : IEntityTypeConfiguration<CertificateExpiryCount>
{
    public void Configure(EntityTypeBuilder<CertificateExpiryCount> builder)
    {
        builder.HasKey(c => new { c.CommunityId, c.Track, c.ExpiresOn, c.Standing });
        builder.Property(c => c.Track).HasMaxLength(20);
        builder.Property(c => c.Standing).HasMaxLength(20);
    }
}

internal sealed class AdmissionStateCountConfiguration : IEntityTypeConfiguration<AdmissionStateCount>
{
    public void Configure(EntityTypeBuilder<AdmissionStateCount> builder)
    {
        builder.HasKey(c => new { c.CommunityId, c.State });
        builder.Property(c => c.State).HasMaxLength(20);
    }
}
