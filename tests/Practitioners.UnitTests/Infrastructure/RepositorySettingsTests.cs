using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Practitioners.TestSupport;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.UnitTests.Infrastructure;

public sealed class RepositorySettingsTests
{
    [Fact]
    public void Development_LoadsTheRootDevelopmentFile()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = Path.Combine(Repository.Root, "src", "Practitioners.Web"),
        });

        builder.AddRepositorySettings();

        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "appsettings.Development.json")));
        var banner = file.RootElement.GetProperty("Site").GetProperty("Banner").GetString();
        Assert.False(string.IsNullOrEmpty(banner));
        Assert.Equal(banner, builder.Configuration["Site:Banner"]);
        Assert.Equal(file.RootElement.GetProperty("ConnectionStrings").GetProperty("Default").GetString(),
            builder.Configuration.GetConnectionString("Default"));
    }

    [Fact]
    public void OtherEnvironments_DoNotLoadIt()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = Path.Combine(Repository.Root, "src", "Practitioners.Web"),
        });

        builder.AddRepositorySettings();

        Assert.Null(builder.Configuration["Site:Banner"]);
    }
}
