using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Manage;

public sealed record MonthCount(int Year, int Month, int Count);

public sealed record ModuleCount(string ModuleId, string Title, int Passed);

public sealed record ExpiringItem(string Number, string Holder, string Community, DateTime ExpiresAt);

public sealed record DashboardNumbers(
    IReadOnlyDictionary<AdmissionState, int> Admissions,
    IReadOnlyDictionary<CertificateStatus, int> Certificates,
    IReadOnlyList<MonthCount> ExpiriesByMonth,
    IReadOnlyList<ModuleCount> Training,
    int ToApprove,
    int ToCountersign,
    IReadOnlyList<ExpiringItem> Expiring30);

/// <summary>
/// The numbers of a manager's dashboard for a set of communities: counts from trigger-maintained counters, lists from
/// index ranges (community and state, community and expiry); no page view scans every admission or certificate.
/// </summary>
public sealed class ManagerDashboard(AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock)
{
    public async Task<DashboardNumbers> ForAsync(IReadOnlyList<int> communities, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var s = settings.Value;

        // Both figures come from counters that triggers keep (DashboardCounters): a few thousand rows per street
        // instead of every admission and certificate. Date-driven statuses are worked out here, to the day.
        var admissions = (await db.AdmissionStateCounts.AsNoTracking().Where(c => communities.Contains(c.CommunityId))
                .GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(ct))
            .Where(x => Enum.TryParse<AdmissionState>(x.Key, out _))
            .ToDictionary(x => Enum.Parse<AdmissionState>(x.Key), x => x.Count);

        var today = DateOnly.FromDateTime(now);
        var days = await db.CertificateExpiryCounts.AsNoTracking().Where(c => communities.Contains(c.CommunityId) && c.Count != 0)
            .GroupBy(c => new { c.Track, c.ExpiresOn, c.Standing })
            .Select(g => new { g.Key.Track, g.Key.ExpiresOn, g.Key.Standing, Count = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        var certificates = days
            .GroupBy(d => d.Standing switch
            {
                "Revoked" => CertificateStatus.Revoked,
                "Suspended" => CertificateStatus.Suspended,
                _ when d.ExpiresOn <= today => CertificateStatus.Expired,
                _ when d.ExpiresOn <= DateOnly.FromDateTime(now + s.For(Enum.Parse<RoleTrack>(d.Track)).RenewalWindow) => CertificateStatus.Expiring,
                _ => CertificateStatus.Valid,
            })
            .ToDictionary(g => g.Key, g => g.Sum(d => d.Count));

        var yearAhead = DateOnly.FromDateTime(now.AddMonths(12));
        var byMonth = days.Where(d => d.Standing != "Revoked" && d.ExpiresOn > today && d.ExpiresOn <= yearAhead)
            .GroupBy(d => (d.ExpiresOn.Year, d.ExpiresOn.Month))
            .Select(g => new MonthCount(g.Key.Year, g.Key.Month, g.Sum(d => d.Count)))
            .ToList();
        var months = Enumerable.Range(0, 13).Select(i => now.AddMonths(i))
            .Select(d => byMonth.FirstOrDefault(m => m.Year == d.Year && m.Month == d.Month) ?? new MonthCount(d.Year, d.Month, 0))
            .ToList();

        var english = Cultures.IsEnglish;
        var training = await db.ModuleCompletions.AsNoTracking()
            .Where(c => db.Admissions.Any(a => a.UserId == c.UserId && communities.Contains(a.CommunityId) && a.State != AdmissionState.Withdrawn))
            .GroupBy(c => c.ModuleId)
            .Select(g => new { ModuleId = g.Key, Passed = g.Select(c => c.UserId).Distinct().Count() })
            .ToListAsync(ct);
        var titles = await db.TrainingModules.AsNoTracking()
            .Select(m => new { m.Id, Title = db.ModuleVersions.Where(v => v.ModuleId == m.Id && v.Version == m.CurrentVersion).Select(v => english ? v.TitleEn : v.TitleZh).FirstOrDefault() })
            .ToDictionaryAsync(m => m.Id, m => m.Title ?? m.Id, ct);

        var toApprove = await db.Admissions.CountAsync(a => communities.Contains(a.CommunityId) && a.State == AdmissionState.AwaitingApproval, ct);
        var toCountersign = await db.Signatures.CountAsync(sig => sig.Role == SignatureRole.Holder && sig.NeedsCountersignature
            && !db.Signatures.Any(c => c.ForSignatureId == sig.Id && c.Role == SignatureRole.Countersigner)
            && db.Admissions.Any(a => a.Id == sig.AdmissionId && communities.Contains(a.CommunityId) && a.State == AdmissionState.AwaitingSignature), ct);
        var soon = now.AddDays(30);
        var expiring = await db.Certificates.AsNoTracking()
            .Where(c => communities.Contains(c.CommunityId) && c.RevokedAt == null && c.SuspendedAt == null && c.ExpiresAt > now && c.ExpiresAt <= soon)
            .OrderBy(c => c.ExpiresAt).Take(20)
            .Select(c => new ExpiringItem(c.Number, c.User.FullName, english ? c.Community.NameEn : c.Community.NameZh, c.ExpiresAt))
            .ToListAsync(ct);

        return new DashboardNumbers(admissions, certificates, months,
            training.Select(t => new ModuleCount(t.ModuleId, titles.GetValueOrDefault(t.ModuleId, t.ModuleId), t.Passed)).OrderBy(t => t.ModuleId).ToList(),
            toApprove, toCountersign, expiring);
    }
}
