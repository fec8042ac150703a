using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Communities;

/// <summary>
/// The one rule for "may this person act for this community": admins everywhere; a manager in the
/// communities assigned to them directly or through their street. Every controller and API endpoint asks here.
/// </summary>
public sealed class CommunityAccess(AppDbContext db)
{
    /// <summary>The ids of the communities this user manages, as a query to compose with others.</summary>
    public IQueryable<int> ManagedCommunityIds(string userId) =>
        db.Communities.Where(c => db.ManagerAssignments.Any(a => a.UserId == userId
                && (a.CommunityId == c.Id || a.StreetId == c.StreetId)))
            .Select(c => c.Id);

    public async Task<bool> CanManageAsync(ClaimsPrincipal user, int communityId, CancellationToken ct = default)
    {
        if (user.IsInRole(Roles.Admin))
        {
            return true;
        }
        if (!user.IsInRole(Roles.CommunityManager))
        {
            return false;
        }
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is not null && await ManagedCommunityIds(userId).AnyAsync(id => id == communityId, ct);
    }
}

public static class CommunitiesSetup
{
    public static WebApplicationBuilder AddCommunities(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<CommunityAccess>();
        return builder;
    }
}
