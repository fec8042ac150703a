using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Hours;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>The site, counting the SQL commands it runs: a page whose count grows with the rows it shows has an N+1.</summary>
public sealed class CountingSite : SiteFactory
{
    public CountingSite() =>
        WithServices(services => services.ConfigureDbContext<AppDbContext>(options => options.AddInterceptors(Commands)));

    public CommandCounter Commands { get; } = new();
}

public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }
}

/// <summary>The manager's hours list, paged past what one page shows, and a person's hours on the manager's person page.</summary>
public sealed class HoursListTests : IClassFixture<CountingSite>
{
    private readonly CountingSite _site;

    public HoursListTests(CountingSite site) => _site = site;

    /// <summary>Off-site records of a person in a community, ending before the site's now; <paramref name="approve"/> approves the first ones.</summary>
    private Task<List<long>> RecordsAsync(string userId, int communityId, int count, int approve = 0, int hoursEach = 2, string? decidedBy = null) =>
        _site.WithDbAsync(async db =>
        {
            var now = _site.Clock.GetUtcNow().UtcDateTime;
            var records = Enumerable.Range(0, count).Select(i =>
            {
                // Three records share each start, so the page order must break ties (by id) to be stable.
                var start = now.AddDays(-1 - i / 3).AddHours(-hoursEach);
                return HoursRecord.OffSite(userId, communityId, start, start.AddHours(hoursEach), $"入户探访 {i}", now);
            }).ToList();
            foreach (var record in records.Take(approve))
            {
                record.Approve(decidedBy ?? userId, now);
            }
            db.HoursRecords.AddRange(records);
            await db.SaveChangesAsync();
            return records.Select(r => r.Id).ToList();
        });

    [Fact]
    public async Task TheHoursList_PagesThroughMoreThanFiveHundredRecords_InTheSameOrderAsTheWholeList()
    {
        var community = await _site.CreateCommunityAsync("hours-many");
        var manager = await _site.ManagerOfAsync("mgr-hours-many@example.cn", community.Id);
        foreach (var (email, count) in new[] { ("many-a@example.cn", 260), ("many-b@example.cn", 200), ("many-c@example.cn", 63) })
        {
            var user = await _site.CreateUserAsync(email, "时长 " + email);
            await RecordsAsync(user.Id, community.Id, count);
        }
        var expected = await _site.WithDbAsync(db => db.HoursRecords
            .Where(h => h.CommunityId == community.Id && h.State == HoursState.Pending)
            .OrderBy(h => h.StartAt).ThenBy(h => h.Id).Select(h => h.Id).ToListAsync());
        Assert.Equal(523, expected.Count);

        var seen = new List<long>();
        var url = $"/manage/hours?community={community.Id}";
        var pages = 0;
        while (url is not null)
        {
            var page = await manager.GetDocumentAsync(url);
            var rows = page.QuerySelectorAll("tr[data-hours]").Select(r => long.Parse(r.GetAttribute("data-hours")!)).ToList();
            Assert.InRange(rows.Count, 1, HoursController.PageSize);
            seen.AddRange(rows);
            pages++;
            Assert.Contains("共 523 条", page.Body!.TextContent);
            Assert.Contains($"第 {pages} / 6 页", page.QuerySelector("nav.pager")!.TextContent);
            url = page.QuerySelectorAll("nav.pager a").FirstOrDefault(a => a.TextContent.Contains("下一页"))?.GetAttribute("href");
        }

        Assert.Equal(6, pages);
        Assert.Equal(expected, seen);
        // A page past the end shows the last one; the filter's state stays in the links.
        var beyond = await manager.GetDocumentAsync($"/manage/hours?community={community.Id}&state=Pending&page=99");
        Assert.Equal(expected.Skip(500), beyond.QuerySelectorAll("tr[data-hours]").Select(r => long.Parse(r.GetAttribute("data-hours")!)));
        Assert.Contains("state=Pending", beyond.QuerySelector("nav.pager a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ThePersonPage_ShowsApprovedHoursInTheManagersCommunities_AndTheLatestRecords_InAFixedNumberOfQueries()
    {
        var community = await _site.CreateCommunityAsync("hours-person");
        var elsewhere = await _site.CreateCommunityAsync("hours-person-elsewhere");
        var manager = await _site.ManagerOfAsync("mgr-hours-person@example.cn", community.Id);
        async Task<string> PersonAsync(string email)
        {
            var user = await _site.CreateUserAsync(email, "时长 " + email);
            await _site.WithDbAsync(async db =>
            {
                db.Admissions.Add(Admission.Apply(user.Id, community.Id, RoleTrack.Volunteer, _site.Clock.GetUtcNow().UtcDateTime));
                return await db.SaveChangesAsync();
            });
            return user.Id;
        }
        var few = await PersonAsync("hours-few@example.cn");
        await RecordsAsync(few, community.Id, 3, approve: 1);
        var many = await PersonAsync("hours-many@example.cn");
        // 25 records here, 18 of them approved (2 h each = 36 h); 5 approved records in a community this manager does not manage.
        var manyIds = await RecordsAsync(many, community.Id, 25, approve: 18);
        await RecordsAsync(many, elsewhere.Id, 5, approve: 5);
        await manager.GetStringAsync($"/manage/people/{few}");

        var before = _site.Commands.Count;
        var fewPage = await manager.GetDocumentAsync($"/manage/people/{few}");
        var fewCommands = _site.Commands.Count - before;
        before = _site.Commands.Count;
        var manyPage = await manager.GetDocumentAsync($"/manage/people/{many}");
        var manyCommands = _site.Commands.Count - before;

        Assert.Equal("在你管理的社区已审核的时长：2 小时（1 条记录）。", fewPage.QuerySelector("[data-approved-minutes]")!.TextContent);
        Assert.Equal("120", fewPage.QuerySelector("[data-approved-minutes]")!.GetAttribute("data-approved-minutes"));
        Assert.Equal(3, fewPage.QuerySelectorAll("tr[data-hours]").Length);
        Assert.Equal("在你管理的社区已审核的时长：36 小时（18 条记录）。", manyPage.QuerySelector("[data-approved-minutes]")!.TextContent);
        var expectedRecent = await _site.WithDbAsync(db => db.HoursRecords.Where(h => h.UserId == many && h.CommunityId == community.Id)
            .OrderByDescending(h => h.StartAt).ThenByDescending(h => h.Id).Take(10).Select(h => h.Id).ToListAsync());
        Assert.Equal(expectedRecent, manyPage.QuerySelectorAll("tr[data-hours]").Select(r => long.Parse(r.GetAttribute("data-hours")!)));
        Assert.All(expectedRecent, id => Assert.Contains(id, manyIds));
        Assert.Contains("已审核", manyPage.QuerySelector("tr[data-hours]")!.TextContent);
        Assert.NotNull(manyPage.QuerySelector($"a[href='/manage/hours?person={many}&state=Approved']"));
        // The same queries for 3 records as for 25 (and 5 elsewhere): nothing is read per row.
        Assert.Equal(fewCommands, manyCommands);
    }
}
