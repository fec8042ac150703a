using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Certificates.OpenBadges;

/// <summary>
/// Open Badges 3.0: the public issuer, key and achievement documents a verifier follows, the live status of one
/// credential, the holder's download of their signed badge, and a page that checks a pasted badge.
/// </summary>
public sealed class OpenBadgesController(
    OpenBadgeDocuments documents,
    IssuerKey key,
    CertificateLookup lookup,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("/ob/issuer")]
    public IActionResult Issuer() => Document(documents.Issuer(standalone: true), cacheable: true);

    [HttpGet("/ob/issuer/jwks")]
    public IActionResult Jwks() => Document(new JsonObject { ["keys"] = new JsonArray(key.PublicJwk()) }, cacheable: true);

    [HttpGet("/ob/achievements/{letter}")]
    public IActionResult Achievement(string letter)
    {
        var track = RoleTracks.All.Where(t => letter.Length == 1 && t.CredentialLetter() == letter[0]).Select(t => (RoleTrack?)t).FirstOrDefault();
        return track is null ? NotFoundDocument() : Document(documents.Achievement(track.Value, standalone: true), cacheable: true);
    }

    /// <summary>The <see cref="OpenBadgeDocuments.StatusType"/> endpoint. Keyed by the unguessable verification code and rate-limited like /verify.</summary>
    [HttpGet("/ob/status/{code}")]
    [EnableRateLimiting(CertificatesSetup.VerificationPolicy)]
    public async Task<IActionResult> Status(string code)
    {
        var certificate = await lookup.ByCodeAsync(code);
        await HttpContext.RecordVerificationAsync(VerificationKind.Badge, code, certificate);
        return certificate is null ? NotFoundDocument() : Document(new JsonObject
        {
            ["status"] = certificate.Status.ToString(),
            ["checkedAt"] = VcJwt.DateTimeStamp(clock.GetUtcNow().UtcDateTime),
        }, cacheable: false);
    }

    /// <summary>The signed badge, for the holder or a manager of the certificate's community; anyone else gets 404.</summary>
    [Authorize]
    [HttpGet("/certificates/{number}/openbadge")]
    public async Task<IActionResult> Download(string number, [FromServices] AppDbContext db, [FromServices] CommunityAccess access,
        [FromServices] IssueOpenBadge issue, CancellationToken ct)
    {
        var c = await db.Certificates.AsNoTracking().Where(x => x.Number == number)
            .Select(x => new
            {
                x.UserId, x.CommunityId, x.RevokedAt, x.Number, x.VerificationCode, x.Track, x.User.FullName, x.User.Email,
                x.Community.NameZh, x.Community.NameEn, StreetZh = x.Community.Street.NameZh, StreetEn = x.Community.Street.NameEn,
                x.IssuedAt, x.ExpiresAt,
            })
            .SingleOrDefaultAsync(ct);
        if (c is null || (c.UserId != User.FindFirstValue(ClaimTypes.NameIdentifier) && !await access.CanManageAsync(User, c.CommunityId, ct)))
        {
            return NotFound();
        }
        if (c.RevokedAt is not null)
        {
            // A new signature over a revoked certificate would only invite confusion; its status stays public.
            return new ViewResult
            {
                ViewName = "Problem",
                StatusCode = StatusCodes.Status409Conflict,
                ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(ViewData)
                {
                    Model = new ProblemViewModel(l["OpenBadges.Revoked.Title"], l["OpenBadges.Revoked.Text"]),
                },
            };
        }
        var jwt = issue.Run(new BadgeFacts(c.Number, c.VerificationCode, c.Track, c.FullName, c.Email ?? "",
            c.NameZh, c.NameEn, c.StreetZh, c.StreetEn, c.IssuedAt, c.ExpiresAt));
        Response.NeverStore();
        return File(System.Text.Encoding.ASCII.GetBytes(jwt), "application/jwt", $"{c.Number}.jwt");
    }

    [HttpGet("/verify/credential")]
    public IActionResult VerifyCredential() => View("VerifyCredential", new VerifyCredentialViewModel(new VerifyCredentialInput(), null));

    [HttpPost("/verify/credential")]
    [EnableRateLimiting(CertificatesSetup.VerificationPolicy)]
    public async Task<IActionResult> VerifyCredential(VerifyCredentialInput input, [FromServices] VerifyOpenBadge verify)
    {
        Response.NeverStore();
        if (!ModelState.IsValid)
        {
            return View("VerifyCredential", new VerifyCredentialViewModel(input, null));
        }
        var check = await verify.RunAsync(input.Credential);
        await HttpContext.RecordVerificationAsync(input.Credential, check);
        return View("VerifyCredential", new VerifyCredentialViewModel(input, check));
    }

    private ContentResult Document(JsonObject document, bool cacheable)
    {
        // Public, credential-free documents: any verifier, including one running in a browser, may read them.
        Response.Headers.AccessControlAllowOrigin = "*";
        Response.Headers.CacheControl = cacheable ? "public, max-age=3600" : "no-store";
        return Content(document.ToJsonString(VcJwt.Json), "application/json; charset=utf-8");
    }

    private ContentResult NotFoundDocument()
    {
        var result = Document(new JsonObject { ["error"] = "not_found" }, cacheable: false);
        result.StatusCode = StatusCodes.Status404NotFound;
        return result;
    }
}

public sealed class VerifyCredentialInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(VcJwt.MaxLength, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "OpenBadges.Verify.Field")]
    public string Credential { get; set; } = "";
}

public sealed record VerifyCredentialViewModel(VerifyCredentialInput Input, BadgeCheck? Check);
