using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Features.Studies;

public enum ConsentOutcome
{
    Decided,
    NotFound,
    ReasonRequired,
    AlreadyDecided,
}

/// <summary>
/// A community's manager approves or declines a published study running there. Who may decide for the community
/// is <see cref="CommunityAccess"/>'s rule; anyone else is told the study is not there.
/// </summary>
public sealed class DecideConsent(AppDbContext db, CommunityAccess access, StudyEmails emails, AuditLog audit, TimeProvider clock)
{
    public async Task<ConsentOutcome> RunAsync(ClaimsPrincipal user, int studyId, int communityId, bool approve, string? reason, CancellationToken ct)
    {
        var study = await db.Studies.Include(s => s.Communities).ThenInclude(c => c.Community)
            .SingleOrDefaultAsync(s => s.Id == studyId && s.State == StudyState.Published, ct);
        var listed = study?.Communities.SingleOrDefault(c => c.CommunityId == communityId);
        if (study is null || listed is null || !await access.CanManageAsync(user, communityId, ct))
        {
            return ConsentOutcome.NotFound;
        }
        if (listed.Consent != ConsentState.Pending)
        {
            return ConsentOutcome.AlreadyDecided;
        }
        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            return ConsentOutcome.ReasonRequired;
        }
        var byUserId = StudyAccess.UserId(user);
        listed.Decide(approve, reason, byUserId, clock.GetUtcNow().UtcDateTime);
        audit.Record(approve ? "study.consent.approved" : "study.consent.declined", "Study", study.Id.ToString(), byUserId,
            new { community = communityId, reason });
        await db.SaveChangesAsync(ct);
        await emails.SendAsync(approve ? StudyEmail.ConsentApproved : StudyEmail.ConsentDeclined, study.LeadUserId, study,
            () => listed.Community.Name, listed.Reason, ct);
        return ConsentOutcome.Decided;
    }
}
