using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Certificates;

/// <summary>A manager's page for one certificate of their community: the verified facts and the status actions.</summary>
[Authorize(Roles = Roles.CommunityManager + "," + Roles.Admin)]
[Route("manage/certificates")]
public sealed class CertificatesController(
    AppDbContext db,
    CommunityAccess access,
    CertificateLookup lookup,
    ChangeCertificateStatus change,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("{number}")]
    public async Task<IActionResult> Show(string number, CancellationToken ct)
    {
        var model = await ModelAsync(number, ct);
        return model is null ? NotFound() : View("Manage", model);
    }

    [HttpPost("{number}/status")]
    public async Task<IActionResult> Status(string number, StatusChangeInput input, CancellationToken ct)
    {
        var certificate = await db.Certificates.SingleOrDefaultAsync(c => c.Number == number, ct);
        if (certificate is null || !await access.CanManageAsync(User, certificate.CommunityId, ct))
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            var model = await ModelAsync(number, ct);
            return View("Manage", model);
        }
        var done = await change.RunAsync(certificate, input.Action!.Value, input.Reason, UserId, ct);
        TempData["Flash"] = l[done ? $"Certificates.{input.Action}.Done" : "Certificates.NotAllowed"].Value;
        return RedirectToAction(nameof(Show), new { number });
    }

    private async Task<ManageCertificateViewModel?> ModelAsync(string number, CancellationToken ct)
    {
        var row = await db.Certificates.AsNoTracking().Where(c => c.Number == number)
            .Select(c => new { c.CommunityId, c.VerificationCode, c.Reason, c.UserId, c.User.Email, c.User.PhoneNumber })
            .SingleOrDefaultAsync(ct);
        // A certificate of another community is reported exactly like a missing one.
        if (row is null || !await access.CanManageAsync(User, row.CommunityId, ct))
        {
            return null;
        }
        var verified = (await lookup.ByNumberAsync(number))!;
        return new ManageCertificateViewModel(verified, row.VerificationCode, row.Reason, row.Email ?? "", row.PhoneNumber);
    }
}

public sealed record ManageCertificateViewModel(VerifiedCertificate Certificate, string VerificationCode, string? Reason, string Email, string? Phone);

public sealed class StatusChangeInput
{
    [Required(ErrorMessage = "Validation.Choose")]
    [Display(Name = "Field.Action")]
    public CertificateAction? Action { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(500, ErrorMessage = "Validation.MaxLength")]
    [Display(Name = "Field.Reason")]
    public string Reason { get; set; } = "";
}
