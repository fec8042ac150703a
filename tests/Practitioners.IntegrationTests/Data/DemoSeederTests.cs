using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Data.Seeding;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.IntegrationTests.Data;

public sealed class DemoSeederTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public DemoSeederTests()
    {
        _site.With("Seeding:DemoData", "true").With("Seeding:Folder", Path.Combine(Repository.Root, "seeds"));
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task DemoData_LoadsStreetsCommunitiesAndOneAccountPerRole_AndASecondRunAddsNothing()
    {
        _ = _site.Server; // starts the site, which seeds once
        var first = await CountsAsync();

        await _site.WithScopeAsync(sp => sp.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None));
        var second = await CountsAsync();

        Assert.True(first.Streets >= 2 && first.Communities >= 4, $"{first}");
        Assert.Equal(first, second);
        foreach (var role in Roles.All)
        {
            Assert.True(await _site.WithDbAsync(db => db.UserRoles.AnyAsync(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role))), role);
        }
        // Every community has a manager of its own.
        Assert.True(await _site.WithDbAsync(db => db.Communities.AllAsync(c => db.ManagerAssignments.Any(a => a.CommunityId == c.Id))));
    }

    [Fact]
    public async Task DemoAccounts_CanSignIn_WithThePasswordInTheReadme()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        Assert.Contains("Practitioners-Demo-2026", readme);
        var client = _site.CreateBrowserClient(followRedirects: false);

        var response = await client.SignInAsync("volunteer@demo.practitioners.cn", "Practitioners-Demo-2026");

        Assert.Equal("/me", response.Headers.Location!.OriginalString);
    }

    private Task<Counts> CountsAsync() => _site.WithDbAsync(async db => new Counts(
        await db.Streets.CountAsync(), await db.Communities.CountAsync(), await db.Users.CountAsync(),
        await db.ManagerAssignments.CountAsync(), await db.Admissions.CountAsync(), await db.UserRoles.CountAsync()));

    private sealed record Counts(int Streets, int Communities, int Users, int Managers, int Admissions, int UserRoles);
}
