using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Manage;
using Practitioners.Web.Infrastructure.Csv;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Hours;

/// <summary>
/// The manager's side of hours: the approval queue (bulk approve), one record (adjust or reject, with a reason), the CSV
/// export per person or per activity, and the service providers delegated to organise activities. Scoped by
/// <see cref="ManagerScope"/> and <see cref="CommunityAccess"/>: another community's records are answered as missing.
/// </summary>
[Authorize(Roles = Roles.CommunityManager + "," + Roles.Admin)]
[Route("manage/hours")]
public sealed class HoursController(
    AppDbContext db,
    ManagerScope scopes,
    HoursAccess access,
    HoursDecisions decisions,
    ServiceRecord serviceRecord,
    ActivityTime time,
    AuditLog audit,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => HoursAccess.UserId(User);

    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] HoursFilter filter, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, filter.Community, filter.Street, ct);
        if (scope is null)
        {
            return NotFound();
        }
        filter.State ??= HoursState.Pending;
        var english = Cultures.IsEnglish;
        var filtered = Filtered(scope.Selected, filter);
        // Paged as the roster is: a page number over a stable order (start, then id), the total from a count.
        var total = await filtered.CountAsync(ct);
        var page = Math.Clamp(filter.Page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        var rows = await filtered.OrderBy(h => h.StartAt).ThenBy(h => h.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(h => new HoursRow(h.Id, h.UserId, h.User.FullName, h.Kind, h.Activity!.Title, h.Description, english ? h.Community.NameEn : h.Community.NameZh,
                h.StartAt, h.EndAt, h.Minutes, h.State, h.ReplacesId, h.Reason))
            .ToListAsync(ct);
        return View("HoursQueue", new HoursQueueViewModel(scope, filter, new HoursPage(rows, total, page, PageSize)));
    }

    public const int PageSize = 100;

    [HttpPost("approve")]
    public async Task<IActionResult> Approve([FromForm] long[] ids, [FromForm] string? scope, CancellationToken ct)
    {
        var mine = await MineAsync(ct);
        var records = await db.HoursRecords.Where(h => ids.Contains(h.Id) && mine.Contains(h.CommunityId)).ToListAsync(ct);
        if (records.Count == 0)
        {
            return NotFound();
        }
        var approved = await decisions.ApproveAsync(records, UserId, ct);
        TempData["Flash"] = l["Hours.Approved", approved].Value;
        return LocalRedirect("/manage/hours" + (ScopeQuery(scope) is { Length: > 0 } q ? "?" + q : ""));
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Show(long id, CancellationToken ct)
    {
        var model = await RecordModelAsync(id, null, ct);
        return model is null ? NotFound() : View("HoursRecord", model);
    }

    [HttpPost("{id:long}/adjust")]
    public async Task<IActionResult> Adjust(long id, AdjustInput input, CancellationToken ct)
    {
        var record = await db.HoursRecords.SingleOrDefaultAsync(h => h.Id == id, ct);
        if (record is null || !await access.CanManageAsync(User, record.CommunityId, ct))
        {
            return NotFound();
        }
        if (ModelState.IsValid)
        {
            var start = time.ToUtc(input.Date!.Value, input.StartTime!.Value);
            var end = time.ToUtc(input.Date!.Value, input.EndTime!.Value);
            var (result, adjusted) = await decisions.AdjustAsync(record, start, end, input.Reason, UserId, ct);
            if (result.Succeeded)
            {
                TempData["Flash"] = l["Hours.Adjusted"].Value;
                return Redirect($"/manage/hours/{adjusted!.Id}");
            }
            ModelState.AddModelError("", l[$"Hours.Problem.{result.Problem}"]);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("HoursRecord", await RecordModelAsync(id, input, ct));
    }

    [HttpPost("{id:long}/reject")]
    public async Task<IActionResult> Reject(long id, [FromForm] string? reason, CancellationToken ct)
    {
        var record = await db.HoursRecords.SingleOrDefaultAsync(h => h.Id == id, ct);
        if (record is null || !await access.CanManageAsync(User, record.CommunityId, ct))
        {
            return NotFound();
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            TempData["Flash"] = l["Manage.ReasonRequired"].Value;
            return Redirect($"/manage/hours/{id}");
        }
        var result = await decisions.RejectAsync(record, reason, UserId, ct);
        TempData["Flash"] = (result.Succeeded ? l["Hours.Rejected"] : l[$"Hours.Problem.{result.Problem}"]).Value;
        return Redirect($"/manage/hours/{id}");
    }

    /// <summary>Approved hours of a period as CSV for Excel, for the scope, one person or one activity.</summary>
    [HttpGet("export")]
    public async Task<IActionResult> Export([FromQuery] HoursFilter filter, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, filter.Community, filter.Street, ct);
        if (scope is null)
        {
            return NotFound();
        }
        if (filter.Activity is { } activityId
            && !await db.Activities.AnyAsync(a => a.Id == activityId && scope.Selected.Contains(a.CommunityId), ct))
        {
            return NotFound();
        }
        filter.State = HoursState.Approved;
        var lines = await serviceRecord.Lines(Filtered(scope.Selected, filter), null, null)
            .Take(100_000).ToListAsync(ct);
        var ids = lines.Select(x => x.Id).ToList();
        var people = await db.HoursRecords.AsNoTracking().Where(h => ids.Contains(h.Id))
            .Select(h => new { h.Id, h.User.FullName, h.User.Email, h.User.PhoneNumber, h.DecidedAt }).ToDictionaryAsync(h => h.Id, ct);
        var header = new[] { "Roster.Name", "Field.Phone", "Field.Email", "Hours.Column.Date", "Hours.Column.Start", "Hours.Column.End", "Hours.Column.Hours",
                "Hours.Column.What", "Field.Community", "Hours.Column.Approved" }
            .Select(k => (string?)l[k].Value).ToList();
        var english = Cultures.IsEnglish;
        var csv = CsvWriter.Write(lines.Select(x => (IReadOnlyList<string?>)
            [people[x.Id].FullName, people[x.Id].PhoneNumber, people[x.Id].Email, time.Format(x.StartAt, "yyyy-MM-dd"), time.Format(x.StartAt, "HH:mm"),
             time.Format(x.EndAt, "HH:mm"), x.Hours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
             x.Kind == HoursKind.OffSite ? $"{l["Hours.OffSite"].Value}: {x.Description}" : x.ActivityTitle, english ? x.CommunityEn : x.CommunityZh,
             people[x.Id].DecidedAt is { } d ? time.Format(d) : null]).Prepend(header));
        audit.Record("hours.exported", "Scope", scope.Query, UserId, new { rows = lines.Count, filter.Person, filter.Activity, filter.From, filter.To });
        await db.SaveChangesAsync(ct);
        return File(csv, "text/csv; charset=utf-8", $"hours-{clock.GetUtcNow():yyyyMMdd}.csv");
    }

    [HttpGet("organisers")]
    public async Task<IActionResult> Organisers(int? community, CancellationToken ct)
    {
        var scope = await scopes.ResolveAsync(User, community, null, ct);
        return scope is null ? NotFound() : View("Organisers", await OrganisersModelAsync(scope, new DelegateInput { CommunityId = community }, ct));
    }

    [HttpPost("organisers")]
    public async Task<IActionResult> Delegate(DelegateInput input, CancellationToken ct)
    {
        if (input.CommunityId is { } communityId && !await access.CanManageAsync(User, communityId, ct))
        {
            return NotFound();
        }
        if (ModelState.IsValid)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var email = input.Email.Trim();
            var user = await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => new { u.Id }).SingleOrDefaultAsync(ct);
            var problem = user is null || !await db.Certificates.ValidOf(RoleTrack.ServiceProvider, now).AnyAsync(c => c.UserId == user.Id, ct)
                ? HoursProblem.NotAProvider
                : await db.OrganiserDelegations.AnyAsync(d => d.CommunityId == input.CommunityId && d.UserId == user.Id && d.RevokedAt == null, ct)
                    ? HoursProblem.AlreadyDelegated
                    : (HoursProblem?)null;
            if (problem is null)
            {
                var delegation = new OrganiserDelegation { CommunityId = input.CommunityId!.Value, UserId = user!.Id, GrantedByUserId = UserId, GrantedAt = now };
                db.OrganiserDelegations.Add(delegation);
                await db.SaveChangesAsync(ct);
                audit.Record("organiser.delegated", "Community", input.CommunityId.Value.ToString(), UserId, new { delegation = delegation.Id, user = user.Id });
                await db.SaveChangesAsync(ct);
                TempData["Flash"] = l["Hours.Delegated"].Value;
                return Redirect($"/manage/hours/organisers?community={input.CommunityId}");
            }
            ModelState.AddModelError(nameof(input.Email), l[$"Hours.Problem.{problem}"]);
        }
        var scope = await scopes.ResolveAsync(User, input.CommunityId, null, ct) ?? await scopes.ResolveAsync(User, null, null, ct);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Organisers", await OrganisersModelAsync(scope!, input, ct));
    }

    [HttpPost("organisers/{id:int}/revoke")]
    public async Task<IActionResult> Revoke(int id, CancellationToken ct)
    {
        var delegation = await db.OrganiserDelegations.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (delegation is null || !await access.CanManageAsync(User, delegation.CommunityId, ct))
        {
            return NotFound();
        }
        if (delegation.RevokedAt is null)
        {
            delegation.RevokedAt = clock.GetUtcNow().UtcDateTime;
            delegation.RevokedByUserId = UserId;
            audit.Record("organiser.revoked", "Community", delegation.CommunityId.ToString(), UserId, new { delegation.Id, delegation.UserId });
            await db.SaveChangesAsync(ct);
        }
        TempData["Flash"] = l["Hours.DelegationRevoked"].Value;
        return Redirect($"/manage/hours/organisers?community={delegation.CommunityId}");
    }

    private IQueryable<HoursRecord> Filtered(IReadOnlyList<int> communities, HoursFilter filter)
    {
        var q = db.HoursRecords.AsNoTracking().Where(h => communities.Contains(h.CommunityId));
        if (filter.State is { } state)
        {
            q = q.Where(h => h.State == state);
        }
        if (!string.IsNullOrEmpty(filter.Person))
        {
            q = q.Where(h => h.UserId == filter.Person);
        }
        if (filter.Activity is { } activity)
        {
            q = q.Where(h => h.ActivityId == activity);
        }
        if (filter.From is { } from)
        {
            var start = time.DayStartUtc(from);
            q = q.Where(h => h.StartAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = time.DayStartUtc(to.AddDays(1));
            q = q.Where(h => h.StartAt < end);
        }
        return q;
    }

    private async Task<List<int>> MineAsync(CancellationToken ct) => (await scopes.ResolveAsync(User, null, null, ct))!.Selected.ToList();

    private static string ScopeQuery(string? scope) =>
        scope is not null && System.Text.RegularExpressions.Regex.IsMatch(scope, @"^(community|street)=\d{1,9}$") ? scope : "";

    private async Task<HoursRecordViewModel?> RecordModelAsync(long id, AdjustInput? input, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        var row = await db.HoursRecords.AsNoTracking().Where(h => h.Id == id)
            .Select(h => new HoursRow(h.Id, h.UserId, h.User.FullName, h.Kind, h.Activity!.Title, h.Description, english ? h.Community.NameEn : h.Community.NameZh,
                h.StartAt, h.EndAt, h.Minutes, h.State, h.ReplacesId, h.Reason))
            .SingleOrDefaultAsync(ct);
        var communityId = await db.HoursRecords.Where(h => h.Id == id).Select(h => (int?)h.CommunityId).SingleOrDefaultAsync(ct);
        if (row is null || communityId is null || !await access.CanManageAsync(User, communityId.Value, ct))
        {
            return null;
        }
        var decision = await db.HoursRecords.AsNoTracking().Where(h => h.Id == id)
            .Select(h => new { h.DecidedAt, h.DecisionReason, By = db.Users.Where(u => u.Id == h.DecidedByUserId).Select(u => u.FullName).FirstOrDefault(),
                ReplacedBy = db.HoursRecords.Where(r => r.ReplacesId == h.Id).Select(r => (long?)r.Id).FirstOrDefault() })
            .SingleAsync(ct);
        var history = await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == "HoursRecord" && e.SubjectId == id.ToString())
            .OrderBy(e => e.At).Select(e => new HoursHistory(e.At, e.Action, db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.FullName).FirstOrDefault(), e.Data))
            .ToListAsync(ct);
        input ??= new AdjustInput { Date = time.LocalDate(row.StartAt), StartTime = TimeOnly.FromDateTime(time.ToLocal(row.StartAt)),
            EndTime = TimeOnly.FromDateTime(time.ToLocal(row.EndAt)) };
        return new HoursRecordViewModel(row, decision.DecidedAt, decision.By, decision.DecisionReason, decision.ReplacedBy, history, input);
    }

    private async Task<OrganisersViewModel> OrganisersModelAsync(ManagerScopeView scope, DelegateInput input, CancellationToken ct)
    {
        var delegations = await db.OrganiserDelegations.AsNoTracking().Where(d => scope.Selected.Contains(d.CommunityId) && d.RevokedAt == null)
            .OrderBy(d => d.GrantedAt)
            .Select(d => new DelegationRow(d.Id, d.CommunityId, d.User.FullName, d.User.Email ?? "", d.GrantedAt))
            .ToListAsync(ct);
        return new OrganisersViewModel(scope, delegations, input);
    }
}

public sealed record HoursRow(long Id, string UserId, string Name, HoursKind Kind, string? ActivityTitle, string? Description, string Community,
    DateTime StartAt, DateTime EndAt, int Minutes, HoursState State, long? ReplacesId, string? Reason)
{
    public decimal Hours => Math.Round(Minutes / 60m, 2);
}

public sealed record HoursPage(IReadOnlyList<HoursRow> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record HoursQueueViewModel(ManagerScopeView Scope, HoursFilter Filter, HoursPage Page)
{
    public IReadOnlyList<HoursRow> Rows => Page.Rows;
}

public sealed record HoursHistory(DateTime At, string Action, string? By, string? Data);

public sealed record HoursRecordViewModel(HoursRow Record, DateTime? DecidedAt, string? DecidedBy, string? DecisionReason, long? ReplacedById,
    IReadOnlyList<HoursHistory> History, AdjustInput Input);

public sealed record DelegationRow(int Id, int CommunityId, string Name, string Email, DateTime GrantedAt);

public sealed record OrganisersViewModel(ManagerScopeView Scope, IReadOnlyList<DelegationRow> Delegations, DelegateInput Input);
