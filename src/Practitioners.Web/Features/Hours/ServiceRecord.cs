using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Hours;

/// <summary>One approved record as a service record, a certificate and an export show it.</summary>
public sealed record ServiceLine(long Id, DateTime StartAt, DateTime EndAt, int Minutes, HoursKind Kind, int? ActivityId, string? ActivityTitle,
    string? Description, int CommunityId, string CommunityZh, string CommunityEn, string StreetZh, string StreetEn)
{
    public decimal Hours => Math.Round(Minutes / 60m, 2);
}

public sealed record MonthTotal(int Year, int Month, int Minutes)
{
    public decimal Hours => Math.Round(Minutes / 60m, 2);
}

/// <summary>One of a person's hours records as their manager's person page lists it, whatever its state.</summary>
public sealed record PersonHoursRow(long Id, HoursKind Kind, string? ActivityTitle, string? Description, string Community,
    DateTime StartAt, DateTime EndAt, int Minutes, HoursState State)
{
    public decimal Hours => Math.Round(Minutes / 60m, 2);
}

/// <summary>A person's approved hours in a manager's communities (total and number of records) and their latest records there.</summary>
public sealed record PersonHours(int ApprovedMinutes, int ApprovedRecords, IReadOnlyList<PersonHoursRow> Recent)
{
    public decimal ApprovedHours => Math.Round(ApprovedMinutes / 60m, 2);
}

/// <summary>A person's approved hours, in local days: the lines of a period, and totals by month.</summary>
public sealed class ServiceRecord(AppDbContext db, ActivityTime time)
{
    public IQueryable<HoursRecord> Approved(string userId) =>
        db.HoursRecords.AsNoTracking().Where(h => h.UserId == userId && h.State == HoursState.Approved);

    /// <summary>Approved lines whose start falls on a local day from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public Task<List<ServiceLine>> LinesAsync(string userId, DateOnly? from, DateOnly? to, CancellationToken ct) =>
        Lines(Approved(userId), from, to).ToListAsync(ct);

    public IQueryable<ServiceLine> Lines(IQueryable<HoursRecord> records, DateOnly? from, DateOnly? to)
    {
        if (from is { } f)
        {
            var start = time.DayStartUtc(f);
            records = records.Where(h => h.StartAt >= start);
        }
        if (to is { } t)
        {
            var end = time.DayStartUtc(t.AddDays(1));
            records = records.Where(h => h.StartAt < end);
        }
        return records.OrderBy(h => h.StartAt).ThenBy(h => h.Id)
            .Select(h => new ServiceLine(h.Id, h.StartAt, h.EndAt, h.Minutes, h.Kind, h.ActivityId, h.Activity!.Title, h.Description,
                h.CommunityId, h.Community.NameZh, h.Community.NameEn, h.Community.Street.NameZh, h.Community.Street.NameEn));
    }

    /// <summary>
    /// The manager's view of one person: approved hours in <paramref name="communities"/> (one aggregate query) and the
    /// <paramref name="recent"/> latest records there (one query, community names joined in), read without tracking.
    /// </summary>
    public async Task<PersonHours> ForManagerAsync(string userId, IReadOnlyList<int> communities, int recent, bool english, CancellationToken ct)
    {
        var theirs = db.HoursRecords.AsNoTracking().Where(h => h.UserId == userId && communities.Contains(h.CommunityId));
        var approved = await theirs.Where(h => h.State == HoursState.Approved).GroupBy(h => h.UserId)
            .Select(g => new { Minutes = g.Sum(h => h.Minutes), Count = g.Count() }).SingleOrDefaultAsync(ct);
        var rows = await theirs.OrderByDescending(h => h.StartAt).ThenByDescending(h => h.Id).Take(recent)
            .Select(h => new PersonHoursRow(h.Id, h.Kind, h.Activity!.Title, h.Description, english ? h.Community.NameEn : h.Community.NameZh,
                h.StartAt, h.EndAt, h.Minutes, h.State))
            .ToListAsync(ct);
        return new PersonHours(approved?.Minutes ?? 0, approved?.Count ?? 0, rows);
    }

    public IReadOnlyList<MonthTotal> ByMonth(IEnumerable<ServiceLine> lines) =>
        lines.GroupBy(l => { var d = time.LocalDate(l.StartAt); return (d.Year, d.Month); })
            .OrderByDescending(g => g.Key.Year).ThenByDescending(g => g.Key.Month)
            .Select(g => new MonthTotal(g.Key.Year, g.Key.Month, g.Sum(l => l.Minutes)))
            .ToList();
}
