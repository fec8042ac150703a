using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Clock;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Reminders;

/// <summary>
/// Development only: moves the site's clock forward a day at a time, running the daily sweep for each day and then
/// the outbox sender, so the reminders a certificate would get show on the Outgoing mail page. Anywhere else the
/// shifted clock is not registered and every action here answers 404.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/clock")]
public sealed class ClockController(IServiceProvider services, IOptions<JobOptions> jobs, IStringLocalizer<SharedResource> l) : Controller
{
    public static readonly IReadOnlyList<int> Steps = [1, 7, 30];

    private ShiftedTimeProvider? Clock => services.GetService<ShiftedTimeProvider>();

    [HttpGet("")]
    public IActionResult Index()
    {
        if (Clock is not { } clock)
        {
            return NotFound();
        }
        var now = clock.GetUtcNow();
        return View("Clock", new ClockViewModel(now.UtcDateTime, TimeZoneInfo.ConvertTime(now, jobs.Value.Zone).DateTime, jobs.Value.TimeZone, clock.Offset));
    }

    [HttpPost("advance")]
    public async Task<IActionResult> Advance(AdvanceClockInput input, CancellationToken ct)
    {
        var days = input.Days;
        if (Clock is not { } clock)
        {
            return NotFound();
        }
        if (!ModelState.IsValid || !Steps.Contains(days))
        {
            return BadRequest();
        }
        var sweep = services.GetRequiredService<DailySweep>();
        for (var day = 0; day < days; day++)
        {
            clock.Advance(TimeSpan.FromDays(1));
            await sweep.RunAsync(ct);
        }
        await services.GetRequiredService<CancelStaleReminders>().RunAsync(ct);
        var run = await services.GetRequiredService<SendOutbox>().RunAsync(ct);
        TempData["Flash"] = l["Clock.Advanced", days, run.Sent].Value;
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("reset")]
    public IActionResult Reset()
    {
        if (Clock is not { } clock)
        {
            return NotFound();
        }
        clock.Reset();
        TempData["Flash"] = l["Clock.ResetDone"].Value;
        return RedirectToAction(nameof(Index));
    }
}

public sealed class AdvanceClockInput
{
    [System.ComponentModel.DataAnnotations.Range(1, 30)]
    public int Days { get; set; }
}

public sealed record ClockViewModel(DateTime Utc, DateTime Local, string Zone, TimeSpan Offset);
