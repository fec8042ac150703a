using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Studies;

/// <summary>
/// Who may do what with a study. The lead (or an admin) runs it; the managers of its communities, as
/// <see cref="CommunityAccess"/> defines them, decide consent and see its roster. A draft is the lead's alone.
/// </summary>
public sealed class StudyAccess(CommunityAccess communities)
{
    public static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    public static bool Leads(ClaimsPrincipal user, Study study) =>
        user.IsInRole(Roles.Admin) || study.LeadUserId == UserId(user) || (study.State == StudyState.Draft && study.CreatedByUserId == UserId(user));

    public static bool CanSee(ClaimsPrincipal user, Study study) => study.State != StudyState.Draft || Leads(user, study);

    /// <summary>The listed communities this person may decide consent for.</summary>
    public async Task<IReadOnlyList<int>> ManagedAsync(ClaimsPrincipal user, Study study, CancellationToken ct)
    {
        var listed = study.Communities.Select(c => c.CommunityId).ToList();
        if (user.IsInRole(Roles.Admin))
        {
            return listed;
        }
        if (!user.IsInRole(Roles.CommunityManager))
        {
            return [];
        }
        return await communities.ManagedCommunityIds(UserId(user)).Where(id => listed.Contains(id)).ToListAsync(ct);
    }

    public async Task<bool> CanSeeRosterAsync(ClaimsPrincipal user, Study study, CancellationToken ct) =>
        study.State != StudyState.Draft && (Leads(user, study) || (await ManagedAsync(user, study, ct)).Count > 0);
}
