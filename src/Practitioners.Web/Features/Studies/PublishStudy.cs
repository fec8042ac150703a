using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Studies;

public enum PublishOutcome
{
    Published,
    NotFound,
    NotDraft,
    Ended,
    NoValidCredential,
    NoTemplate,
}

/// <summary>
/// Publishes a draft: writes its data-use agreement from the template (fixed from now on, in an append-only row),
/// and asks the managers of its communities for consent. The lead needs a valid R credential to publish too.
/// </summary>
public sealed class PublishStudy(AppDbContext db, StudyAgreementText text, CredentialStanding credentials, AuditLog audit, TimeProvider clock)
{
    public async Task<PublishOutcome> RunAsync(ClaimsPrincipal user, int studyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var study = await db.Studies.Include(s => s.Communities).SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null || !StudyAccess.Leads(user, study))
        {
            return PublishOutcome.NotFound;
        }
        if (study.State != StudyState.Draft)
        {
            return PublishOutcome.NotDraft;
        }
        if (study.HasEnded(now))
        {
            return PublishOutcome.Ended;
        }
        if (!user.IsInRole(Roles.Admin) && !await credentials.HoldsValidAsync(study.LeadUserId, ct))
        {
            return PublishOutcome.NoValidCredential;
        }
        if (await text.WriteAsync(study, now, ct) is not { } agreement)
        {
            return PublishOutcome.NoTemplate;
        }
        study.Publish(agreement, now);
        audit.Record("study.published", "Study", study.Id.ToString(), StudyAccess.UserId(user),
            new { agreement.TemplateId, agreement.TemplateVersion, hashZh = Agreements.AgreementRules.Hash(agreement.TextZh), hashEn = Agreements.AgreementRules.Hash(agreement.TextEn) });
        await db.SaveChangesAsync(ct);
        return PublishOutcome.Published;
    }
}

/// <summary>The lead or an admin stops a study: every open enrolment ends with it, at once.</summary>
public sealed class WithdrawStudy(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<bool> RunAsync(ClaimsPrincipal user, int studyId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var study = await db.Studies.Include(s => s.Communities).SingleOrDefaultAsync(s => s.Id == studyId, ct);
        if (study is null || !StudyAccess.Leads(user, study) || study.State == StudyState.Withdrawn || string.IsNullOrWhiteSpace(reason))
        {
            return false;
        }
        var byUserId = StudyAccess.UserId(user);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        study.Withdraw(reason, now);
        var open = await db.Enrolments.Where(e => e.StudyId == studyId && Enrolment.Open.Contains(e.State)).ToListAsync(ct);
        foreach (var enrolment in open)
        {
            enrolment.End("study withdrawn", byUserId, now);
        }
        audit.Record("study.withdrawn", "Study", study.Id.ToString(), byUserId, new { reason, ended = open.Count });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
