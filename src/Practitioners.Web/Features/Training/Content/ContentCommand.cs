using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Training.Content;

/// <summary>
/// <c>content check [folder]</c>: validates content/ without starting the site and prints every problem as
/// <c>file:line: message</c>, so authors (and CI) can check an edit before it is deployed.
/// </summary>
public static class ContentCommand
{
    private const string Usage = """
        Usage: content check [folder]
          Validates the training content and prints each problem as file:line: message.
          folder defaults to content/ in the repository (the folder holding Practitioners.sln).
        Exit code: 0 no problems, 1 problems found, 2 usage error.
        """;

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "content";

    public static int Run(string[] args, TextWriter output)
    {
        if (args is not ["content", "check"] and not ["content", "check", _])
        {
            output.WriteLine(Usage);
            return 2;
        }

        var folder = args.Length == 3 ? Resolve(args[2]) : DefaultFolder();
        var result = ContentReader.Read(folder);
        foreach (var problem in result.Problems)
        {
            var file = problem.File == "." ? folder : Path.Join(folder, problem.File);
            output.WriteLine($"{file}:{problem.Line}: {problem.Message}");
        }
        var content = result.Content;
        output.WriteLine($"content check: {content.Modules.Count} modules, {content.Paths.Count} paths, "
            + $"{content.Agreements.Count} agreements, {result.Problems.Count} problems");
        return result.Problems.Count == 0 ? 0 : 1;
    }

    private static string DefaultFolder() =>
        RepositorySettings.FindRepositoryRoot(Directory.GetCurrentDirectory()) is { } root
            ? Path.Combine(root, "content")
            : "content";

    // `dotnet run --project src/Practitioners.Web -- content check content` runs in the project folder
    // (RunWorkingDirectory), so a relative folder that is not found there is looked for from the repository root.
    private static string Resolve(string folder)
    {
        if (Directory.Exists(folder) || Path.IsPathRooted(folder))
        {
            return folder;
        }
        var root = RepositorySettings.FindRepositoryRoot(Directory.GetCurrentDirectory());
        return root is not null && Directory.Exists(Path.Combine(root, folder)) ? Path.Combine(root, folder) : folder;
    }
}
