namespace Practitioners.Web.Infrastructure.Web;

public static class RepositorySettings
{
    /// <summary>
    /// In Development the repository's root <c>appsettings.Development.json</c> is the development configuration:
    /// one file a newcomer edits, next to the README, rather than one hidden inside the project folder.
    /// </summary>
    public static WebApplicationBuilder AddRepositorySettings(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            return builder;
        }

        var root = FindRepositoryRoot(builder.Environment.ContentRootPath);
        if (root is null)
        {
            return builder;
        }

        var file = Path.Combine(root, "appsettings.Development.json");
        var sources = builder.Configuration.Sources;
        // Insert just after the project's own appsettings files so environment variables and the command line still win.
        var index = sources.Count;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource json
                && json.Path is { } p && p.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                index = i + 1;
            }
        }
        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = file,
            Optional = false,
            ReloadOnChange = true,
        };
        source.ResolveFileProvider();
        sources.Insert(index, source);
        builder.Configuration["Repository:Root"] = root;
        return builder;
    }

    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Practitioners.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
