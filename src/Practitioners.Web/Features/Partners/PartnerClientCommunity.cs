using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Partners;

/// <summary>A community whose roster a partner client may read. Keyed by the OpenIddict client id.</summary>
public sealed class PartnerClientCommunity
{
    public int Id { get; set; }
    public string ClientId { get; set; } = "";
    public int CommunityId { get; set; }
    public DateTime GrantedAt { get; set; }
    public string? GrantedByUserId { get; set; }
}

internal sealed class PartnerClientCommunityConfiguration : IEntityTypeConfiguration<PartnerClientCommunity>
{
    public void Configure(EntityTypeBuilder<PartnerClientCommunity> builder)
    {
        builder.Property(p => p.ClientId).HasMaxLength(100);
        builder.HasIndex(p => new { p.ClientId, p.CommunityId }).IsUnique();
        builder.HasOne<Community>().WithMany().HasForeignKey(p => p.CommunityId).OnDelete(DeleteBehavior.Cascade);
    }
}
