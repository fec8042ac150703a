using System.Text;
using CsCheck;

namespace Practitioners.UnitTests.Features.Training;

/// <summary>
/// Property-based tests of the content reader: whatever an author (or a broken editor) leaves in a YAML or Markdown file,
/// the reader answers with problems (file, line, message) and holds the item back; it never throws.
/// </summary>
public sealed class ContentReaderPropertyTests : IDisposable
{
    private readonly SampleContent sample = new();

    public void Dispose() => sample.Dispose();

    /// <summary>Every kind of file the reader parses, in the sample folder.</summary>
    private static readonly string[] Files =
    [
        $"{SampleContent.Module}/module.yaml",
        $"{SampleContent.Module}/questions.yaml",
        $"{SampleContent.Module}/lessons/01.zh-CN.md",
        $"{SampleContent.Module}/lessons/02.en.md",
        "paths.yaml",
        "agreements/sample-agreement/agreement.yaml",
        "agreements/sample-agreement/v1/zh-CN.md",
        "agreements/sample-template/v1/en.md",
    ];

    /// <summary>Pieces of YAML and Markdown syntax, so edits make near-misses rather than noise.</summary>
    private static readonly string[] Tokens =
    [
        ":", ": ", "- ", "-", "[", "]", "{", "}", ",", "\"", "'", "#", "&a ", "*a", "!!int ", "!!str ", "!x ", "|", ">", "---", "...",
        "\n", "\r\n", "\t", "  ", "? ", "%YAML 1.2\n", "<<: *a", "~", "null", "true", "yes", "0x1F", "1e999", "99999999999999999999",
        "-1", "0", "中文", "\u0000", "\uFEFF", "{{study.title}}", "{{", "}}", "](", "[x](", "](02.zh-CN.md#)", "<script>", "```",
        "id", "version", "title", "questions", "options", "correct", "type", "single", "multiple", "truefalse", "zh-CN", "en", "roles",
    ];

    private sealed record Edit(double At, int Delete, string Insert);

    private static readonly Gen<Edit> AnEdit = Gen.Select(Gen.Double.Unit, Gen.Int[0, 8],
        Gen.OneOf<string>(Gen.OneOf<string>(Tokens), Gen.String[Gen.Char[":-[]{}\"'#&*!|>\n \t中a1"], 0, 6]),
        (at, delete, insert) => new Edit(at, delete, insert));

    private static string Apply(string text, Edit[] edits)
    {
        var sb = new StringBuilder(text);
        foreach (var e in edits)
        {
            var at = (int)(e.At * sb.Length);
            sb.Remove(at, Math.Min(e.Delete, sb.Length - at)).Insert(at, e.Insert);
        }
        return sb.ToString();
    }

    [Fact]
    public void Read_WithAFileEditedAtRandom_NeverThrows_AndReportsWhatItHoldsBack() =>
        Gen.Select(Gen.Int[0, Files.Length - 1], AnEdit.Array[1, 6]).Sample(t =>
        {
            var file = Files[t.Item1];
            var original = File.ReadAllText(Path.Combine(sample.Folder, file));
            try
            {
                sample.Write(file, Apply(original, t.Item2));
                CheckResult(sample.Read());
            }
            finally
            {
                sample.Write(file, original);
            }
        }, iter: 600, threads: 1, print: t => $"{Files[t.Item1]}: {string.Join("; ", t.Item2.Select(e => $"at {e.At:0.###} -{e.Delete} +[{e.Insert}]"))}");

    [Fact]
    public void Read_WithAFileOfArbitraryText_NeverThrows_AndReportsWhatItHoldsBack() =>
        Gen.Select(Gen.Int[0, Files.Length - 1], Gen.OneOf<string>(
                Gen.String[Gen.Char[":-[]{}\"'#&*!|>%@`\n\r \t中a1.,?~<"], 0, 200],
                Gen.OneOf<string>(Tokens).Array[0, 40].Select(parts => string.Concat(parts))))
            .Sample(t =>
            {
                var file = Files[t.Item1];
                var original = File.ReadAllText(Path.Combine(sample.Folder, file));
                try
                {
                    sample.Write(file, t.Item2);
                    CheckResult(sample.Read());
                }
                finally
                {
                    sample.Write(file, original);
                }
            }, iter: 300, threads: 1, print: t => $"{Files[t.Item1]}: [{t.Item2.Replace("\n", "\\n")}]");

    [Fact]
    public void Read_WithAFileOfArbitraryBytes_NeverThrows_AndReportsWhatItHoldsBack() =>
        Gen.Select(Gen.Int[0, Files.Length - 1], Gen.Byte.Array[0, 300]).Sample(t =>
        {
            var path = Path.Combine(sample.Folder, Files[t.Item1]);
            var original = File.ReadAllBytes(path);
            try
            {
                File.WriteAllBytes(path, t.Item2);
                CheckResult(sample.Read());
            }
            finally
            {
                File.WriteAllBytes(path, original);
            }
        }, iter: 300, threads: 1);

    /// <summary>
    /// Problems name a file and a line; whatever is held back is explained by a problem; a module or agreement whose
    /// files have a problem is held back; and with no problem the sample is read whole.
    /// </summary>
    private static void CheckResult(Practitioners.Web.Features.Training.Content.ContentReadResult result)
    {
        Assert.All(result.Problems, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.File));
            Assert.True(p.Line >= 1, p.ToString());
            Assert.False(string.IsNullOrWhiteSpace(p.Message));
        });
        if (result.HeldBack.Count > 0)
        {
            Assert.NotEmpty(result.Problems);
        }
        if (result.Problems.Count == 0)
        {
            Assert.Equal((2, 3, 2), (result.Content.Modules.Count, result.Content.Paths.Count, result.Content.Agreements.Count));
        }
        foreach (var item in new[] { "modules/sample-basics", "agreements/sample-agreement", "agreements/sample-template" })
        {
            if (result.Problems.Any(p => p.File.StartsWith(item + "/", StringComparison.Ordinal)))
            {
                Assert.Contains(item.Split('/')[1], result.HeldBack);
            }
        }
        Assert.All(result.Content.Modules, m => Assert.DoesNotContain(m.Id, result.HeldBack));
        Assert.All(result.Content.Agreements, a => Assert.DoesNotContain(a.Id, result.HeldBack));
    }
}
