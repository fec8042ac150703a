using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.Web.Features.Studies;

/// <summary>A person's researcher credential as a study sees it: the best of their R certificates.</summary>
public sealed record ResearcherCredential(string Number, DateTime ExpiresAt, CertificateStatus Status)
{
    public bool IsValid => Status is CertificateStatus.Valid or CertificateStatus.Expiring;
}

/// <summary>
/// "Holds a valid R credential": <see cref="CredentialGate.ValidOf"/> for researchers (not revoked, not suspended, not expired),
/// i.e. status Valid or Expiring; the same rule as every other credential gate, so the studies and hours gates agree.
/// </summary>
public static class ResearcherCredentials
{
    public static IQueryable<Certificate> ValidResearcher(this IQueryable<Certificate> certificates, DateTime now) =>
        certificates.ValidOf(RoleTrack.Researcher, now);
}

/// <summary>Looks up people's researcher credentials for pages and gates.</summary>
public sealed class CredentialStanding(AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock)
{
    public Task<bool> HoldsValidAsync(string userId, CancellationToken ct) =>
        db.Certificates.ValidResearcher(clock.GetUtcNow().UtcDateTime).AnyAsync(c => c.UserId == userId, ct);

    public async Task<ResearcherCredential?> ForAsync(string userId, CancellationToken ct) =>
        (await ForAsync([userId], ct)).GetValueOrDefault(userId);

    /// <summary>
    /// For each person: their valid R certificate that runs longest; without one, the most recent of the others,
    /// so a page can say why (expired, suspended, revoked).
    /// </summary>
    public async Task<Dictionary<string, ResearcherCredential>> ForAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var window = settings.Value.R.RenewalWindow;
        var rows = await db.Certificates.AsNoTracking()
            .Where(c => c.Track == RoleTrack.Researcher && userIds.Contains(c.UserId))
            .Select(c => new { c.UserId, c.Number, c.ExpiresAt, c.SuspendedAt, c.RevokedAt })
            .ToListAsync(ct);
        return rows
            .Select(c => (c.UserId, Credential: new ResearcherCredential(c.Number, c.ExpiresAt,
                Certificate.Status(c.ExpiresAt, c.SuspendedAt, c.RevokedAt, now, window))))
            .GroupBy(c => c.UserId)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Credential)
                .OrderByDescending(c => c.IsValid).ThenByDescending(c => c.ExpiresAt).First());
    }
}
