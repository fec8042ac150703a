using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// Issues a service-hours certificate for a period: the approved hours of those days, fixed at issue. Asking again for
/// the same period with the same approved records returns the certificate already issued, not a second one.
/// </summary>
public sealed class IssueHoursCertificate(AppDbContext db, ServiceRecord record, TimeProvider clock, AuditLog audit)
{
    public async Task<HoursCertificate?> RunAsync(string userId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var lines = await record.LinesAsync(userId, from, to, ct);
        if (lines.Count == 0)
        {
            return null;
        }
        var ids = string.Join(',', lines.Select(l => l.Id).Order());
        var now = clock.GetUtcNow().UtcDateTime;
        var prefix = $"SH-{now.Year}-";
        // The number and the "already issued" check are read under the year's lock: concurrent asks take consecutive
        // numbers, and the same ask twice at once returns one certificate.
        await using var transaction = await db.BeginWriteAsync(ct, WriteLock.Of(LockPurpose.HoursCertificateNumber, prefix));
        var existing = await db.HoursCertificates.AsNoTracking()
            .FirstOrDefaultAsync(c => c.UserId == userId && c.From == from && c.To == to && c.RecordIds == ids, ct);
        if (existing is not null)
        {
            return existing;
        }
        var last = await db.HoursCertificates.Where(c => c.Number.StartsWith(prefix)).OrderByDescending(c => c.Number)
            .Select(c => c.Number).FirstOrDefaultAsync(ct);
        var sequence = last is null ? 1 : int.Parse(last[prefix.Length..], CultureInfo.InvariantCulture) + 1;
        var communities = lines.Select(l => (l.CommunityId, l.CommunityZh, l.CommunityEn, l.StreetZh, l.StreetEn)).Distinct().ToList();
        var certificate = new HoursCertificate
        {
            Number = prefix + sequence.ToString("D6", CultureInfo.InvariantCulture),
            VerificationCode = CertificateCodes.NewVerificationCode(),
            UserId = userId,
            From = from,
            To = to,
            TotalMinutes = lines.Sum(l => l.Minutes),
            RecordCount = lines.Count,
            ActivityCount = lines.Where(l => l.ActivityId is not null).Select(l => l.ActivityId).Distinct().Count(),
            CommunitiesZh = string.Join("、", communities.Select(c => c.CommunityZh)),
            CommunitiesEn = string.Join(", ", communities.Select(c => c.CommunityEn)),
            StreetsZh = string.Join("、", communities.Select(c => c.StreetZh).Distinct()),
            StreetsEn = string.Join(", ", communities.Select(c => c.StreetEn).Distinct()),
            RecordIds = ids,
            IssuedAt = now,
        };
        db.HoursCertificates.Add(certificate);
        audit.Record("hours.certificate.issued", "HoursCertificate", certificate.Number, userId,
            new { from, to, certificate.TotalMinutes, certificate.RecordCount });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return certificate;
    }

    /// <summary>The records a certificate counted, as issued (a later adjustment does not change an issued document).</summary>
    public Task<List<ServiceLine>> LinesOfAsync(HoursCertificate certificate, CancellationToken ct)
    {
        var ids = certificate.RecordIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => long.Parse(i, CultureInfo.InvariantCulture)).ToList();
        return record.Lines(db.HoursRecords.AsNoTracking().Where(h => ids.Contains(h.Id)), null, null).ToListAsync(ct);
    }
}
