using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Training;

namespace Practitioners.Web.Features.Admissions;

/// <summary>
/// Moves a person's admissions forward as their requirements are met: Applied → InTraining on the first activity,
/// → AwaitingSignature once the initial path is complete, → AwaitingApproval (when the community asks for it and
/// nobody has approved yet) or Active once the agreement is fully signed. Adds to the caller's unit of work.
/// </summary>
public sealed class AdvanceAdmissions(AppDbContext db, AgreementStanding agreements, TimeProvider clock, AuditLog audit)
{
    public async Task RunAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var admissions = await db.Admissions.Include(a => a.Community)
            .Where(a => a.UserId == userId && (a.State == AdmissionState.Applied || a.State == AdmissionState.InTraining
                || a.State == AdmissionState.AwaitingSignature))
            .ToListAsync(ct);
        foreach (var admission in admissions)
        {
            var next = admission.State;
            if (next is AdmissionState.Applied or AdmissionState.InTraining)
            {
                next = await db.InitialPathCompleteAsync(userId, admission.Track.CredentialLetter(), ct)
                    ? AdmissionState.AwaitingSignature
                    : AdmissionState.InTraining;
            }
            if (next == AdmissionState.AwaitingSignature
                && await agreements.ForAdmissionAsync(admission.Id, admission.Track, ct) is { Complete: true })
            {
                var approved = await db.AdmissionStateChanges.AnyAsync(h => h.AdmissionId == admission.Id && h.To == AdmissionState.Active, ct);
                next = admission.Community.RequiresApproval && !approved ? AdmissionState.AwaitingApproval : AdmissionState.Active;
            }
            Move(admission, next, userId, now);
        }
    }

    /// <summary>A manager's decision on an applicant awaiting approval: Active, or Withdrawn with the reason.</summary>
    public void Decide(Admission admission, bool approve, string managerId, string? reason)
    {
        if (admission.State != AdmissionState.AwaitingApproval)
        {
            throw new InvalidOperationException("Only an admission awaiting approval can be approved or rejected.");
        }
        Move(admission, approve ? AdmissionState.Active : AdmissionState.Withdrawn, managerId, clock.GetUtcNow().UtcDateTime, reason);
    }

    private void Move(Admission admission, AdmissionState next, string byUserId, DateTime now, string? reason = null)
    {
        if (next == admission.State)
        {
            return;
        }
        var from = admission.State;
        admission.MoveTo(next, byUserId, now, reason ?? next switch
        {
            AdmissionState.InTraining => "training started",
            AdmissionState.AwaitingSignature => "learning path complete",
            AdmissionState.AwaitingApproval => "agreement signed",
            AdmissionState.Active => from == AdmissionState.AwaitingApproval ? "approved" : "agreement signed",
            _ => null,
        });
        audit.Record("admission.state", "Admission", admission.Id.ToString(), byUserId, new { from, to = next, reason });
    }
}
