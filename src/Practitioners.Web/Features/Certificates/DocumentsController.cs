using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Pdf;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Certificates;

/// <summary>PDF downloads: a certificate, and a signed agreement with its evidence. For the holder, or a manager of their community.</summary>
[Authorize]
public sealed class DocumentsController(
    AppDbContext db,
    CommunityAccess access,
    IPdfDocuments pdf,
    SiteLinks links,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("/certificates/{number}/pdf")]
    public async Task<IActionResult> Certificate(string number, CancellationToken ct)
    {
        var c = await db.Certificates.AsNoTracking().Where(x => x.Number == number)
            .Select(x => new
            {
                x.UserId, x.CommunityId, x.Number, x.VerificationCode, x.Track, x.IssuedAt, x.ExpiresAt, x.User.FullName,
                x.Community.NameZh, x.Community.NameEn, StreetZh = x.Community.Street.NameZh, StreetEn = x.Community.Street.NameEn,
            })
            .SingleOrDefaultAsync(ct);
        if (c is null || (c.UserId != UserId && !await access.CanManageAsync(User, c.CommunityId, ct)))
        {
            return NotFound();
        }
        string Credential(string culture)
        {
            using var _ = Cultures.Use(culture);
            return l[$"Credential.{c.Track}"];
        }
        var bytes = pdf.Certificate(new CertificatePdfModel(c.FullName, Credential(Cultures.Chinese), Credential(Cultures.English),
            c.NameZh, c.NameEn, c.StreetZh, c.StreetEn, c.Number, c.IssuedAt, c.ExpiresAt, links.Absolute($"/verify/{c.VerificationCode}")));
        Response.NeverStore();
        return File(bytes, "application/pdf", $"{c.Number}.pdf");
    }

    [HttpGet("/agreements/signatures/{id:long}/pdf")]
    public async Task<IActionResult> Agreement(long id, CancellationToken ct)
    {
        var holder = await db.Signatures.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.Role == SignatureRole.Holder, ct);
        var communityId = holder is null ? null
            : await db.Admissions.Where(a => a.Id == holder.AdmissionId).Select(a => (int?)a.CommunityId).SingleOrDefaultAsync(ct);
        if (holder is null || communityId is null || (holder.UserId != UserId && !await access.CanManageAsync(User, communityId.Value, ct)))
        {
            return NotFound();
        }
        var version = await db.AgreementVersions.AsNoTracking().SingleAsync(v => v.AgreementId == holder.AgreementId && v.Version == holder.Version, ct);
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == holder.AgreementId, ct);
        var related = await db.Signatures.AsNoTracking().Where(s => s.ForSignatureId == id).OrderBy(s => s.SignedAt).ToListAsync(ct);

        var evidence = new List<(string, string)>
        {
            (l["Evidence.Agreement"], $"{agreement.Id} · {l["Agreements.Version", holder.Version]} · {holder.Language}"),
            (l["Evidence.Hash"], holder.TextHash),
        };
        evidence.AddRange(Describe(holder, l["Evidence.Holder"]));
        foreach (var s in related)
        {
            evidence.AddRange(Describe(s, s.Role == SignatureRole.Guardian
                ? $"{l["Evidence.Guardian"]} ({s.GuardianRelation}, {s.GuardianEmail})"
                : s.Declined ? $"{l["Evidence.CountersignDeclined"]}: {s.DeclineReason}" : l["Evidence.Countersigner"]));
        }
        var bytes = pdf.Agreement(new AgreementPdfModel(agreement.TitleZh, agreement.TitleEn, holder.Language, version.Text(holder.Language), evidence));
        Response.NeverStore();
        return File(bytes, "application/pdf", $"{agreement.Id}-v{holder.Version}-{id}.pdf");
    }

    private static IEnumerable<(string, string)> Describe(Signature s, string who) =>
    [
        (who, $"{s.TypedName} · {s.SignedAt:yyyy-MM-dd HH:mm:ss} UTC"),
        ("IP · User-Agent", $"{s.IpAddress ?? "-"} · {s.UserAgent ?? "-"}"),
    ];
}
