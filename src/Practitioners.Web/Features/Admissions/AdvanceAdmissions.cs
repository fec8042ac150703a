using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Training;

namespace Practitioners.Web.Features.Admissions;

/// <summary>
/// Moves a person's admissions forward as their requirements are met: Applied → InTraining on the first activity,
/// → AwaitingSignature once the initial path is complete, → AwaitingApproval (when the community asks for it and
/// nobody has approved yet) or Active once the agreement is fully signed; becoming Active issues the certificate.
/// A refresher path completed inside the renewal window renews the certificate. Adds to the caller's unit of work.
/// </summary>
public sealed class AdvanceAdmissions(
    AppDbContext db,
    AgreementStanding agreements,
    IssueCertificate issue,
    IOptions<CredentialSettings> credentials,
    TimeProvider clock,
    AuditLog audit)
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
                var letter = admission.Track.CredentialLetter();
                next = await db.InitialPathCompleteAsync(userId, letter, ct) ? AdmissionState.AwaitingSignature
                    : await db.TrainingStartedAsync(userId, letter, ct) ? AdmissionState.InTraining
                    : next;
            }
            if (next == AdmissionState.AwaitingSignature
                && await agreements.ForAdmissionAsync(admission.Id, admission.Track, ct) is { Complete: true })
            {
                var approved = await db.AdmissionStateChanges.AnyAsync(h => h.AdmissionId == admission.Id && h.To == AdmissionState.Active, ct);
                next = admission.Community.RequiresApproval && !approved ? AdmissionState.AwaitingApproval : AdmissionState.Active;
            }
            await MoveAsync(admission, next, userId, now, null, ct);
        }
        await RenewAsync(userId, now, ct);
    }

    /// <summary>A manager's decision on an applicant awaiting approval: Active (and certified), or Withdrawn with the reason.</summary>
    public async Task DecideAsync(Admission admission, bool approve, string managerId, string? reason, CancellationToken ct)
    {
        if (admission.State != AdmissionState.AwaitingApproval)
        {
            throw new InvalidOperationException("Only an admission awaiting approval can be approved or rejected.");
        }
        await MoveAsync(admission, approve ? AdmissionState.Active : AdmissionState.Withdrawn, managerId, clock.GetUtcNow().UtcDateTime, reason, ct);
    }

    private async Task RenewAsync(string userId, DateTime now, CancellationToken ct)
    {
        var certificates = await db.Certificates
            .Where(c => c.UserId == userId && c.RevokedAt == null && c.SuspendedAt == null)
            .ToListAsync(ct);
        foreach (var certificate in certificates)
        {
            var type = credentials.Value.For(certificate.Track);
            var windowOpens = certificate.ExpiresAt - type.RenewalWindow;
            if (now < windowOpens || now > certificate.ExpiresAt + type.Grace)
            {
                continue;
            }
            var letter = certificate.Track.CredentialLetter().ToString();
            var refresher = db.LearningPathEntries.Where(p => p.CredentialType == letter && p.Kind == PathKind.Refresher).Select(p => p.ModuleId);
            var done = await refresher.AnyAsync(ct)
                && !await refresher.AnyAsync(m => !db.ModuleCompletions.Any(c => c.UserId == userId && c.ModuleId == m && c.CompletedAt >= windowOpens), ct);
            if (!done || await agreements.ForAdmissionAsync(certificate.AdmissionId, certificate.Track, ct) is not { Complete: true })
            {
                continue;
            }
            certificate.Renew(now, type.ValidityMonths, userId);
            audit.Record("certificate.renewed", "Certificate", certificate.Number, userId, new { certificate.ExpiresAt });
            var admission = await db.Admissions.Include(a => a.Community).SingleAsync(a => a.Id == certificate.AdmissionId, ct);
            if (admission.State == AdmissionState.Lapsed)
            {
                await MoveAsync(admission, AdmissionState.Active, userId, now, "certificate renewed", ct);
            }
        }
    }

    private async Task MoveAsync(Admission admission, AdmissionState next, string byUserId, DateTime now, string? reason, CancellationToken ct)
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
        if (next == AdmissionState.Active)
        {
            await issue.RunAsync(admission, byUserId, ct);
        }
    }
}
