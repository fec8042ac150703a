using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Privacy;

/// <summary>The admins' queue of deletion requests: approve (the data is erased at once) or reject with a reason.</summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/deletions")]
public sealed class DeletionsController(AppDbContext db, DecideDeletion decide) : Controller
{
    /// <summary>The queue shows the oldest pending requests first, this many at a time.</summary>
    public const int Shown = 100;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var pending = db.DeletionRequests.AsNoTracking().Where(r => r.State == DeletionRequestState.Pending);
        var rows = await pending.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).Take(Shown)
            .Select(r => new DeletionQueueRow(r.Id, r.UserId, r.User.FullName, r.User.Email ?? "", r.RequestedAt,
                db.Certificates.Count(c => c.UserId == r.UserId && c.RevokedAt == null)))
            .ToListAsync(ct);
        return View("Deletions", new DeletionQueueViewModel(rows, await pending.CountAsync(ct), TempData["Flash"] as string));
    }

    [HttpPost("{id:int}/approve")]
    public async Task<IActionResult> Approve(int id, CancellationToken ct) =>
        await decide.ApproveAsync(id, UserId, ct) switch
        {
            DeletionOutcome.NotFound => NotFound(),
            DeletionOutcome.AlreadyDecided => Decided("already"),
            _ => Decided("approved"),
        };

    [HttpPost("{id:int}/reject")]
    public async Task<IActionResult> Reject(int id, [FromForm] string? reason, CancellationToken ct) =>
        await decide.RejectAsync(id, reason, UserId, ct) switch
        {
            DeletionOutcome.NotFound => NotFound(),
            DeletionOutcome.AlreadyDecided => Decided("already"),
            DeletionOutcome.ReasonRequired => Decided("reason"),
            _ => Decided("rejected"),
        };

    private RedirectResult Decided(string flash)
    {
        TempData["Flash"] = flash;
        return Redirect("/admin/deletions");
    }
}

public sealed record DeletionQueueRow(int Id, string UserId, string FullName, string Email, DateTime RequestedAt, int ActiveCertificates);

public sealed record DeletionQueueViewModel(IReadOnlyList<DeletionQueueRow> Rows, int Total, string? Flash);
