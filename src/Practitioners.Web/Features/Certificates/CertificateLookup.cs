using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Certificates;

public sealed record CertificateHistoryItem(CertificateEventKind Kind, DateTime At, DateTime ExpiresAt);

/// <summary>Exactly what a verifier may learn: name, credential, community, dates, status and history.</summary>
public sealed record VerifiedCertificate(
    string Number, string HolderName, RoleTrack Track, string CommunityZh, string CommunityEn, string StreetZh, string StreetEn,
    DateTime IssuedAt, DateTime ExpiresAt, CertificateStatus Status, IReadOnlyList<CertificateHistoryItem> History, bool HolderRemoved = false)
{
    /// <summary>The holder's name, or nothing when their personal data was erased: then verifiers see "holder record removed".</summary>
    public string? DisplayedHolderName => HolderRemoved ? null : HolderName;
}

/// <summary>
/// The one lookup behind the public verification page and the API: no tracking, compiled queries, two round trips.
/// </summary>
public sealed class CertificateLookup(AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock)
{
    private sealed record Row(int Id, string Number, string HolderName, RoleTrack Track, string CommunityZh, string CommunityEn,
        string StreetZh, string StreetEn, DateTime IssuedAt, DateTime ExpiresAt, DateTime? SuspendedAt, DateTime? RevokedAt, DateTime? HolderRemovedAt);

    private static readonly Func<AppDbContext, string, Task<Row?>> ByCode = EF.CompileAsyncQuery((AppDbContext db, string code) =>
        db.Certificates.AsNoTracking().Where(c => c.VerificationCode == code)
            .Select(c => new Row(c.Id, c.Number, c.User.FullName, c.Track, c.Community.NameZh, c.Community.NameEn,
                c.Community.Street.NameZh, c.Community.Street.NameEn, c.IssuedAt, c.ExpiresAt, c.SuspendedAt, c.RevokedAt,
                c.User.PersonalDataRemovedAt))
            .FirstOrDefault());

    private static readonly Func<AppDbContext, string, Task<Row?>> ByNumber = EF.CompileAsyncQuery((AppDbContext db, string number) =>
        db.Certificates.AsNoTracking().Where(c => c.Number == number)
            .Select(c => new Row(c.Id, c.Number, c.User.FullName, c.Track, c.Community.NameZh, c.Community.NameEn,
                c.Community.Street.NameZh, c.Community.Street.NameEn, c.IssuedAt, c.ExpiresAt, c.SuspendedAt, c.RevokedAt,
                c.User.PersonalDataRemovedAt))
            .FirstOrDefault());

    private static readonly Func<AppDbContext, int, IAsyncEnumerable<CertificateHistoryItem>> History = EF.CompileAsyncQuery((AppDbContext db, int id) =>
        db.CertificateEvents.AsNoTracking().Where(e => e.CertificateId == id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new CertificateHistoryItem(e.Kind, e.At, e.ExpiresAt)));

    public async Task<VerifiedCertificate?> ByCodeAsync(string? code)
    {
        var normalised = CertificateCodes.Normalise(code);
        return normalised is null ? null : await CompleteAsync(await ByCode(db, normalised));
    }

    public async Task<VerifiedCertificate?> ByNumberAsync(string? number) =>
        CertificateCodes.IsNumber(number) ? await CompleteAsync(await ByNumber(db, number!)) : null;

    /// <summary>The code of the certificate with this number, only when the holder's name matches too.</summary>
    public async Task<string?> CodeForAsync(string number, string holderName)
    {
        // An erased holder's name (the fixed marker) finds nothing.
        var row = await db.Certificates.AsNoTracking().Where(c => c.Number == number && c.User.PersonalDataRemovedAt == null)
            .Select(c => new { c.VerificationCode, c.User.FullName }).FirstOrDefaultAsync();
        return row is not null && Agreements.AgreementRules.NamesMatch(holderName, row.FullName) ? row.VerificationCode : null;
    }

    private async Task<VerifiedCertificate?> CompleteAsync(Row? row)
    {
        if (row is null)
        {
            return null;
        }
        var history = new List<CertificateHistoryItem>();
        await foreach (var item in History(db, row.Id))
        {
            history.Add(item);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // Erasure revokes every certificate in the same transaction; should one ever be missed, it is still never valid.
        var status = Certificate.Status(row.ExpiresAt, row.SuspendedAt, row.RevokedAt ?? row.HolderRemovedAt, now,
            settings.Value.For(row.Track).RenewalWindow);
        return new VerifiedCertificate(row.Number, row.HolderName, row.Track, row.CommunityZh, row.CommunityEn, row.StreetZh, row.StreetEn,
            row.IssuedAt, row.ExpiresAt, status, history, row.HolderRemovedAt is not null);
    }
}
