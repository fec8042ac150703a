using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Reminders;

/// <summary>The person's own notices: newest first, marked read one by one or all at once.</summary>
[Authorize]
[Route("notifications")]
public sealed class NotificationsController(AppDbContext db, TimeProvider clock) : Controller
{
    private const int PageSize = 50;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var items = await db.Notifications.AsNoTracking().Where(n => n.UserId == UserId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(PageSize)
            .Select(n => new NotificationItem(n.Id, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(ct);
        return View(new NotificationsViewModel(items));
    }

    [HttpPost("{id:long}/read")]
    public async Task<IActionResult> Read(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var marked = await db.Notifications.Where(n => n.Id == id && n.UserId == UserId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        // Someone else's notice (or none) is not found, rather than a silent success.
        if (marked == 0 && !await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == UserId, ct))
        {
            return NotFound();
        }
        return RedirectToAction(nameof(Index));
    }

    [HttpPost("read-all")]
    public async Task<IActionResult> ReadAll(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Notifications.Where(n => n.UserId == UserId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return RedirectToAction(nameof(Index));
    }
}

public sealed record NotificationItem(long Id, string Title, string Body, string Link, DateTime CreatedAt, bool Read);

public sealed record NotificationsViewModel(IReadOnlyList<NotificationItem> Items);

/// <summary>The unread count under the layout's bell: one indexed count per page for a signed-in person.</summary>
public sealed class NotificationBell(AppDbContext db)
{
    public Task<int> UnreadAsync(ClaimsPrincipal user)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null ? Task.FromResult(0) : db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null);
    }
}
