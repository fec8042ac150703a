using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Agreements;

/// <summary>
/// Pauses every active admission whose agreement needed a new signature and whose grace period has ended:
/// the admission goes back to AwaitingSignature until the person signs again. The overdue admissions are found
/// by one query per agreement; only those are loaded, to record each state change in their history.
/// </summary>
public sealed class PauseOverdueAdmissions(AppDbContext db, AgreementStanding standing, TimeProvider clock, AuditLog audit)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var grace = AgreementRules.DefaultGrace;
        var paused = 0;
        foreach (var agreement in await db.Agreements.AsNoTracking().Where(a => !a.Template).ToListAsync(ct))
        {
            var required = AgreementRules.Required(await standing.VersionsAsync(agreement.Id, ct), now);
            if (required is null)
            {
                continue;
            }
            var minVersion = required.EffectiveAt + grace <= now ? required.Version : 0;
            var signedAfter = agreement.ReacceptanceMonths is { } months ? now.AddMonths(-months) - grace : DateTime.MinValue;
            var tracks = Enum.GetValues<RoleTrack>().Where(agreement.AppliesTo).ToList();
            var id = agreement.Id;

            var overdue = await db.Admissions
                .Where(a => a.State == AdmissionState.Active && tracks.Contains(a.Track))
                .Where(a => !db.Signatures.Any(s => s.AdmissionId == a.Id && s.Role == SignatureRole.Holder && s.AgreementId == id
                    && s.Version >= minVersion && s.SignedAt > signedAfter
                    && (!s.NeedsCountersignature || db.Signatures.Any(c => c.ForSignatureId == s.Id && c.Role == SignatureRole.Countersigner && !c.Declined))
                    && (!s.NeedsGuardian || db.Signatures.Any(g => g.ForSignatureId == s.Id && g.Role == SignatureRole.Guardian))))
                .ToListAsync(ct);
            foreach (var admission in overdue)
            {
                admission.MoveTo(AdmissionState.AwaitingSignature, null, now, "agreement re-signing overdue");
                audit.Record("admission.state", "Admission", admission.Id.ToString(), null,
                    new { from = AdmissionState.Active, to = AdmissionState.AwaitingSignature, reason = "agreement re-signing overdue" });
            }
            paused += overdue.Count;
        }
        await db.SaveChangesAsync(ct);
        return paused;
    }
}
