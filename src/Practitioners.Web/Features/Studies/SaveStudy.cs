using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Studies;

public enum SaveStudyOutcome
{
    Saved,
    NotFound,
    NoValidCredential,
    LeadNotFound,
    LeadWithoutCredential,
    UnknownCommunity,
    NotDraft,
}

public sealed record SaveStudyResult(SaveStudyOutcome Outcome, int StudyId = 0);

/// <summary>
/// Creates a study as a draft, or edits a draft. Only a researcher holding a valid R credential, or an admin, may
/// create one; a researcher leads their own study, an admin names a lead who holds a valid R credential.
/// Every refusal leaves nothing recorded.
/// </summary>
public sealed class SaveStudy(AppDbContext db, CredentialStanding credentials, UserManager<ApplicationUser> users, AuditLog audit, TimeProvider clock)
{
    public async Task<SaveStudyResult> CreateAsync(ClaimsPrincipal user, StudyDetails details, string? leadEmail, CancellationToken ct)
    {
        var userId = StudyAccess.UserId(user);
        var leadId = userId;
        if (user.IsInRole(Roles.Admin))
        {
            var lead = string.IsNullOrWhiteSpace(leadEmail) ? null : await users.FindByEmailAsync(leadEmail.Trim());
            if (lead is null)
            {
                return new(SaveStudyOutcome.LeadNotFound);
            }
            leadId = lead.Id;
        }
        if (!await credentials.HoldsValidAsync(leadId, ct))
        {
            return new(leadId == userId ? SaveStudyOutcome.NoValidCredential : SaveStudyOutcome.LeadWithoutCredential);
        }
        if (!await CommunitiesExistAsync(details, ct))
        {
            return new(SaveStudyOutcome.UnknownCommunity);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var study = Study.Create(details, leadId, userId, clock.GetUtcNow().UtcDateTime);
        db.Studies.Add(study);
        await db.SaveChangesAsync(ct);
        audit.Record("study.created", "Study", study.Id.ToString(), userId, new { study.TitleZh, study.EthicsApprovalNumber, lead = leadId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(SaveStudyOutcome.Saved, study.Id);
    }

    public async Task<SaveStudyResult> EditAsync(ClaimsPrincipal user, int studyId, StudyDetails details, CancellationToken ct)
    {
        var study = await db.Studies.Include(s => s.Communities).SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null || !StudyAccess.Leads(user, study))
        {
            return new(SaveStudyOutcome.NotFound);
        }
        if (study.State != StudyState.Draft)
        {
            return new(SaveStudyOutcome.NotDraft, studyId);
        }
        if (!await CommunitiesExistAsync(details, ct))
        {
            return new(SaveStudyOutcome.UnknownCommunity, studyId);
        }
        study.Edit(details, clock.GetUtcNow().UtcDateTime);
        audit.Record("study.edited", "Study", study.Id.ToString(), StudyAccess.UserId(user));
        await db.SaveChangesAsync(ct);
        return new(SaveStudyOutcome.Saved, study.Id);
    }

    private async Task<bool> CommunitiesExistAsync(StudyDetails details, CancellationToken ct)
    {
        var ids = details.CommunityIds.Distinct().ToList();
        return ids.Count > 0 && await db.Communities.CountAsync(c => ids.Contains(c.Id), ct) == ids.Count;
    }
}
