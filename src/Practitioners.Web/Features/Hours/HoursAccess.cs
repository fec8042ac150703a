using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// Who may organise a community's activities: whoever <see cref="CommunityAccess"/> lets manage it, and a service
/// provider the manager delegated, for as long as the delegation stands and the provider's P credential is valid.
/// Approving hours and exporting them stay with managers (<see cref="CommunityAccess"/> alone).
/// </summary>
public sealed class HoursAccess(AppDbContext db, CommunityAccess communities, TimeProvider clock)
{
    public static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    /// <summary>The communities whose activities this person may organise, as a query.</summary>
    public IQueryable<int> OrganisedCommunityIds(ClaimsPrincipal user)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return db.Communities.Select(c => c.Id);
        }
        var userId = UserId(user);
        var now = clock.GetUtcNow().UtcDateTime;
        var delegated = db.OrganiserDelegations.Where(d => d.UserId == userId && d.RevokedAt == null
                && db.Certificates.ValidOf(RoleTrack.ServiceProvider, now).Any(c => c.UserId == userId))
            .Select(d => d.CommunityId);
        return user.IsInRole(Roles.CommunityManager)
            ? communities.ManagedCommunityIds(userId).Union(delegated)
            : delegated;
    }

    public async Task<bool> CanOrganiseAsync(ClaimsPrincipal user, int communityId, CancellationToken ct) =>
        await communities.CanManageAsync(user, communityId, ct)
        || await OrganisedCommunityIds(user).AnyAsync(id => id == communityId, ct);

    public Task<bool> CanManageAsync(ClaimsPrincipal user, int communityId, CancellationToken ct) =>
        communities.CanManageAsync(user, communityId, ct);
}
