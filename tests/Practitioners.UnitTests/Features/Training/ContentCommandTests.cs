using Practitioners.TestSupport;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.UnitTests.Features.Training;

public sealed class ContentCommandTests
{
    [Fact]
    public void Run_OnTheShippedContent_ReturnsZero()
    {
        var output = new StringWriter();

        var exitCode = ContentCommand.Run(["content", "check", Path.Combine(Repository.Root, "content")], output);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Equal("content check: 16 modules, 3 paths, 4 agreements, 0 problems", output.ToString().Trim());
    }

    [Fact]
    public void Run_OnABrokenCopy_ReturnsOne_AndPrintsFileAndLine()
    {
        using var sample = new SampleContent();
        sample.Replace($"{SampleContent.Module}/questions.yaml", "  - id: q2", "  - id: q1");
        sample.Replace("agreements/sample-template/v1/en.md", "{{study.lead}}", "{{study.leader}}");

        var output = new StringWriter();
        var exitCode = ContentCommand.Run(["content", "check", sample.Folder], output);

        Assert.Equal(1, exitCode);
        var lines = output.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Contains($"{Path.Join(sample.Folder, "modules/sample-basics/questions.yaml")}:12: question q1: the id is already used by the question on line 2",
            lines);
        Assert.Contains(lines, l => l.StartsWith($"{Path.Join(sample.Folder, "agreements/sample-template/v1/en.md")}:5: unknown placeholder", StringComparison.Ordinal));
        Assert.All(lines[..^1], l => Assert.Matches(@"^.+:\d+: .+$", l));
        Assert.Equal($"content check: 1 modules, 3 paths, 1 agreements, {lines.Length - 1} problems", lines[^1]);
    }

    [Theory]
    [InlineData("content")]
    [InlineData("content", "publish")]
    [InlineData("content", "check", "a", "b")]
    public void Run_WithAnUnknownSubCommand_PrintsUsageAndReturnsTwo(params string[] args)
    {
        var output = new StringWriter();

        Assert.Equal(2, ContentCommand.Run(args, output));
        Assert.StartsWith("Usage: content check [folder]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Handles_OnlyTheContentCommand()
    {
        Assert.True(ContentCommand.Handles(["content", "check"]));
        Assert.False(ContentCommand.Handles([]));
        Assert.False(ContentCommand.Handles(["--urls", "http://localhost:5000"]));
    }
}
