using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Audit;

/// <summary>The admins' view of the audit log: who did what, when and from where, filtered and paged, newest first.</summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/audit")]
public sealed class AuditController(AppDbContext db) : Controller
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AuditFilter filter, CancellationToken ct)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Who))
        {
            // An email finds the person's id; anything else is taken as an id.
            var who = filter.Who.Trim();
            var ids = await db.Users.Where(u => u.NormalizedEmail == who.ToUpperInvariant() || u.Id == who).Select(u => u.Id).ToListAsync(ct);
            events = events.Where(e => e.ActorUserId != null && (ids.Contains(e.ActorUserId) || e.ActorUserId == who));
        }
        if (!string.IsNullOrWhiteSpace(filter.What))
        {
            var what = filter.What.Trim();
            events = events.Where(e => e.Action.StartsWith(what) || e.SubjectType == what || e.SubjectId == what);
        }
        if (!string.IsNullOrWhiteSpace(filter.Where))
        {
            var where = filter.Where.Trim();
            events = events.Where(e => e.IpAddress != null && e.IpAddress.StartsWith(where));
        }
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            events = events.Where(e => e.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            events = events.Where(e => e.At < end);
        }
        var total = await events.CountAsync(ct);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(filter.Page, 1, pages);
        var rows = await events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(e => new AuditRow(e.Id, e.At, e.ActorUserId, db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.Email).FirstOrDefault(),
                e.Action, e.SubjectType, e.SubjectId, e.Data, e.IpAddress))
            .ToListAsync(ct);
        return View("Index", new AuditViewModel(filter, rows, page, pages, total));
    }
}

public sealed class AuditFilter
{
    [System.ComponentModel.DataAnnotations.StringLength(256)]
    public string? Who { get; set; }

    [System.ComponentModel.DataAnnotations.StringLength(64)]
    public string? What { get; set; }

    [System.ComponentModel.DataAnnotations.StringLength(64)]
    public string? Where { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    public int Page { get; set; } = 1;

    public string Link(int page) =>
        "/admin/audit?" + string.Join("&", new (string Key, string? Value)[]
        {
            ("who", Who), ("what", What), ("where", Where),
            ("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("page", page.ToString(CultureInfo.InvariantCulture)),
        }.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
}

public sealed record AuditRow(long Id, DateTime At, string? ActorUserId, string? ActorEmail, string Action, string SubjectType, string SubjectId,
    string? Data, string? IpAddress);

public sealed record AuditViewModel(AuditFilter Filter, IReadOnlyList<AuditRow> Rows, int Page, int Pages, int Total);
