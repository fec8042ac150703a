using System.Text.RegularExpressions;
using Practitioners.Web.Infrastructure.Localization;

using Practitioners.TestSupport;

namespace Practitioners.UnitTests.Infrastructure;

public sealed partial class StringTableTests
{
    private readonly StringTable _table = new();

    [Fact]
    public void BothLanguages_HaveTheSameKeys()
    {
        var zh = _table.For(Cultures.Chinese).Keys.ToHashSet();
        var en = _table.For(Cultures.English).Keys.ToHashSet();
        Assert.Empty(zh.Except(en));
        Assert.Empty(en.Except(zh));
    }

    [Fact]
    public void NoValue_IsEmpty_AndPlaceholdersMatchAcrossLanguages()
    {
        foreach (var (key, zh) in _table.For(Cultures.Chinese))
        {
            var en = _table.Find(key, Cultures.English)!;
            Assert.False(string.IsNullOrWhiteSpace(zh), key);
            Assert.False(string.IsNullOrWhiteSpace(en), key);
            Assert.Equal(Placeholders(zh), Placeholders(en));
        }
    }

    /// <summary>Every literal key the code and views ask for exists, so no page shows a raw key.</summary>
    [Fact]
    public void EveryKeyUsedInSource_Exists()
    {
        var source = Path.Combine(Repository.Root, "src", "Practitioners.Web");
        var files = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var missing = new List<string>();
        var used = 0;
        foreach (var file in files)
        {
            foreach (Match m in KeyUse().Matches(File.ReadAllText(file)))
            {
                used++;
                var key = m.Groups["key"].Value;
                if (_table.Find(key, Cultures.Chinese) is null)
                {
                    missing.Add($"{Path.GetFileName(file)}: {key}");
                }
            }
        }
        Assert.True(used > 100, $"Only {used} key uses were found: the pattern no longer matches the code.");
        Assert.Empty(missing);
    }

    private static string Placeholders(string s) =>
        string.Join(",", Regex.Matches(s, @"\{\d\}").Select(m => m.Value).Order());

    [GeneratedRegex("""(?:\b[Ll]\[|ErrorMessage = |Name = |new\("|RequirementItem\(")"(?<key>[A-Z][A-Za-z]+\.[A-Za-z0-9.]+)"[\],)]""")]
    private static partial Regex KeyUse();
}
