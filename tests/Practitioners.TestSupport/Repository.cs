namespace Practitioners.TestSupport;

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Practitioners.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Practitioners.sln not found above the test folder.");
    }
}
