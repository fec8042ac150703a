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
/// The numbers of a manager's dashboard for a set of communities, from trigger-maintained counters and index ranges;
/// no page view scans or groups the admissions, certificates or completions of the scope.
/// Certificates by status and the twelve-month chart sum monthly counters (a few hundred rows per street) and read
/// day counters only for the months that today, a renewal window's end or the year's end cut in two.
/// </summary>
public sealed class ManagerDashboard(AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock)
{
    private sealed record Bucket(string Track, DateOnly On, string Standing, int Count);

    public async Task<DashboardNumbers> ForAsync(IReadOnlyList<int> communities, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var s = settings.Value;

        var admissions = (await db.AdmissionStateCounts.AsNoTracking().Where(c => communities.Contains(c.CommunityId))
                .GroupBy(c => c.State).Select(g => new { g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(ct))
            .Where(x => Enum.TryParse<AdmissionState>(x.Key, out _))
            .ToDictionary(x => Enum.Parse<AdmissionState>(x.Key), x => x.Count);

        var today = DateOnly.FromDateTime(now);
        var yearAhead = DateOnly.FromDateTime(now.AddMonths(12));
        var windowEnds = Enum.GetValues<RoleTrack>().ToDictionary(t => t.ToString(), t => DateOnly.FromDateTime(now + s.For(t).RenewalWindow));
        var months = await db.CertificateExpiryMonths.AsNoTracking().Where(c => communities.Contains(c.CommunityId) && c.Count != 0)
            .GroupBy(c => new { c.Track, c.Month, c.Standing })
            .Select(g => new Bucket(g.Key.Track, g.Key.Month, g.Key.Standing, g.Sum(c => c.Count)))
            .ToListAsync(ct);
        var days = new Dictionary<DateOnly, List<Bucket>>();
        foreach (var month in windowEnds.Values.Append(today).Append(yearAhead).Select(FirstOfMonth).Distinct())
        {
            var next = month.AddMonths(1);
            days[month] = await db.CertificateExpiryCounts.AsNoTracking()
                .Where(c => communities.Contains(c.CommunityId) && c.ExpiresOn >= month && c.ExpiresOn < next && c.Count != 0)
                .GroupBy(c => new { c.Track, c.ExpiresOn, c.Standing })
                .Select(g => new Bucket(g.Key.Track, g.Key.ExpiresOn, g.Key.Standing, g.Sum(c => c.Count)))
                .ToListAsync(ct);
        }

        // Certificates of the chosen standings expiring in (after, upTo]; whole months from the monthly counters, the
        // months cut by either end from the day counters read above.
        int Count(Func<Bucket, bool> which, DateOnly? after, DateOnly? upTo)
        {
            var total = 0;
            foreach (var m in months.Where(which))
            {
                var last = m.On.AddMonths(1).AddDays(-1);
                if ((upTo is { } u1 && m.On > u1) || (after is { } a1 && last <= a1))
                {
                    continue;
                }
                if ((after is null || m.On > after) && (upTo is null || last <= upTo))
                {
                    total += m.Count;
                    continue;
                }
                if (!days.TryGetValue(m.On, out var cut))
                {
                    throw new InvalidOperationException($"The day counters of {m.On:yyyy-MM} were not read.");
                }
                total += cut.Where(d => d.Track == m.Track && d.Standing == m.Standing && (after is null || d.On > after) && (upTo is null || d.On <= upTo)).Sum(d => d.Count);
            }
            return total;
        }

        var certificates = new Dictionary<CertificateStatus, int>
        {
            [CertificateStatus.Revoked] = Count(b => b.Standing == "Revoked", null, null),
            [CertificateStatus.Suspended] = Count(b => b.Standing == "Suspended", null, null),
            [CertificateStatus.Expired] = Count(b => b.Standing == "Active", null, today),
            [CertificateStatus.Expiring] = windowEnds.Sum(w => Count(b => b.Standing == "Active" && b.Track == w.Key, today, w.Value)),
            [CertificateStatus.Valid] = windowEnds.Sum(w => Count(b => b.Standing == "Active" && b.Track == w.Key, w.Value, null)),
        };
        foreach (var zero in certificates.Where(c => c.Value == 0).Select(c => c.Key).ToList())
        {
            certificates.Remove(zero);
        }

        var chart = Enumerable.Range(0, 13).Select(i => FirstOfMonth(today).AddMonths(i))
            .Select(m => new MonthCount(m.Year, m.Month, Count(b => b.Standing != "Revoked",
                m.AddDays(-1) > today ? m.AddDays(-1) : today,
                m.AddMonths(1).AddDays(-1) < yearAhead ? m.AddMonths(1).AddDays(-1) : yearAhead)))
            .ToList();

        var english = Cultures.IsEnglish;
        var training = await db.TrainingPassCounts.AsNoTracking()
            .Where(c => communities.Contains(c.CommunityId) && c.Count > 0)
            .GroupBy(c => c.ModuleId)
            .Select(g => new { ModuleId = g.Key, Passed = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        var titles = await db.TrainingModules.AsNoTracking()
            .Select(m => new { m.Id, Title = db.ModuleVersions.Where(v => v.ModuleId == m.Id && v.Version == m.CurrentVersion).Select(v => english ? v.TitleEn : v.TitleZh).FirstOrDefault() })
            .ToDictionaryAsync(m => m.Id, m => m.Title ?? m.Id, ct);

        // The countersign queue starts from the scope's admissions awaiting a signature (an index range), then their
        // holder signatures (an index lookup each).
        var toCountersign = await db.Admissions
            .Where(a => communities.Contains(a.CommunityId) && a.State == AdmissionState.AwaitingSignature)
            .SelectMany(a => db.Signatures.Where(sig => sig.AdmissionId == a.Id && sig.Role == SignatureRole.Holder && sig.NeedsCountersignature
                && !db.Signatures.Any(c => c.ForSignatureId == sig.Id && c.Role == SignatureRole.Countersigner)))
            .CountAsync(ct);
        var soon = now.AddDays(30);
        var expiring = await db.Certificates.AsNoTracking()
            .Where(c => communities.Contains(c.CommunityId) && c.RevokedAt == null && c.SuspendedAt == null && c.ExpiresAt > now && c.ExpiresAt <= soon)
            .OrderBy(c => c.ExpiresAt).Take(20)
            .Select(c => new ExpiringItem(c.Number, c.User.FullName, english ? c.Community.NameEn : c.Community.NameZh, c.ExpiresAt))
            .ToListAsync(ct);

        return new DashboardNumbers(admissions, certificates, chart,
            training.Select(t => new ModuleCount(t.ModuleId, titles.GetValueOrDefault(t.ModuleId, t.ModuleId), t.Passed)).OrderBy(t => t.ModuleId).ToList(),
            admissions.GetValueOrDefault(AdmissionState.AwaitingApproval), toCountersign, expiring);
    }

    private static DateOnly FirstOfMonth(DateOnly d) => new(d.Year, d.Month, 1);
}
