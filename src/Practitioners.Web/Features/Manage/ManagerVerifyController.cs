using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Csv;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Manage;

/// <summary>
/// Verification for managers: the same truth as the public page, plus a link to the person's record when they
/// belong to one of the manager's communities; and bulk verification of a CSV of certificate numbers.
/// </summary>
[Authorize(Roles = Roles.CommunityManager + "," + Roles.Admin)]
[Route("manage/verify")]
public sealed class ManagerVerifyController(
    AppDbContext db,
    ManagerScope scopes,
    CertificateLookup lookup,
    IOptions<CredentialSettings> settings,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    public const int MaxUploadBytes = 1024 * 1024;
    public const int MaxRows = 5000;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? number, string? code, CancellationToken ct)
    {
        VerifiedCertificate? found = null;
        string? personLink = null;
        var searched = !string.IsNullOrWhiteSpace(number) || !string.IsNullOrWhiteSpace(code);
        if (searched)
        {
            found = !string.IsNullOrWhiteSpace(code) ? await lookup.ByCodeAsync(code) : await lookup.ByNumberAsync(number!.Trim().ToUpperInvariant());
            await HttpContext.RecordVerificationAsync(VerificationKind.Manager, code ?? number, found);
            if (found is not null)
            {
                var scope = await scopes.ResolveAsync(User, null, null, ct);
                var mine = scope!.Selected;
                var holder = await db.Certificates.AsNoTracking().Where(c => c.Number == found.Number && mine.Contains(c.CommunityId))
                    .Select(c => c.UserId).FirstOrDefaultAsync(ct);
                personLink = holder is null ? null : $"/manage/people/{holder}";
            }
        }
        return View("Verify", new ManagerVerifyViewModel(number, searched, found, personLink));
    }

    [HttpGet("bulk")]
    public IActionResult Bulk() => View("BulkVerify", new BulkVerifyViewModel(null, [], []));

    /// <summary>Checks every row; bad rows are listed with their line numbers. format=csv downloads the results instead.</summary>
    [HttpPost("bulk")]
    [RequestSizeLimit(MaxUploadBytes + 64 * 1024)]
    public async Task<IActionResult> Bulk(IFormFile? file, string? format, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return View("BulkVerify", new BulkVerifyViewModel(l["Csv.NoFile"], [], []));
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var read = CsvReader.Read(buffer.ToArray(), MaxUploadBytes, MaxRows);
        if (read.Problem is { } problem)
        {
            return View("BulkVerify", new BulkVerifyViewModel(l[$"Csv.{problem}", read.ProblemLine, MaxRows, MaxUploadBytes / 1024], [], []));
        }
        var (wanted, invalid) = CsvUploads.BulkVerify(read.Records);
        var bad = invalid.Select(b => new BulkVerifyProblem(b.Line, b.Value, l["BulkVerify.BadNumber"])).ToList();
        var numbers = wanted.Select(w => w.Number).Distinct().ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var english = Cultures.IsEnglish;
        var found = new Dictionary<string, BulkVerifyRow>();
        foreach (var chunk in numbers.Chunk(500))
        {
            var rows = await db.Certificates.AsNoTracking().Where(c => chunk.Contains(c.Number))
                .Select(c => new { c.Number, c.User.FullName, c.Track, Community = english ? c.Community.NameEn : c.Community.NameZh, c.ExpiresAt, c.SuspendedAt, c.RevokedAt })
                .ToListAsync(ct);
            foreach (var r in rows)
            {
                var status = Certificate.Status(r.ExpiresAt, r.SuspendedAt, r.RevokedAt, now, settings.Value.For(r.Track).RenewalWindow);
                found[r.Number] = new BulkVerifyRow(0, r.Number, l[$"CertificateStatus.{status}"], status, r.FullName, l[$"Credential.{r.Track}"], r.Community, r.ExpiresAt);
            }
        }
        var results = wanted.Select(w => found.TryGetValue(w.Number, out var r)
            ? r with { Line = w.Line }
            : new BulkVerifyRow(w.Line, w.Number, l["BulkVerify.NotFound"], null, null, null, null, null)).ToList();
        foreach (var number in numbers)
        {
            await HttpContext.RecordVerificationAsync(number, found.TryGetValue(number, out var row) ? row.Status : null);
        }

        if (format == "csv")
        {
            var header = new[] { "BulkVerify.Line", "Verify.Number", "Roster.CertificateStatus", "Verify.Holder", "Verify.Credential", "Verify.Community", "Verify.Expires" }
                .Select(k => (string?)l[k].Value).ToList();
            var lines = results.Select(r => (IReadOnlyList<string?>)[r.Line.ToString(), r.Number, r.StatusText, r.Holder, r.Credential, r.Community, r.ExpiresAt?.ToString("yyyy-MM-dd")])
                .Concat(bad.Select(b => (IReadOnlyList<string?>)[b.Line.ToString(), b.Value, b.Problem, null, null, null, null]))
                .OrderBy(r => int.Parse(r[0]!));
            return File(CsvWriter.Write(lines.Prepend(header)), "text/csv; charset=utf-8", $"verification-{now:yyyyMMdd-HHmm}.csv");
        }
        return View("BulkVerify", new BulkVerifyViewModel(null, results, bad));
    }
}

public sealed record ManagerVerifyViewModel(string? Number, bool Searched, VerifiedCertificate? Certificate, string? PersonLink);

public sealed record BulkVerifyRow(int Line, string Number, string StatusText, CertificateStatus? Status, string? Holder, string? Credential, string? Community, DateTime? ExpiresAt);

public sealed record BulkVerifyProblem(int Line, string Value, string Problem);

public sealed record BulkVerifyViewModel(string? Error, IReadOnlyList<BulkVerifyRow> Rows, IReadOnlyList<BulkVerifyProblem> Problems);
