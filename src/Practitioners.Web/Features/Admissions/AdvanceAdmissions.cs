using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Training;

namespace Practitioners.Web.Features.Admissions;

/// <summary>
/// Moves a person's admissions forward when their training changes: Applied → InTraining on the first
/// activity, → AwaitingSignature once the initial path is complete. Adds to the caller's unit of work.
/// </summary>
public sealed class AdvanceAdmissions(AppDbContext db, TimeProvider clock, AuditLog audit)
{
    public async Task RunAsync(string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var admissions = await db.Admissions
            .Where(a => a.UserId == userId && (a.State == AdmissionState.Applied || a.State == AdmissionState.InTraining))
            .ToListAsync(ct);
        foreach (var admission in admissions)
        {
            var complete = await db.InitialPathCompleteAsync(userId, admission.Track.CredentialLetter(), ct);
            var next = complete ? AdmissionState.AwaitingSignature : AdmissionState.InTraining;
            if (next != admission.State)
            {
                var from = admission.State;
                admission.MoveTo(next, userId, now, complete ? "learning path complete" : "training started");
                audit.Record("admission.state", "Admission", admission.Id.ToString(), userId, new { from, to = next });
            }
        }
    }
}
