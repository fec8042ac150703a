using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Studies;

public enum DecisionOutcome
{
    Done,
    NotFound,
    AlreadyDecided,
    ReasonRequired,
    StudyClosed,
    NoValidCredential,
    TeamFull,
}

/// <summary>
/// The lead approves or declines a request. Approval needs the study still open, the researcher's credential still
/// valid and a free place on the team (approved and suspended members hold theirs); a decline needs a reason.
/// </summary>
public sealed class DecideEnrolment(AppDbContext db, CredentialStanding credentials, StudyEmails emails, AuditLog audit, TimeProvider clock)
{
    public async Task<DecisionOutcome> RunAsync(ClaimsPrincipal user, int studyId, int enrolmentId, bool approve, string? reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Decisions on one study's team are made one after the other, so two approvals cannot both take the last place.
        await using var transaction = await db.BeginWriteAsync(ct, WriteLock.Of(LockPurpose.StudyTeam, studyId));
        var enrolment = await db.Enrolments.Include(e => e.Study).SingleOrDefaultAsync(e => e.Id == enrolmentId && e.StudyId == studyId, ct);
        if (enrolment is null || !StudyAccess.Leads(user, enrolment.Study) || enrolment.Study.State == StudyState.Draft)
        {
            return DecisionOutcome.NotFound;
        }
        if (enrolment.State != EnrolmentState.Requested)
        {
            return DecisionOutcome.AlreadyDecided;
        }
        var byUserId = StudyAccess.UserId(user);
        if (approve)
        {
            var study = enrolment.Study;
            if (study.State != StudyState.Published || study.HasEnded(now))
            {
                return DecisionOutcome.StudyClosed;
            }
            if (!await credentials.HoldsValidAsync(enrolment.UserId, ct))
            {
                return DecisionOutcome.NoValidCredential;
            }
            var team = await db.Enrolments.CountAsync(e => e.StudyId == studyId && (e.State == EnrolmentState.Approved || e.State == EnrolmentState.Suspended), ct);
            if (team >= study.MaxTeamSize)
            {
                return DecisionOutcome.TeamFull;
            }
            enrolment.Approve(byUserId, now);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(reason))
            {
                return DecisionOutcome.ReasonRequired;
            }
            enrolment.Decline(reason, byUserId, now);
        }
        audit.Record(approve ? "enrolment.approved" : "enrolment.declined", "Enrolment", enrolment.Id.ToString(), byUserId, new { study = studyId, reason });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await emails.SendAsync(approve ? StudyEmail.Approved : StudyEmail.Declined, enrolment.UserId, enrolment.Study, null, reason?.Trim(), ct);
        return DecisionOutcome.Done;
    }
}

/// <summary>A member leaves, or the lead takes someone off the team (with a reason): the enrolment ends.</summary>
public sealed class EndEnrolment(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<DecisionOutcome> RunAsync(ClaimsPrincipal user, int studyId, int enrolmentId, string? reason, CancellationToken ct)
    {
        var enrolment = await db.Enrolments.Include(e => e.Study).SingleOrDefaultAsync(e => e.Id == enrolmentId && e.StudyId == studyId, ct);
        var byUserId = StudyAccess.UserId(user);
        var own = enrolment?.UserId == byUserId;
        if (enrolment is null || !(own || StudyAccess.Leads(user, enrolment.Study)))
        {
            return DecisionOutcome.NotFound;
        }
        if (!Enrolment.Open.Contains(enrolment.State))
        {
            return DecisionOutcome.AlreadyDecided;
        }
        if (!own && string.IsNullOrWhiteSpace(reason))
        {
            return DecisionOutcome.ReasonRequired;
        }
        enrolment.End(string.IsNullOrWhiteSpace(reason) ? "left the study" : reason, byUserId, clock.GetUtcNow().UtcDateTime);
        audit.Record("enrolment.ended", "Enrolment", enrolment.Id.ToString(), byUserId, new { study = studyId, reason, own });
        await db.SaveChangesAsync(ct);
        return DecisionOutcome.Done;
    }
}
