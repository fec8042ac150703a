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

    public IQueryable<RosterRow> Query(IReadOnlyList<int> communities, RosterFilter f)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var english = Cultures.IsEnglish;
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
        var expiringV = now + settings.Value.V.RenewalWindow;
        var expiringP = now + settings.Value.P.RenewalWindow;
        var expiringR = now + settings.Value.R.RenewalWindow;
        return q.Select(a => new
            {
                a,
                Certificate = db.Certificates.Where(c => c.AdmissionId == a.Id)
                    .Select(c => new { c.Number, c.ExpiresAt, c.SuspendedAt, c.RevokedAt }).FirstOrDefault(),
            })
            .OrderBy(x => x.a.User.FullName).ThenBy(x => x.a.Id)
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

    public async Task<RosterPage> PageAsync(IReadOnlyList<int> communities, RosterFilter filter, CancellationToken ct)
    {
        var query = Query(communities, filter);
        var total = await query.CountAsync(ct);
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await query.Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return new RosterPage(rows, total, page, PageSize);
    }
}
