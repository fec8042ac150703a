using Practitioners.Web.Features.Training.Content;

namespace Practitioners.UnitTests.Features.Training;

/// <summary>
/// A small, valid content/ folder in a temporary directory: two modules, the three paths, an agreement and a template.
/// Each test breaks one piece of it. Line numbers in the files below are relied on by the tests.
/// </summary>
internal sealed class SampleContent : IDisposable
{
    public const string Module = "modules/sample-basics";

    public SampleContent()
    {
        Folder = Path.Combine(Path.GetTempPath(), "practitioners-content-" + Guid.NewGuid().ToString("N"));
        foreach (var (file, text) in Files)
        {
            Write(file, text);
        }
    }

    public string Folder { get; }

    public ContentReadResult Read() => ContentReader.Read(Folder);

    public void Write(string file, string text)
    {
        var path = Path.Combine(Folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Replace(string file, string oldText, string newText)
    {
        var text = File.ReadAllText(Path.Combine(Folder, file));
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Folder, file), text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public void Delete(string file) => File.Delete(Path.Combine(Folder, file));

    public void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, from), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(Folder, from), file);
            Write(Path.Combine(to, relative), File.ReadAllText(file));
        }
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static readonly Dictionary<string, string> Files = new()
    {
        [$"{Module}/module.yaml"] = ModuleYaml("sample-basics", refresher: false),
        [$"{Module}/lessons/01.zh-CN.md"] = """
            ---
            title: 第一课
            ---
            第一段正文。

            下一课见[第二课](02.zh-CN.md#开始)，也可以看[网站](https://example.org)。
            """,
        [$"{Module}/lessons/01.en.md"] = """
            ---
            title: Lesson one
            ---
            The first paragraph.

            See [the website](https://example.org) or [write to us](mailto:team@example.org).
            """,
        [$"{Module}/lessons/02.zh-CN.md"] = "---\ntitle: 第二课\n---\n## 开始\n\n第二课正文。\n",
        [$"{Module}/lessons/02.en.md"] = "---\ntitle: Lesson two\n---\n## Start\n\nThe second lesson.\n",
        [$"{Module}/questions.yaml"] = """
            questions:
              - id: q1
                type: single
                text: { zh-CN: 单选题, en: Single choice }
                options:
                  - id: a
                    text: { zh-CN: 对, en: Right }
                    correct: true
                  - id: b
                    text: { zh-CN: 错, en: Wrong }
                explanation: { zh-CN: 解析, en: Explanation }
              - id: q2
                type: multiple
                text: { zh-CN: 多选题, en: Multiple choice }
                options:
                  - id: a
                    text: { zh-CN: 甲, en: A }
                    correct: true
                  - id: b
                    text: { zh-CN: 乙, en: B }
                    correct: true
                  - id: c
                    text: { zh-CN: 丙, en: C }
                explanation: { zh-CN: 解析, en: Explanation }
              - id: q3
                type: truefalse
                text: { zh-CN: 判断题, en: A statement }
                answer: false
                explanation: { zh-CN: 解析, en: Explanation }
            """,
        ["modules/sample-refresher/module.yaml"] = ModuleYaml("sample-refresher", refresher: true),
        ["modules/sample-refresher/lessons/01.zh-CN.md"] = "---\ntitle: 复训\n---\n复训正文。\n",
        ["modules/sample-refresher/lessons/01.en.md"] = "---\ntitle: Refresher\n---\nThe refresher.\n",
        ["modules/sample-refresher/questions.yaml"] = """
            questions:
              - id: q1
                type: truefalse
                text: { zh-CN: 判断题一, en: Statement one }
                answer: true
                explanation: { zh-CN: 解析, en: Explanation }
              - id: q2
                type: truefalse
                text: { zh-CN: 判断题二, en: Statement two }
                answer: false
                explanation: { zh-CN: 解析, en: Explanation }
              - id: q3
                type: truefalse
                text: { zh-CN: 判断题三, en: Statement three }
                answer: true
                explanation: { zh-CN: 解析, en: Explanation }
            """,
        ["paths.yaml"] = """
            paths:
              V:
                initial: [sample-basics]
                refresher: [sample-refresher]
              P:
                initial: [sample-basics]
                refresher: [sample-refresher]
              R:
                initial: [sample-basics]
                refresher: [sample-refresher]
            """,
        ["agreements/sample-agreement/agreement.yaml"] = """
            id: sample-agreement
            title: { zh-CN: 示例协议, en: Sample agreement }
            roles: [Volunteer]
            countersignature: false
            reacceptanceMonths: 12
            template: false
            versions:
              - version: 1
                effective: 2026-01-01
                material: true
                changes: { zh-CN: 首次发布, en: First release }
            """,
        ["agreements/sample-agreement/v1/zh-CN.md"] = "# 示例协议\n\n我同意。\n",
        ["agreements/sample-agreement/v1/en.md"] = "# Sample agreement\n\nI agree.\n",
        ["agreements/sample-template/agreement.yaml"] = """
            id: sample-template
            title: { zh-CN: 研究数据使用协议, en: Study data use agreement }
            roles: [Researcher]
            countersignature: false
            template: true
            versions:
              - version: 1
                effective: 2026-01-01
                material: true
                changes: { zh-CN: 首次发布, en: First release }
            """,
        ["agreements/sample-template/v1/zh-CN.md"] = "# 协议\n\n研究项目：{{study.title}}\n\n负责人：{{study.lead}}\n",
        ["agreements/sample-template/v1/en.md"] = "# Agreement\n\nStudy: {{study.title}}\n\nLead: {{study.lead}}\n",
    };

    private static string ModuleYaml(string id, bool refresher) => $"""
        id: {id}
        version: 1
        title:
          zh-CN: 示例模块
          en: Sample module
        summary:
          zh-CN: 用于测试的示例模块。
          en: A sample module for tests.
        roles: [Volunteer, ServiceProvider, Researcher]
        estimatedMinutes: 20
        passMarkPercent: 80
        questionsPerAttempt: 3
        maxAttempts: 3
        cooldownMinutes: 60
        refresher: {(refresher ? "true" : "false")}
        """;
}
