using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Mail;

/// <summary>The outbox by state, with each message's attempts and last error; a dead letter can be sent again.</summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/outbox")]
public sealed class OutboxController(AppDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    private const int PageSize = 100;

    [HttpGet("")]
    public async Task<IActionResult> Index(OutboxState? state, CancellationToken ct)
    {
        var counts = await db.OutboxMessages.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var shown = state ?? (counts.Any(c => c.Key == OutboxState.Dead) ? OutboxState.Dead : OutboxState.Pending);
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.State == shown)
            .OrderByDescending(m => m.DueAt).ThenByDescending(m => m.Id).Take(PageSize)
            .Select(m => new OutboxItem(m.Id, m.To, m.Subject, m.Kind, m.Culture, m.Attempts, m.CreatedAt, m.DueAt, m.SentAt, m.LastError))
            .ToListAsync(ct);
        var byState = Enum.GetValues<OutboxState>().ToDictionary(s => s, s => counts.SingleOrDefault(c => c.Key == s)?.Count ?? 0);
        return View("Outbox", new OutboxViewModel(shown, byState, messages));
    }

    [HttpPost("{id:long}/retry")]
    public async Task<IActionResult> Retry(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Attempts start again: the retry gets the whole back-off budget. The last error stays until it is sent.
        var retried = await db.OutboxMessages.Where(m => m.Id == id && m.State == OutboxState.Dead)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Pending).SetProperty(m => m.DueAt, now)
                .SetProperty(m => m.Attempts, 0), ct);
        TempData["Flash"] = l[retried > 0 ? "Outbox.Retried" : "Outbox.NotDead"].Value;
        return RedirectToAction(nameof(Index), new { state = OutboxState.Dead });
    }
}

public sealed record OutboxItem(long Id, string To, string Subject, string Kind, string Culture, int Attempts, DateTime CreatedAt,
    DateTime DueAt, DateTime? SentAt, string? LastError);

public sealed record OutboxViewModel(OutboxState State, IReadOnlyDictionary<OutboxState, int> Counts, IReadOnlyList<OutboxItem> Messages);
