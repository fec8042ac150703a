using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Manage;

/// <summary>
/// Views of one scope share a reading for a few seconds; a change saved through the site shows at once, a change made
/// elsewhere (here: plain SQL, as another node or a set-based sweep would) within the lifetime.
/// </summary>
public sealed class DashboardCacheTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public DashboardCacheTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task ViewsShareAReadingForTheLifetime_AndASaveThroughTheSiteShowsAtOnce()
    {
        var community = (await _site.CreateCommunityAsync("cached")).Id;
        await _site.CreateUserAsync("mgr-cache@example.cn", "管理员", roles: Roles.CommunityManager);
        var first = await _site.CreateUserAsync("cache-a@example.cn", "申请甲");
        var second = await _site.CreateUserAsync("cache-b@example.cn", "申请乙");
        var admission = await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "mgr-cache@example.cn").Id, CommunityId = community });
            var a = Admission.Apply(first.Id, community, RoleTrack.Volunteer, _site.Clock.GetUtcNow().UtcDateTime);
            db.Admissions.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
        var manager = _site.CreateBrowserClient();
        await manager.SignInAsync("mgr-cache@example.cn");
        async Task<(string Applied, string ReadAt)> ViewAsync()
        {
            var page = await manager.GetDocumentAsync($"/manage?community={community}");
            return (page.QuerySelector("tr[data-state='Applied'] td")!.TextContent.Trim(), page.QuerySelector("main p.muted.small")!.TextContent);
        }

        var before = await ViewAsync();
        Assert.Equal("1", before.Applied);

        // Withdrawn behind the site's back: the counters' triggers follow, the shared reading does not, yet.
        await _site.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"Admissions\" SET \"State\" = 'Withdrawn' WHERE \"Id\" = {admission}"));
        _site.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(before, await ViewAsync());

        _site.Clock.Advance(TimeSpan.FromSeconds(6));
        var later = await ViewAsync();
        Assert.Equal("0", later.Applied);
        Assert.NotEqual(before.ReadAt, later.ReadAt);

        // Saved through the site: the next view reads afresh without waiting.
        await _site.WithDbAsync(db =>
        {
            db.Admissions.Add(Admission.Apply(second.Id, community, RoleTrack.Volunteer, _site.Clock.GetUtcNow().UtcDateTime));
            return db.SaveChangesAsync();
        });
        Assert.Equal("1", (await ViewAsync()).Applied);
    }
}
