using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Certificates;

public enum CertificateAction
{
    Suspend,
    Reinstate,
    Revoke,
}

/// <summary>
/// Suspends, reinstates or revokes a certificate with a reason, and keeps the admission in step:
/// Suspended, back to Active, or Withdrawn. The caller has checked the manager's community.
/// </summary>
public sealed class ChangeCertificateStatus(AppDbContext db, CertificateEmails emails, AuditLog audit, TimeProvider clock)
{
    public async Task<bool> RunAsync(Certificate certificate, CertificateAction action, string reason, string byUserId, CancellationToken ct)
    {
        if (!await ApplyAsync(certificate, action, reason, byUserId, clock.GetUtcNow().UtcDateTime, ct))
        {
            return false;
        }
        await db.SaveChangesAsync(ct);
        await emails.SendStatusChangeAsync(certificate, action, reason, ct);
        return true;
    }

    /// <summary>
    /// The change, the admission's step and the audit record, left unsaved and without the email: for a caller that
    /// owns the transaction (erasing a person's data revokes all their certificates in one).
    /// </summary>
    public async Task<bool> ApplyAsync(Certificate certificate, CertificateAction action, string reason, string byUserId, DateTime now, CancellationToken ct)
    {
        var admission = await db.Admissions.SingleAsync(a => a.Id == certificate.AdmissionId, ct);
        try
        {
            switch (action)
            {
                case CertificateAction.Suspend:
                    certificate.Suspend(reason, byUserId, now);
                    if (admission.State == AdmissionState.Active)
                    {
                        admission.MoveTo(AdmissionState.Suspended, byUserId, now, reason);
                    }
                    break;
                case CertificateAction.Reinstate:
                    certificate.Reinstate(reason, byUserId, now);
                    if (admission.State == AdmissionState.Suspended)
                    {
                        admission.MoveTo(now >= certificate.ExpiresAt ? AdmissionState.Lapsed : AdmissionState.Active, byUserId, now, reason);
                    }
                    break;
                default:
                    certificate.Revoke(reason, byUserId, now);
                    if (admission.State != AdmissionState.Withdrawn)
                    {
                        admission.MoveTo(AdmissionState.Withdrawn, byUserId, now, reason);
                    }
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        audit.Record($"certificate.{action.ToString().ToLowerInvariant()}", "Certificate", certificate.Number, byUserId, new { reason });
        return true;
    }
}

/// <summary>
/// Daily: admissions whose certificate has expired become Lapsed. The expired ones are found with one indexed
/// query and only they are loaded, to record the change in their history.
/// </summary>
public sealed class LapseExpiredAdmissions(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lapsed = await db.Admissions
            .Where(a => a.State == AdmissionState.Active && db.Certificates.Any(c => c.AdmissionId == a.Id && c.ExpiresAt <= now))
            .ToListAsync(ct);
        foreach (var admission in lapsed)
        {
            admission.MoveTo(AdmissionState.Lapsed, null, now, "certificate expired");
            audit.Record("admission.state", "Admission", admission.Id.ToString(), null, new { from = AdmissionState.Active, to = AdmissionState.Lapsed });
        }
        await db.SaveChangesAsync(ct);
        return lapsed.Count;
    }
}
