using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Communities;

/// <summary>A street or town office: the lead unit of the Code, with communities under it.</summary>
public sealed class Street
{
    public int Id { get; set; }
    public string Code { get; set; } = "";
    public string NameZh { get; set; } = "";
    public string NameEn { get; set; } = "";
    public List<Community> Communities { get; set; } = [];

    public string Name => Cultures.Pick(NameZh, NameEn);
}

public sealed class Community
{
    public int Id { get; set; }
    public int StreetId { get; set; }
    public Street Street { get; set; } = null!;
    public string Code { get; set; } = "";
    public string NameZh { get; set; } = "";
    public string NameEn { get; set; } = "";

    /// <summary>Whether a manager must approve each person before their credential is issued.</summary>
    public bool RequiresApproval { get; set; }

    public string Name => Cultures.Pick(NameZh, NameEn);
}

/// <summary>A manager looks after one community, or every community of one street.</summary>
public sealed class ManagerAssignment
{
    public int Id { get; set; }
    public string UserId { get; set; } = "";
    public int? StreetId { get; set; }
    public int? CommunityId { get; set; }
    public DateTime AssignedAt { get; set; }
}

internal sealed class StreetConfiguration : IEntityTypeConfiguration<Street>
{
    public void Configure(EntityTypeBuilder<Street> builder)
    {
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Code).HasMaxLength(64);
        builder.Property(s => s.NameZh).HasMaxLength(100);
        builder.Property(s => s.NameEn).HasMaxLength(100);
        builder.Ignore(s => s.Name);
    }
}

internal sealed class CommunityConfiguration : IEntityTypeConfiguration<Community>
{
    public void Configure(EntityTypeBuilder<Community> builder)
    {
        builder.HasIndex(c => c.Code).IsUnique();
        builder.Property(c => c.Code).HasMaxLength(64);
        builder.Property(c => c.NameZh).HasMaxLength(100);
        builder.Property(c => c.NameEn).HasMaxLength(100);
        builder.HasOne(c => c.Street).WithMany(s => s.Communities).HasForeignKey(c => c.StreetId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(c => c.Name);
    }
}

internal sealed class ManagerAssignmentConfiguration : IEntityTypeConfiguration<ManagerAssignment>
{
    public void Configure(EntityTypeBuilder<ManagerAssignment> builder)
    {
        builder.HasIndex(a => new { a.UserId, a.StreetId, a.CommunityId }).IsUnique();
        builder.HasOne<Accounts.ApplicationUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Street>().WithMany().HasForeignKey(a => a.StreetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Community>().WithMany().HasForeignKey(a => a.CommunityId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("CK_ManagerAssignment_OneScope",
            "(\"StreetId\" IS NULL) <> (\"CommunityId\" IS NULL)"));
    }
}
