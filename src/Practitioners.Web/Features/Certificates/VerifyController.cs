using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Certificates;

/// <summary>
/// Public verification, no sign-in. Every unknown or malformed code gets the same page and status, and requests
/// are limited per address, so codes cannot be told apart or guessed at speed.
/// </summary>
[Route("verify")]
[EnableRateLimiting(CertificatesSetup.VerificationPolicy)]
public sealed class VerifyController(CertificateLookup lookup) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View("VerifyForm", new VerifyFormInput());

    [HttpGet("find")]
    public async Task<IActionResult> Find([FromQuery] VerifyFormInput input)
    {
        string? code = null;
        if (!string.IsNullOrWhiteSpace(input.Code))
        {
            code = CertificateCodes.Normalise(input.Code);
        }
        else if (!string.IsNullOrWhiteSpace(input.Number) && !string.IsNullOrWhiteSpace(input.Name))
        {
            var number = input.Number.Trim().ToUpperInvariant();
            code = CertificateCodes.IsNumber(number) ? await lookup.CodeForAsync(number, input.Name) : null;
        }
        if (code is null && (input.Code ?? input.Number) is { Length: > 0 } typed)
        {
            // A found certificate is recorded by the page the redirect leads to.
            await HttpContext.RecordVerificationAsync(VerificationKind.Page, typed, null);
        }
        return code is null ? NotFoundPage() : Redirect($"/verify/{code}");
    }

    [HttpGet("{code}")]
    public async Task<IActionResult> Show(string code)
    {
        var certificate = await lookup.ByCodeAsync(code);
        await HttpContext.RecordVerificationAsync(VerificationKind.Page, code, certificate);
        if (certificate is null)
        {
            return NotFoundPage();
        }
        // Verifiers always see the state of this moment.
        Response.NeverStore();
        return View("Verify", certificate);
    }

    private ViewResult NotFoundPage()
    {
        Response.NeverStore();
        return new ViewResult { ViewName = "VerifyNotFound", StatusCode = StatusCodes.Status404NotFound, ViewData = ViewData };
    }
}

public sealed class VerifyFormInput
{
    public string? Code { get; set; }
    public string? Number { get; set; }
    public string? Name { get; set; }
}
