using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.UnitTests.Features.Training;

public sealed class ContentReaderTests : IDisposable
{
    private const string Manifest = $"{SampleContent.Module}/module.yaml";
    private const string Questions = $"{SampleContent.Module}/questions.yaml";

    private readonly SampleContent sample = new();

    public void Dispose() => sample.Dispose();

    [Fact]
    public void Read_ShippedContent_HasNoProblems()
    {
        var result = ContentReader.Read(Path.Combine(Repository.Root, "content"));

        Assert.True(result.Problems.Count == 0, string.Join('\n', result.Problems));
        Assert.Empty(result.HeldBack);
        Assert.Equal(16, result.Content.Modules.Count);
        Assert.Equal(3, result.Content.Paths.Count);
        Assert.Equal(4, result.Content.Agreements.Count);
        Assert.Equal(result.Content.Modules.Select(m => m.Id).Order(StringComparer.Ordinal), result.Content.Modules.Select(m => m.Id));
        Assert.All(result.Content.Modules, m => Assert.Matches("^[0-9a-f]{64}$", m.ContentHash));
    }

    [Fact]
    public void Read_Sample_HasNoProblems_AndGivesTrueFalseQuestionsTwoOptions()
    {
        var result = sample.Read();

        Assert.True(result.Problems.Count == 0, string.Join('\n', result.Problems));
        Assert.Equal(["sample-basics", "sample-refresher"], result.Content.Modules.Select(m => m.Id));
        var module = result.Content.Modules[0];
        Assert.Equal([1, 2], module.Lessons.Select(l => l.Number));
        Assert.Equal(new LocalizedText("第一课", "Lesson one"), module.Lessons[0].Title);
        Assert.StartsWith("第一段正文。", module.Lessons[0].Markdown.Zh, StringComparison.Ordinal);
        Assert.Equal(RoleTracks.All, module.Roles);
        var trueFalse = module.Questions.Single(q => q.Type == QuestionType.TrueFalse);
        Assert.Equal([("true", "正确", "True", false), ("false", "错误", "False", true)],
            trueFalse.Options.Select(o => (o.Id, o.Text.Zh, o.Text.En, o.Correct)));
        Assert.Equal(['V', 'P', 'R'], result.Content.Paths.Select(p => p.CredentialType));
        Assert.Equal(["sample-agreement", "sample-template"], result.Content.Agreements.Select(a => a.Id));
        var version = Assert.Single(result.Content.Agreements[0].Versions);
        Assert.Equal(new DateOnly(2026, 1, 1), version.Effective);
        Assert.Equal("I agree.", version.Text.En.Split('\n')[^1]);
    }

    [Fact]
    public void Read_WhenYamlIsMalformed_ReportsTheLine()
    {
        sample.Replace(Manifest, "  en: A sample module for tests.", "  en: A sample: module for tests.");

        var result = sample.Read();

        var problem = Assert.Single(result.Problems, p => p.File == Manifest);
        Assert.Equal(8, problem.Line);
        Assert.StartsWith("invalid YAML", problem.Message, StringComparison.Ordinal);
        Assert.Contains("sample-basics", result.HeldBack);
        Assert.DoesNotContain(result.Content.Modules, m => m.Id == "sample-basics");
    }

    [Theory]
    [InlineData("roles: [Volunteer, ServiceProvider", 10)]
    [InlineData("roles: *undefined", 1)]
    [InlineData("roles: [Volunteer]\nroles: [Researcher]", 10)]
    [InlineData("roles: [Volunteer]\n\tversion: 2", 1)]
    public void Read_WhenYamlIsMalformedInOtherWays_ReportsInsteadOfThrowing(string roles, int line)
    {
        sample.Replace(Manifest, "roles: [Volunteer, ServiceProvider, Researcher]", roles);

        var problem = Assert.Single(sample.Read().Problems, p => p.File == Manifest);

        Assert.Equal(line, problem.Line);
        Assert.StartsWith("invalid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenATranslationIsMissing_ReportsIt()
    {
        sample.Replace(Manifest, "  en: Sample module\n", "");

        var result = sample.Read();

        var problem = Assert.Single(result.Problems, p => p.File == Manifest);
        Assert.Equal(4, problem.Line);
        Assert.Equal("'title' has no en text (missing translation)", problem.Message);
    }

    [Fact]
    public void Read_WhenQuestionHasNoCorrectAnswer_ReportsItsLine()
    {
        sample.Replace(Questions, "        correct: true\n      - id: b\n        text: { zh-CN: 错, en: Wrong }",
            "      - id: b\n        text: { zh-CN: 错, en: Wrong }");

        var result = sample.Read();

        var problem = Assert.Single(result.Problems, p => p.File.StartsWith(SampleContent.Module, StringComparison.Ordinal));
        Assert.Equal((Questions, 2), (problem.File, problem.Line));
        Assert.StartsWith("question q1 has no correct answer", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTrueFalseQuestionHasNoAnswer_ReportsItsLine()
    {
        sample.Replace(Questions, "    answer: false\n", "");

        var problem = Assert.Single(sample.Read().Problems, p => p.File == Questions);

        Assert.Equal(25, problem.Line);
        Assert.StartsWith("question q3 has no correct answer", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenSingleChoiceMarksTwoOptionsCorrect_ReportsIt()
    {
        sample.Replace(Questions, "        text: { zh-CN: 错, en: Wrong }", "        text: { zh-CN: 错, en: Wrong }\n        correct: true");

        var problem = Assert.Single(sample.Read().Problems, p => p.File == Questions);

        Assert.Equal(2, problem.Line);
        Assert.Contains("marks 2 options correct", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenQuestionIdsRepeat_ReportsTheSecond()
    {
        sample.Replace(Questions, "  - id: q2", "  - id: q1");

        var problem = Assert.Single(sample.Read().Problems, p => p.File == Questions);

        Assert.Equal(12, problem.Line);
        Assert.Equal("question q1: the id is already used by the question on line 2", problem.Message);
    }

    [Fact]
    public void Read_WhenTwoModuleFoldersClaimOneId_HoldsBothBack()
    {
        sample.CopyFolder(SampleContent.Module, "modules/sample-copy");

        var result = sample.Read();

        Assert.Contains(new ContentProblem("modules/sample-copy/module.yaml", 1, "id 'sample-basics' does not match its folder name 'sample-copy'"),
            result.Problems);
        Assert.Contains(new ContentProblem(Manifest, 1, "id 'sample-basics' is also used by modules/sample-copy/module.yaml"), result.Problems);
        Assert.Contains(new ContentProblem("modules/sample-copy/module.yaml", 1, "id 'sample-basics' is also used by modules/sample-basics/module.yaml"),
            result.Problems);
        Assert.Equal(["sample-refresher"], result.Content.Modules.Select(m => m.Id));
        Assert.Superset(new HashSet<string> { "sample-basics", "sample-copy" }, (HashSet<string>)result.HeldBack);
        // The problem is reported on the path, but the path stays: the module keeps its last published version.
        Assert.Contains(new ContentProblem("paths.yaml", 3, "path V refers to module sample-basics which has problems"), result.Problems);
        Assert.Contains(result.Content.Paths, p => p.CredentialType == 'V' && p.Initial.Contains("sample-basics"));
    }

    [Fact]
    public void Read_WhenRoleIsUnknown_ReportsIt()
    {
        sample.Replace(Manifest, "roles: [Volunteer, ServiceProvider, Researcher]", "roles: [Volunteer, Parent]");

        var problem = Assert.Single(sample.Read().Problems, p => p.File == Manifest);

        Assert.Equal(9, problem.Line);
        Assert.Equal("unknown role 'Parent'; use Volunteer, ServiceProvider, Researcher", problem.Message);
    }

    [Fact]
    public void Read_WhenManifestHasUnknownKeyOrValueOutOfRange_ReportsEach()
    {
        sample.Replace(Manifest, "estimatedMinutes: 20", "estimatedMinutes: 900\npassMark: 80");

        var problems = sample.Read().Problems.Where(p => p.File == Manifest).ToList();

        Assert.Equal(
        [
            new(Manifest, 10, "'estimatedMinutes' must be a whole number from 1 to 600, not '900'"),
            new(Manifest, 11, "unknown key 'passMark'"),
        ], problems);
    }

    [Fact]
    public void Read_WhenLessonLinkIsBroken_ReportsItsLineInTheFile()
    {
        sample.Write($"{SampleContent.Module}/lessons/01.en.md", """
            ---
            title: Lesson one
            ---
            The first paragraph, with [the next lesson](02.en.md#start)
            and [the Chinese text](01.zh-CN.md).

            - See [my notes](../notes.md) for more.
            - ![A picture](picture.png)

            Then [lesson three](03.en.md) and [a site](https://example.org).
            """);

        var problems = sample.Read().Problems.Where(p => p.File.EndsWith("01.en.md", StringComparison.Ordinal)).ToList();

        Assert.Equal([7, 8, 10], problems.Select(p => p.Line));
        Assert.StartsWith("broken link ../notes.md", problems[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("broken link picture.png", problems[1].Message, StringComparison.Ordinal);
        Assert.Equal("broken link 03.en.md: this module has no lesson 03.en.md", problems[2].Message);
    }

    [Fact]
    public void Read_WhenLessonIsMissingInOneLanguage_ReportsIt()
    {
        sample.Delete($"{SampleContent.Module}/lessons/02.en.md");

        var problem = Assert.Single(sample.Read().Problems, p => p.File.StartsWith(SampleContent.Module, StringComparison.Ordinal));

        Assert.Equal(($"{SampleContent.Module}/lessons/02.zh-CN.md", 1), (problem.File, problem.Line));
        Assert.StartsWith("lesson 02 has no en version (missing translation)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenLessonsHaveAGapOrNoTitle_ReportsEach()
    {
        sample.CopyFolder($"{SampleContent.Module}/lessons", $"{SampleContent.Module}/spare");
        sample.Write($"{SampleContent.Module}/lessons/04.zh-CN.md", "---\ntitle: 第四课\n---\n正文\n");
        sample.Write($"{SampleContent.Module}/lessons/04.en.md", "---\ntitle: \"\"\n---\n\n");

        var problems = sample.Read().Problems.Where(p => p.File.Contains("/lessons/04.", StringComparison.Ordinal)).ToList();

        Assert.Equal(
        [
            new($"{SampleContent.Module}/lessons/04.en.md", 2, "'title' is empty"),
            new($"{SampleContent.Module}/lessons/04.en.md", 3, "the lesson has no text after the front matter"),
            new($"{SampleContent.Module}/lessons/04.zh-CN.md", 1, "lesson 03 is missing; lessons are numbered 01, 02, … without gaps"),
        ], problems);
    }

    [Fact]
    public void Read_WhenQuestionsPerAttemptExceedsTheBank_ReportsIt()
    {
        sample.Replace(Manifest, "questionsPerAttempt: 3", "questionsPerAttempt: 4");

        var problem = Assert.Single(sample.Read().Problems, p => p.File == Manifest);

        Assert.Equal(12, problem.Line);
        Assert.Equal("'questionsPerAttempt' is 4 but the question bank has only 3 questions", problem.Message);
    }

    [Fact]
    public void Read_WhenPathRefersToAMissingModule_ReportsItAndLeavesThePathOut()
    {
        sample.Replace("paths.yaml", "  P:\n    initial: [sample-basics]", "  P:\n    initial: [sample-basics, no-such-module]");

        var result = sample.Read();

        Assert.Equal([new("paths.yaml", 6, "path P refers to module no-such-module which does not exist")], result.Problems);
        Assert.Equal(['V', 'R'], result.Content.Paths.Select(p => p.CredentialType));
    }

    [Fact]
    public void Read_WhenPathMixesUpRefresherAndRoles_ReportsEach()
    {
        sample.Replace("modules/sample-refresher/module.yaml", "roles: [Volunteer, ServiceProvider, Researcher]", "roles: [Volunteer]");
        sample.Replace("paths.yaml", "  R:\n    initial: [sample-basics]", "  R:\n    initial: [sample-basics, sample-refresher]");

        var result = sample.Read();

        Assert.Equal(
        [
            new("paths.yaml", 7, "path P lists module sample-refresher, which is not open to ServiceProvider (roles: Volunteer)"),
            new("paths.yaml", 9, "path R lists module sample-refresher as initial training, but it is a refresher module (refresher: true)"),
            new("paths.yaml", 10, "path R lists module sample-refresher, which is not open to Researcher (roles: Volunteer)"),
        ], result.Problems);
    }

    [Fact]
    public void Read_WhenAgreementVersionTextIsMissing_ReportsItAtTheVersion()
    {
        sample.Delete("agreements/sample-agreement/v1/en.md");

        var result = sample.Read();

        Assert.Equal([new("agreements/sample-agreement/agreement.yaml", 8, "version 1: the en text is missing: v1/en.md does not exist")],
            result.Problems);
        Assert.Contains("sample-agreement", result.HeldBack);
        Assert.Equal(["sample-template"], result.Content.Agreements.Select(a => a.Id));
    }

    [Fact]
    public void Read_WhenTemplateHasAnUnknownPlaceholder_ReportsItsLine()
    {
        sample.Replace("agreements/sample-template/v1/en.md", "Lead: {{study.lead}}", "Lead: {{study.lead}}, budget {{study.budget}}");

        var problem = Assert.Single(sample.Read().Problems);

        Assert.Equal(("agreements/sample-template/v1/en.md", 5), (problem.File, problem.Line));
        Assert.StartsWith("unknown placeholder {{study.budget}}", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenAgreementThatIsNotATemplateHasAPlaceholder_ReportsIt()
    {
        sample.Replace("agreements/sample-agreement/v1/zh-CN.md", "我同意。", "我同意{{study.title}}。");

        var problem = Assert.Single(sample.Read().Problems);

        Assert.Equal(("agreements/sample-agreement/v1/zh-CN.md", 3), (problem.File, problem.Line));
    }

    [Fact]
    public void Read_WhenAFileIsMissingOrTheFolderDoesNotExist_DoesNotThrow()
    {
        sample.Delete("paths.yaml");
        sample.Delete($"{SampleContent.Module}/questions.yaml");

        var result = sample.Read();
        var missing = ContentReader.Read(Path.Combine(sample.Folder, "nowhere"));

        Assert.Equal([new(Questions, 1, "the file is missing"), new("paths.yaml", 1, "the file is missing")], result.Problems);
        Assert.Empty(result.Content.Paths);
        Assert.Single(missing.Problems);
    }

    [Fact]
    public void ContentHash_IsTheSameForCrlfAndLfCopies_AndChangesWithTheText()
    {
        using var crlf = new SampleContent();
        foreach (var file in Directory.EnumerateFiles(crlf.Folder, "*", SearchOption.AllDirectories))
        {
            File.WriteAllText(file, File.ReadAllText(file).Replace("\n", "\r\n", StringComparison.Ordinal));
        }
        using var edited = new SampleContent();
        edited.Replace($"{SampleContent.Module}/lessons/02.en.md", "The second lesson.", "The second lesson, edited.");

        var lf = sample.Read();
        var crlfResult = crlf.Read();

        Assert.Empty(crlfResult.Problems);
        Assert.Equal(lf.Content.Modules[0].ContentHash, crlfResult.Content.Modules[0].ContentHash);
        Assert.Equal(lf.Content.Modules[0].Lessons[0].Markdown, crlfResult.Content.Modules[0].Lessons[0].Markdown);
        Assert.NotEqual(lf.Content.Modules[0].ContentHash, edited.Read().Content.Modules[0].ContentHash);
    }
}
