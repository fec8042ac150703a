using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Manage;

public sealed class RosterFilter
{
    public int? Community { get; set; }
    public int? Street { get; set; }
    public RoleTrack? Role { get; set; }
    public AdmissionState? Status { get; set; }
    public string? Module { get; set; }
    public int? ExpiringDays { get; set; }
    public string? Q { get; set; }
    public int Page { get; set; } = 1;
}

public sealed record RosterRow(int AdmissionId, string UserId, string Name, string? Phone, string Email, RoleTrack Track, string Community,
    AdmissionState State, string? Number, DateTime? ExpiresAt, CertificateStatus? CertificateStatus);

public sealed record RosterPage(IReadOnlyList<RosterRow> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>The roster query: admissions of the scope's communities, filtered and paged in the database.</summary>
public sealed class Roster(AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock)
{
    public const int PageSize = 25;

    /// <summary>Every row of the roster, in order (name, person, admission): the export reads this.</summary>
    public IQueryable<RosterRow> Query(IReadOnlyList<int> communities, RosterFilter f) =>
        Rows(InOrder(Matching(communities, f)));

    private static IQueryable<Admission> InOrder(IQueryable<Admission> q) => q.OrderBy(a => a.User.FullName).ThenBy(a => a.UserId).ThenBy(a => a.Id);

    /// <summary>The scope's admissions that pass the filter.</summary>
    private IQueryable<Admission> Matching(IReadOnlyList<int> communities, RosterFilter f)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var q = db.Admissions.AsNoTracking().Where(a => communities.Contains(a.CommunityId));
        if (f.Role is { } role)
        {
            q = q.Where(a => a.Track == role);
        }
        if (f.Status is { } status)
        {
            q = q.Where(a => a.State == status);
        }
        if (!string.IsNullOrWhiteSpace(f.Module))
        {
            q = q.Where(a => !db.ModuleCompletions.Any(c => c.UserId == a.UserId && c.ModuleId == f.Module));
        }
        if (f.ExpiringDays is { } days and > 0)
        {
            var until = now.AddDays(days);
            q = q.Where(a => db.Certificates.Any(c => c.AdmissionId == a.Id && c.RevokedAt == null && c.ExpiresAt > now && c.ExpiresAt <= until));
        }
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var term = f.Q.Trim();
            var number = term.ToUpperInvariant();
            q = q.Where(a => a.User.FullName.Contains(term) || a.User.PhoneNumber == term || a.User.Email == term
                || db.Certificates.Any(c => c.AdmissionId == a.Id && c.Number == number));
        }
        return q;
    }

    private IQueryable<RosterRow> Rows(IQueryable<Admission> q)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var english = Cultures.IsEnglish;
        var expiringV = now + settings.Value.V.RenewalWindow;
        var expiringP = now + settings.Value.P.RenewalWindow;
        var expiringR = now + settings.Value.R.RenewalWindow;
        return q.Select(a => new
            {
                a,
                Certificate = db.Certificates.Where(c => c.AdmissionId == a.Id)
                    .Select(c => new { c.Number, c.ExpiresAt, c.SuspendedAt, c.RevokedAt }).FirstOrDefault(),
            })
            .Select(x => new RosterRow(x.a.Id, x.a.UserId, x.a.User.FullName, x.a.User.PhoneNumber, x.a.User.Email!, x.a.Track,
                english ? x.a.Community.NameEn : x.a.Community.NameZh, x.a.State,
                x.Certificate == null ? null : x.Certificate.Number,
                x.Certificate == null ? null : x.Certificate.ExpiresAt,
                x.Certificate == null ? null
                    : x.Certificate.RevokedAt != null ? CertificateStatus.Revoked
                    : x.Certificate.SuspendedAt != null ? CertificateStatus.Suspended
                    : x.Certificate.ExpiresAt <= now ? CertificateStatus.Expired
                    : x.Certificate.ExpiresAt <= (x.a.Track == RoleTrack.Volunteer ? expiringV : x.a.Track == RoleTrack.ServiceProvider ? expiringP : expiringR)
                        ? CertificateStatus.Expiring
                    : CertificateStatus.Valid));
    }

    /// <summary>
    /// One page in (name, person, admission) order. The people come first, read in name order from the name index and
    /// kept when they have a matching admission, so the first page reads a few dozen people however large the street;
    /// then their admissions. The total comes from the state counters when the filter allows, otherwise from a count.
    /// </summary>
    public async Task<RosterPage> PageAsync(IReadOnlyList<int> communities, RosterFilter filter, CancellationToken ct)
    {
        var matching = Matching(communities, filter);
        var total = await TotalAsync(communities, filter, matching, ct);
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var people = await db.Users.AsNoTracking().Where(u => matching.Any(a => a.UserId == u.Id))
            .OrderBy(u => u.FullName).ThenBy(u => u.Id).Take(page * PageSize).Select(u => u.Id).ToListAsync(ct);
        var rows = await Rows(InOrder(matching.Where(a => people.Contains(a.UserId))))
            .Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return new RosterPage(rows, total, page, PageSize);
    }

    private async Task<int> TotalAsync(IReadOnlyList<int> communities, RosterFilter f, IQueryable<Admission> matching, CancellationToken ct)
    {
        if (f.Role is null && string.IsNullOrWhiteSpace(f.Module) && f.ExpiringDays is not > 0 && string.IsNullOrWhiteSpace(f.Q))
        {
            var state = f.Status?.ToString();
            return await db.AdmissionStateCounts.AsNoTracking()
                .Where(c => communities.Contains(c.CommunityId) && (state == null || c.State == state))
                .SumAsync(c => c.Count, ct);
        }
        return await matching.CountAsync(ct);
    }
}
