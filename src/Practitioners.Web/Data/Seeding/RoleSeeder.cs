using Microsoft.AspNetCore.Identity;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.Web.Data.Seeding;

/// <summary>The site's roles exist in every environment; adding a missing one is the only change it makes.</summary>
public sealed class RoleSeeder(RoleManager<IdentityRole> roles)
{
    public async Task SeedAsync()
    {
        foreach (var name in Roles.All)
        {
            if (await roles.FindByNameAsync(name) is null)
            {
                await roles.CreateAsync(new IdentityRole(name));
            }
        }
    }
}
