using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Features.Manage;

/// <summary>Bulk invitations from a CSV of volunteers for one of the manager's communities.</summary>
[Authorize(Roles = Roles.CommunityManager + "," + Roles.Admin)]
[Route("manage/invite")]
public sealed class InviteController(ManagerScope scopes, InviteVolunteers invite,
    Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(int? community, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, community, null, ct);
        return scope is null ? NotFound() : View("Invite", new InviteViewModel(scope, null));
    }

    [HttpPost("")]
    [RequestSizeLimit(InviteVolunteers.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> Index(int community, IFormFile? file, bool allOrNothing, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, community, null, ct);
        if (scope is null)
        {
            return NotFound();
        }
        if (file is null || file.Length == 0)
        {
            return View("Invite", new InviteViewModel(scope, new InviteReport(l["Csv.NoFile"], [], false)));
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var report = await invite.RunAsync(community, User.FindFirstValue(ClaimTypes.NameIdentifier)!, buffer.ToArray(), allOrNothing, ct);
        return View("Invite", new InviteViewModel(scope, report));
    }
}

public sealed record InviteViewModel(ManagerScopeView Scope, InviteReport? Report);
