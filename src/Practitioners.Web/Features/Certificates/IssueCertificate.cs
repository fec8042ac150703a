using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Certificates;

/// <summary>
/// Issues the certificate of an admission that has met every requirement, inside the caller's transaction.
/// The unique index on the admission makes a second, concurrent issue fail instead of creating a duplicate. The next
/// number is read under the prefix's write lock (a no-op on SQLite, whose write transactions are serialised already), so
/// concurrent issues on PostgreSQL take consecutive numbers instead of one failing on the unique number. The lock is
/// always the last one a transaction takes: nothing waits for another lock while holding it.
/// </summary>
public sealed class IssueCertificate(AppDbContext db, IOptions<CredentialSettings> settings, AuditLog audit, TimeProvider clock)
{
    public async Task<Certificate?> RunAsync(Admission admission, string? byUserId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var letter = admission.Track.CredentialLetter();
        var prefix = $"CFC-{letter}-{now.Year}-";
        await db.LockAsync(ct, WriteLock.Of(LockPurpose.CertificateNumber, prefix));
        if (await db.Certificates.AnyAsync(c => c.AdmissionId == admission.Id, ct)
            || db.Certificates.Local.Any(c => c.AdmissionId == admission.Id))
        {
            return null;
        }
        var last = await db.Certificates.Where(c => c.Number.StartsWith(prefix)).MaxAsync(c => (string?)c.Number, ct);
        var pending = db.Certificates.Local.Where(c => c.Number.StartsWith(prefix, StringComparison.Ordinal)).Select(c => c.Number).Max();
        var sequence = new[] { last, pending }.Where(n => n is not null).Select(n => int.Parse(n![^6..])).DefaultIfEmpty(0).Max() + 1;
        var certificate = Certificate.Issue(CertificateCodes.Number(letter, now.Year, sequence), CertificateCodes.NewVerificationCode(),
            admission, now, now.AddMonths(settings.Value.For(admission.Track).ValidityMonths), byUserId);
        db.Certificates.Add(certificate);
        audit.Record("certificate.issued", "Certificate", certificate.Number, byUserId, new { admission = admission.Id });
        return certificate;
    }
}
