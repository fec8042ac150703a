using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Manage;

public sealed record ScopeCommunity(int Id, string Name, int StreetId, string StreetName);

/// <summary>The communities a manager's page covers: all of theirs, one street of theirs, or one community of theirs.</summary>
public sealed record ManagerScopeView(IReadOnlyList<ScopeCommunity> Mine, IReadOnlyList<int> Selected, int? CommunityId, int? StreetId)
{
    public string Label => CommunityId is { } c ? Mine.First(m => m.Id == c).Name
        : StreetId is { } s ? Mine.First(m => m.StreetId == s).StreetName
        : "";

    public string Query => CommunityId is { } c ? $"community={c}" : StreetId is { } s ? $"street={s}" : "";
}

/// <summary>Resolves the scope of a manager page from ?community= or ?street=, never wider than <see cref="CommunityAccess"/> allows.</summary>
public sealed class ManagerScope(AppDbContext db, CommunityAccess access)
{
    public async Task<ManagerScopeView?> ResolveAsync(ClaimsPrincipal user, int? communityId, int? streetId, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        var ids = user.IsInRole(Roles.Admin)
            ? db.Communities.Select(c => c.Id)
            : access.ManagedCommunityIds(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var mine = await db.Communities.AsNoTracking().Where(c => ids.Contains(c.Id))
            .OrderBy(c => c.Street.Code).ThenBy(c => c.Code)
            .Select(c => new ScopeCommunity(c.Id, english ? c.NameEn : c.NameZh, c.StreetId, english ? c.Street.NameEn : c.Street.NameZh))
            .ToListAsync(ct);
        if (communityId is { } cid)
        {
            return mine.Any(m => m.Id == cid) ? new ManagerScopeView(mine, [cid], cid, null) : null;
        }
        if (streetId is { } sid)
        {
            var inStreet = mine.Where(m => m.StreetId == sid).Select(m => m.Id).ToList();
            return inStreet.Count > 0 ? new ManagerScopeView(mine, inStreet, null, sid) : null;
        }
        return new ManagerScopeView(mine, mine.Select(m => m.Id).ToList(), null, null);
    }
}
