using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Accounts.People;

/// <summary>The admins' people page: find a person by email or name, see the account's status, disable or re-enable it.</summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/people")]
public sealed class PeopleController(AppDbContext db, DisablePerson disable,
    Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.SharedResource> l) : Controller
{
    /// <summary>A search shows at most this many people.</summary>
    public const int Shown = 50;

    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, CancellationToken ct)
    {
        var query = q?.Trim() ?? "";
        IReadOnlyList<PersonRow> rows = [];
        if (query.Length > 0)
        {
            var upper = query.ToUpperInvariant();
            rows = await db.Users.AsNoTracking()
                .Where(u => u.NormalizedEmail!.Contains(upper) || u.FullName.Contains(query) || u.Id == query)
                .OrderBy(u => u.FullName).ThenBy(u => u.Id).Take(Shown)
                .Select(u => new PersonRow(u.Id, u.FullName, u.Email ?? "", StatusOf(u.DisabledAt, u.PersonalDataRemovedAt)))
                .ToListAsync(ct);
        }
        return View("AdminPeople", new PeopleSearchViewModel(query, rows));
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken ct)
    {
        var person = await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new PersonViewModel(u.Id, u.FullName, u.Email ?? "", StatusOf(u.DisabledAt, u.PersonalDataRemovedAt),
                u.DisabledAt, u.DisabledReason, u.Id == UserId,
                db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
                db.Certificates.Count(c => c.UserId == u.Id && c.RevokedAt == null)))
            .SingleOrDefaultAsync(ct);
        return person is null ? NotFound() : View("AdminPerson", person);
    }

    [HttpPost("{id}/disable")]
    public async Task<IActionResult> Disable(string id, [FromForm] string? reason, CancellationToken ct) =>
        Outcome(id, await disable.DisableAsync(id, reason, UserId, ct), "disabled");

    [HttpPost("{id}/enable")]
    public async Task<IActionResult> Enable(string id, CancellationToken ct) =>
        Outcome(id, await disable.EnableAsync(id, UserId, ct), "enabled");

    private IActionResult Outcome(string id, DisableOutcome outcome, string done)
    {
        if (outcome == DisableOutcome.NotFound)
        {
            return NotFound();
        }
        // The layout shows the flash, in the person's language.
        TempData["Flash"] = l[$"People.Admin.Flash.{(outcome == DisableOutcome.Done ? done : outcome.ToString())}"].Value;
        return Redirect($"/admin/people/{Uri.EscapeDataString(id)}");
    }

    private static PersonStatus StatusOf(DateTime? disabledAt, DateTime? erasedAt) =>
        erasedAt is not null ? PersonStatus.Erased : disabledAt is not null ? PersonStatus.Disabled : PersonStatus.Active;
}

public enum PersonStatus
{
    Active,
    Disabled,
    Erased,
}

public sealed record PersonRow(string Id, string FullName, string Email, PersonStatus Status);

public sealed record PeopleSearchViewModel(string Query, IReadOnlyList<PersonRow> Rows);

public sealed record PersonViewModel(string Id, string FullName, string Email, PersonStatus Status, DateTime? DisabledAt,
    string? DisabledReason, bool IsSelf, IReadOnlyList<string> Roles, int Certificates);
