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
