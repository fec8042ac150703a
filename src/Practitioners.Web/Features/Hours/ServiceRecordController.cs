using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// "My service record": approved hours by month and in total, hours waiting for a decision, off-site submissions, and the
/// service-hours certificate for a period (PDF with a QR code to its public verification page).
/// </summary>
[Authorize]
[Route("me/hours")]
public sealed class ServiceRecordController(
    AppDbContext db,
    ServiceRecord serviceRecord,
    SubmitOffSiteHours offSite,
    IssueHoursCertificate issue,
    HoursCertificateDocument document,
    ActivityTime time,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => HoursAccess.UserId(User);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View("ServiceRecord", await ModelAsync(null, ct));

    [HttpPost("certificates")]
    public async Task<IActionResult> Certificate(PeriodInput input, CancellationToken ct)
    {
        if (ModelState.IsValid && input.To < input.From)
        {
            ModelState.AddModelError(nameof(input.To), l["Hours.Problem.EndBeforeStart"]);
        }
        if (ModelState.IsValid)
        {
            var certificate = await issue.RunAsync(UserId, input.From!.Value, input.To!.Value, ct);
            if (certificate is not null)
            {
                return Redirect($"/me/hours/certificates/{certificate.Number}/pdf");
            }
            ModelState.AddModelError("", l["Hours.NoApprovedHours"]);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("ServiceRecord", await ModelAsync(input, ct));
    }

    [HttpGet("certificates/{number}/pdf")]
    public async Task<IActionResult> Pdf(string number, CancellationToken ct)
    {
        var certificate = await db.HoursCertificates.AsNoTracking().SingleOrDefaultAsync(c => c.Number == number && c.UserId == UserId, ct);
        if (certificate is null)
        {
            return NotFound();
        }
        Response.NeverStore();
        return File(await document.RenderAsync(certificate, ct), "application/pdf", $"{certificate.Number}.pdf");
    }

    [HttpGet("off-site")]
    public async Task<IActionResult> OffSite(CancellationToken ct) =>
        View("OffSite", await OffSiteModelAsync(new OffSiteInput { Date = time.LocalDate(clock.GetUtcNow().UtcDateTime) }, ct));

    [HttpPost("off-site")]
    public async Task<IActionResult> OffSite(OffSiteInput input, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var start = time.ToUtc(input.Date!.Value, input.StartTime!.Value);
            var end = time.ToUtc(input.Date!.Value, input.EndTime!.Value);
            var result = await offSite.RunAsync(UserId, input.CommunityId!.Value, start, end, input.Description, ct);
            if (result.Succeeded)
            {
                TempData["Flash"] = l["Hours.Submitted"].Value;
                return Redirect("/me/hours");
            }
            ModelState.AddModelError("", l[$"Hours.Problem.{result.Problem}"]);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("OffSite", await OffSiteModelAsync(input, ct));
    }

    private async Task<OffSiteViewModel> OffSiteModelAsync(OffSiteInput input, CancellationToken ct)
    {
        var mine = offSite.CommunitiesOf(UserId);
        var english = Cultures.IsEnglish;
        var communities = await db.Communities.AsNoTracking().Where(c => mine.Contains(c.Id)).OrderBy(c => c.Code)
            .Select(c => new CommunityOption(c.Id, english ? c.NameEn : c.NameZh)).ToListAsync(ct);
        if (input.CommunityId is null && communities.Count == 1)
        {
            input.CommunityId = communities[0].Id;
        }
        return new OffSiteViewModel(input, communities);
    }

    private async Task<ServiceRecordViewModel> ModelAsync(PeriodInput? period, CancellationToken ct)
    {
        var lines = await serviceRecord.LinesAsync(UserId, null, null, ct);
        var english = Cultures.IsEnglish;
        var waiting = await db.HoursRecords.AsNoTracking()
            .Where(h => h.UserId == UserId && (h.State == HoursState.Pending || h.State == HoursState.Rejected))
            .OrderByDescending(h => h.StartAt).Take(100)
            .Select(h => new HoursRow(h.Id, h.UserId, "", h.Kind, h.Activity!.Title, h.Description, english ? h.Community.NameEn : h.Community.NameZh,
                h.StartAt, h.EndAt, h.Minutes, h.State, h.ReplacesId, h.DecisionReason))
            .ToListAsync(ct);
        var issued = await db.HoursCertificates.AsNoTracking().Where(c => c.UserId == UserId).OrderByDescending(c => c.IssuedAt).Take(50)
            .Select(c => new IssuedHoursCertificate(c.Number, c.VerificationCode, c.From, c.To, c.TotalMinutes, c.IssuedAt)).ToListAsync(ct);
        var today = time.LocalDate(clock.GetUtcNow().UtcDateTime);
        period ??= new PeriodInput { From = lines.Count > 0 ? time.LocalDate(lines[0].StartAt) : today.AddMonths(-12), To = today };
        return new ServiceRecordViewModel(lines, serviceRecord.ByMonth(lines), lines.Sum(x => x.Minutes), waiting, issued, period);
    }
}

public sealed record IssuedHoursCertificate(string Number, string VerificationCode, DateOnly From, DateOnly To, int TotalMinutes, DateTime IssuedAt)
{
    public decimal TotalHours => Math.Round(TotalMinutes / 60m, 2);
}

public sealed record ServiceRecordViewModel(IReadOnlyList<ServiceLine> Lines, IReadOnlyList<MonthTotal> Months, int TotalMinutes,
    IReadOnlyList<HoursRow> Waiting, IReadOnlyList<IssuedHoursCertificate> Issued, PeriodInput Period)
{
    public decimal TotalHours => Math.Round(TotalMinutes / 60m, 2);
}

public sealed record OffSiteViewModel(OffSiteInput Input, IReadOnlyList<CommunityOption> Communities);

/// <summary>
/// Public verification of a service-hours certificate, for a school: no sign-in, rate-limited per address like certificate
/// verification, and every unknown or malformed code gets the same not-found page.
/// </summary>
[Route("verify/hours")]
[EnableRateLimiting(CertificatesSetup.VerificationPolicy)]
public sealed class HoursVerifyController(HoursCertificateDocument document) : Controller
{
    [HttpGet("{code}")]
    public async Task<IActionResult> Show(string code, CancellationToken ct)
    {
        var certificate = await document.ByCodeAsync(code, ct);
        await HttpContext.RecordVerificationAsync(code, certificate);
        Response.NeverStore();
        return certificate is null
            ? new ViewResult { ViewName = "/Features/Certificates/Views/VerifyNotFound.cshtml", StatusCode = StatusCodes.Status404NotFound, ViewData = ViewData }
            : View("VerifyHours", certificate);
    }
}
