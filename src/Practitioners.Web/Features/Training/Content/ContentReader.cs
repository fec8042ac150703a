using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Infrastructure.Localization;
using YamlDotNet.RepresentationModel;

namespace Practitioners.Web.Features.Training.Content;

/// <summary>
/// Reads content/ (described in content/README.md) into a <see cref="ContentSet"/>. Bad input never throws: every
/// problem is reported with its file and line, so one <c>content check</c> lists them all, and a module or agreement
/// with any problem is held back while the rest is still read.
/// </summary>
public static partial class ContentReader
{
    private static readonly string[] ModuleKeys =
    [
        "id", "version", "title", "summary", "roles", "estimatedMinutes", "passMarkPercent", "questionsPerAttempt",
        "maxAttempts", "cooldownMinutes", "refresher",
    ];

    private static readonly string[] AgreementKeys =
    [
        "id", "title", "roles", "countersignature", "guardianConsentUnderAge", "reacceptanceMonths", "template", "versions",
    ];

    private static readonly string[] StudyPlaceholders =
    [
        "study.title", "study.institution", "study.lead", "study.ethicsApproval", "study.communities", "study.startDate",
        "study.endDate", "study.terms",
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly MarkdownPipeline LinkPipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    public static ContentReadResult Read(string folder)
    {
        var problems = new List<ContentProblem>();
        var heldBack = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            problems.Add(new(".", 1, $"the content folder {folder} does not exist"));
            return new(new([], [], []), problems, heldBack);
        }

        var modules = ReadAll(folder, "modules", "module.yaml", ReadModule, problems, heldBack);
        var paths = ReadPaths(folder, modules.ToDictionary(m => m.Id), heldBack, problems);
        var agreements = ReadAll(folder, "agreements", "agreement.yaml", ReadAgreement, problems, heldBack);

        var sorted = problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ToList();
        return new(new(modules, paths, agreements), sorted, heldBack);
    }

    /// <summary>One folder under modules/ or agreements/: the id its manifest claims, and the content if it had no problem.</summary>
    private sealed record Item<T>(string Folder, string? Id, int IdLine, T? Content) where T : class;

    private delegate Item<T> ItemReader<T>(string root, string folder, List<ContentProblem> problems) where T : class;

    private static List<T> ReadAll<T>(string root, string kind, string manifest, ItemReader<T> read,
        List<ContentProblem> problems, HashSet<string> heldBack) where T : class
    {
        var dir = Path.Combine(root, kind);
        if (!Directory.Exists(dir))
        {
            problems.Add(new(kind, 1, $"the {kind} folder is missing"));
            return [];
        }
        var items = Directory.EnumerateDirectories(dir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(name => read(root, name, problems))
            .ToList();

        // Two folders claiming one id are both held back: there is no telling which one the author meant.
        var clashing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clash in items.Where(i => !string.IsNullOrEmpty(i.Id)).GroupBy(i => i.Id).Where(g => g.Count() > 1))
        {
            foreach (var item in clash)
            {
                var others = string.Join(", ", clash.Where(o => o != item).Select(o => $"{kind}/{o.Folder}/{manifest}"));
                problems.Add(new($"{kind}/{item.Folder}/{manifest}", item.IdLine, $"id '{item.Id}' is also used by {others}"));
                clashing.Add(item.Folder);
            }
        }

        var valid = new List<T>();
        foreach (var item in items)
        {
            if (item.Content is not null && !clashing.Contains(item.Folder))
            {
                valid.Add(item.Content);
                continue;
            }
            heldBack.Add(item.Folder);
            if (!string.IsNullOrEmpty(item.Id))
            {
                heldBack.Add(item.Id);
            }
        }
        return valid;
    }

    private static Item<ModuleContent> ReadModule(string root, string folder, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var dir = $"modules/{folder}";
        var file = new YamlFile($"{dir}/module.yaml", problems);
        var f = new YamlFields(file, file.Parse(ReadText(root, file.Name, problems)), null, ModuleKeys);

        var id = ReadId(f, folder);
        var version = f.Int("version", 1, int.MaxValue);
        var title = f.Localized("title");
        var summary = f.Localized("summary");
        var roles = f.Roles("roles");
        var estimatedMinutes = f.Int("estimatedMinutes", 1, 600);
        var passMarkPercent = f.Int("passMarkPercent", 1, 100);
        var questionsPerAttempt = f.Int("questionsPerAttempt", 1, int.MaxValue);
        var maxAttempts = f.Int("maxAttempts", 0, int.MaxValue);
        var cooldownMinutes = f.Int("cooldownMinutes", 0, int.MaxValue);
        var refresher = f.Bool("refresher");

        var lessons = ReadLessons(root, dir, file, problems);
        var (questions, bankSize) = ReadQuestions(root, dir, problems);
        if (bankSize > 0 && questionsPerAttempt > bankSize)
        {
            f.Report("questionsPerAttempt", $"'questionsPerAttempt' is {questionsPerAttempt} but the question bank has only {bankSize} questions");
        }

        var hash = problems.Count == before ? Hash(root, dir, problems) : "";
        if (problems.Count > before)
        {
            return new(folder, id, f.LineOf("id"), null);
        }
        var module = new ModuleContent(id, version, title, summary, roles, estimatedMinutes, passMarkPercent, questionsPerAttempt,
            maxAttempts, cooldownMinutes, refresher, lessons, questions)
        {
            ContentHash = hash,
        };
        return new(folder, id, f.LineOf("id"), module);
    }

    private static string ReadId(YamlFields f, string folder)
    {
        var id = f.Text("id");
        if (id.Length == 0)
        {
            return id;
        }
        if (!IdPattern().IsMatch(id))
        {
            f.Report("id", $"id '{id}' must be lowercase letters and digits in words joined by single hyphens");
        }
        else if (id != folder)
        {
            f.Report("id", $"id '{id}' does not match its folder name '{folder}'");
        }
        return id;
    }

    private static List<LessonContent> ReadLessons(string root, string dir, YamlFile manifest, List<ContentProblem> problems)
    {
        var files = new Dictionary<(int Number, string Language), string>();
        var lessonsDir = Path.Combine(root, dir, "lessons");
        IEnumerable<string> names = Directory.Exists(lessonsDir)
            ? Directory.EnumerateFiles(lessonsDir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)
            : [];
        foreach (var name in names.Where(n => !n.StartsWith('.')))
        {
            var match = LessonFileName().Match(name);
            if (match.Success)
            {
                files[(int.Parse(match.Groups[1].ValueSpan), match.Groups[2].Value)] = name;
            }
            else
            {
                problems.Add(new($"{dir}/lessons/{name}", 1, $"unexpected file {name}: lessons are named NN.zh-CN.md and NN.en.md"));
            }
        }
        if (files.Count == 0)
        {
            manifest.Report(1, "the module has no lessons; add lessons/01.zh-CN.md and lessons/01.en.md");
            return [];
        }

        var existing = files.Values.ToHashSet(StringComparer.Ordinal);
        var numbers = files.Keys.Select(k => k.Number).Distinct().Order().ToList();
        var lessons = new List<LessonContent>();
        var expected = 1;
        foreach (var number in numbers)
        {
            var zh = files.GetValueOrDefault((number, Cultures.Chinese));
            var en = files.GetValueOrDefault((number, Cultures.English));
            var first = $"{dir}/lessons/{zh ?? en}";
            if (number < expected)
            {
                problems.Add(new(first, 1, "lessons are numbered from 01"));
            }
            else if (number > expected)
            {
                var gap = number == expected + 1 ? $"lesson {expected:00} is missing" : $"lessons {expected:00} to {number - 1:00} are missing";
                problems.Add(new(first, 1, $"{gap}; lessons are numbered 01, 02, … without gaps"));
            }
            expected = Math.Max(expected, number + 1);

            foreach (var (have, lacking) in new[] { (zh, Cultures.English), (en, Cultures.Chinese) })
            {
                if (have is not null && files.GetValueOrDefault((number, lacking)) is null)
                {
                    problems.Add(new($"{dir}/lessons/{have}", 1,
                        $"lesson {number:00} has no {lacking} version (missing translation): lessons/{number:00}.{lacking}.md does not exist"));
                }
            }
            var zhLesson = zh is null ? null : ReadLesson(root, $"{dir}/lessons/{zh}", existing, problems);
            var enLesson = en is null ? null : ReadLesson(root, $"{dir}/lessons/{en}", existing, problems);
            if (zhLesson is not null && enLesson is not null)
            {
                lessons.Add(new(number, new(zhLesson.Value.Title, enLesson.Value.Title), new(zhLesson.Value.Body, enLesson.Value.Body)));
            }
        }
        return lessons;
    }

    private static (string Title, string Body)? ReadLesson(string root, string file, HashSet<string> lessonFiles, List<ContentProblem> problems)
    {
        var text = ReadText(root, file, problems);
        if (text is null)
        {
            return null;
        }
        var lines = text.Split('\n');
        if (lines[0].TrimEnd() != "---")
        {
            problems.Add(new(file, 1, "the lesson has no front matter; start it with a line ---, then title: …, then ---"));
            return null;
        }
        var close = Array.FindIndex(lines, 1, line => line.TrimEnd() == "---");
        if (close < 0)
        {
            problems.Add(new(file, 1, "the front matter is not closed with a line ---"));
            return null;
        }

        // The front matter starts on line 2, and the body on the line after the closing ---.
        var frontMatter = new YamlFile(file, problems, lineOffset: 1);
        var fields = new YamlFields(frontMatter, frontMatter.Parse(string.Join('\n', lines[1..close]), "the front matter"), null, "title");
        var title = fields.Text("title");
        var bodyLine = close + 2;
        var body = string.Join('\n', lines[(close + 1)..]);
        if (string.IsNullOrWhiteSpace(body))
        {
            problems.Add(new(file, close + 1, "the lesson has no text after the front matter"));
        }
        CheckLinks(file, body, bodyLine, lessonFiles, problems);
        return (title, body.TrimStart('\n').TrimEnd());
    }

    private static void CheckLinks(string file, string body, int bodyLine, HashSet<string> lessonFiles, List<ContentProblem> problems)
    {
        foreach (var inline in Markdown.Parse(body, LinkPipeline).Descendants<Inline>())
        {
            var url = inline switch
            {
                LinkInline link => link.Url ?? "",
                AutolinkInline { IsEmail: true } autolink => "mailto:" + autolink.Url,
                AutolinkInline autolink => autolink.Url,
                _ => null,
            };
            if (url is null || IsAllowedLink(url, lessonFiles))
            {
                continue;
            }
            var target = url.Split('#', 2)[0];
            var message = url.Length == 0 ? "the link has no target"
                : LessonFileName().IsMatch(target) ? $"broken link {url}: this module has no lesson {target}"
                : $"broken link {url}: links must start with https://, http:// or mailto:, or name another lesson of this module such as 02.zh-CN.md";
            problems.Add(new(file, bodyLine + inline.Line, message));
        }
    }

    private static bool IsAllowedLink(string url, HashSet<string> lessonFiles)
    {
        string[] schemes = ["https://", "http://", "mailto:"];
        return schemes.Any(s => url.StartsWith(s, StringComparison.OrdinalIgnoreCase) && url.Length > s.Length)
            || lessonFiles.Contains(url.Split('#', 2)[0]);
    }

    /// <summary>The question bank, and its size (null when the file could not be read as a list of questions).</summary>
    private static (List<QuestionContent> Questions, int? BankSize) ReadQuestions(string root, string dir, List<ContentProblem> problems)
    {
        var file = new YamlFile($"{dir}/questions.yaml", problems);
        var list = new YamlFields(file, file.Parse(ReadText(root, file.Name, problems)), null, "questions").Sequence("questions");
        if (list is null)
        {
            return ([], null);
        }
        if (list.Children.Count == 0)
        {
            file.Report(list, "the question bank is empty");
        }
        var lineOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var questions = list.Select(node => ReadQuestion(file, node, lineOfId)).OfType<QuestionContent>().ToList();
        return (questions, list.Children.Count);
    }

    private static QuestionContent? ReadQuestion(YamlFile file, YamlNode node, Dictionary<string, int> lineOfId)
    {
        var f = new YamlFields(file, node, "question", "id", "type", "text", "options", "answer", "explanation");
        if (!f.IsMapping)
        {
            return null;
        }
        var id = f.Text("id");
        if (id.Length > 0)
        {
            f.Context = $"question {id}";
            if (!lineOfId.TryAdd(id, f.LineOf("id")))
            {
                f.Report("id", $"the id is already used by the question on line {lineOfId[id]}");
            }
        }
        var typeName = f.Text("type");
        QuestionType? type = typeName switch
        {
            "single" => QuestionType.Single,
            "multiple" => QuestionType.Multiple,
            "truefalse" => QuestionType.TrueFalse,
            _ => null,
        };
        if (type is null && typeName.Length > 0)
        {
            f.Report("type", $"'type' must be single, multiple or truefalse, not '{typeName}'");
        }
        var text = f.Localized("text");
        var explanation = f.Localized("explanation");

        List<OptionContent> options;
        if (type == QuestionType.TrueFalse)
        {
            if (f.Has("options"))
            {
                f.Report("options", "a truefalse question has no options; give answer: true or false");
            }
            var answer = f.OptionalBool("answer");
            if (!f.Has("answer"))
            {
                file.Report(node, $"{f.Context} has no correct answer; a truefalse question needs answer: true or false");
            }
            options =
            [
                new("true", new("正确", "True"), answer == true),
                new("false", new("错误", "False"), answer == false),
            ];
        }
        else
        {
            if (f.Has("answer"))
            {
                f.Report("answer", "'answer' is only for truefalse questions; mark the right options with correct: true");
            }
            options = ReadOptions(file, f);
            var correct = options.Count(o => o.Correct);
            if (type is not null && options.Count < 2)
            {
                f.Report("options", "a single or multiple choice question needs at least two options");
            }
            if (type is not null && correct == 0)
            {
                file.Report(node, $"{f.Context} has no correct answer; mark one option with correct: true");
            }
            else if (type == QuestionType.Single && correct > 1)
            {
                file.Report(node, $"{f.Context} is single choice but marks {correct} options correct; mark exactly one");
            }
        }
        return type is { } t ? new QuestionContent(id, t, text, options, explanation) : null;
    }

    private static List<OptionContent> ReadOptions(YamlFile file, YamlFields question)
    {
        var list = question.Sequence("options");
        var options = new List<OptionContent>();
        foreach (var node in list?.Children ?? [])
        {
            var f = new YamlFields(file, node, $"{question.Context}, an option", "id", "text", "correct");
            if (!f.IsMapping)
            {
                continue;
            }
            var id = f.Text("id");
            if (id.Length > 0)
            {
                f.Context = $"{question.Context}, option {id}";
                if (options.Any(o => o.Id == id))
                {
                    f.Report("id", "the option id is used twice in this question");
                }
            }
            options.Add(new(id, f.Localized("text"), f.OptionalBool("correct") ?? false));
        }
        return options;
    }

    private static List<LearningPath> ReadPaths(string root, Dictionary<string, ModuleContent> modules, HashSet<string> heldBack,
        List<ContentProblem> problems)
    {
        var file = new YamlFile("paths.yaml", problems);
        var top = new YamlFields(file, file.Parse(ReadText(root, file.Name, problems)), null, "paths");
        var letters = RoleTracks.All.Select(r => r.CredentialLetter().ToString()).ToArray();
        var all = new YamlFields(file, top.Required("paths"), "paths", letters);
        var paths = new List<LearningPath>();
        foreach (var role in RoleTracks.All)
        {
            var before = problems.Count;
            var letter = role.CredentialLetter();
            var path = new YamlFields(file, all.Required(letter.ToString()), $"path {letter}", "initial", "refresher");
            var initial = ModuleList(path, "initial", refresher: false, role, modules, heldBack, out var heldInitial);
            var refresher = ModuleList(path, "refresher", refresher: true, role, modules, heldBack, out var heldRefresher);
            // A path whose only problem is a held-back module is kept: that module keeps its last published version.
            if (path.IsMapping && problems.Count - heldInitial - heldRefresher == before)
            {
                paths.Add(new(letter, initial, refresher));
            }
        }
        return paths;
    }

    private static List<string> ModuleList(YamlFields path, string key, bool refresher, RoleTrack role,
        Dictionary<string, ModuleContent> modules, HashSet<string> heldBack, out int heldBackCount)
    {
        heldBackCount = 0;
        var list = path.Sequence(key);
        var ids = new List<string>();
        if (list is null)
        {
            return ids;
        }
        if (!refresher && list.Children.Count == 0)
        {
            path.Report(key, $"'{key}' is empty; list the modules this credential requires");
        }
        var letter = role.CredentialLetter();
        foreach (var node in list)
        {
            var error = node is not YamlScalarNode { Value: { Length: > 0 } id } ? $"path {letter}: '{key}' must list module ids"
                : ids.Contains(id) ? $"path {letter} lists module {id} twice"
                : modules.TryGetValue(id, out var module) ? ModuleMismatch(letter, module, refresher, role)
                : heldBack.Contains(id) ? $"path {letter} refers to module {id} which has problems"
                : $"path {letter} refers to module {id} which does not exist";
            if (error is not null)
            {
                path.ReportAt(node, error);
                if (node is YamlScalarNode { Value: { } held } && !modules.ContainsKey(held) && heldBack.Contains(held) && !ids.Contains(held))
                {
                    heldBackCount++;
                }
            }
            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                ids.Add(value);
            }
        }
        return ids;
    }

    private static string? ModuleMismatch(char letter, ModuleContent module, bool refresher, RoleTrack role) =>
        module.Refresher != refresher
            ? refresher
                ? $"path {letter} lists module {module.Id} as a refresher, but it is not a refresher module (refresher: false)"
                : $"path {letter} lists module {module.Id} as initial training, but it is a refresher module (refresher: true)"
            : !module.Roles.Contains(role)
                ? $"path {letter} lists module {module.Id}, which is not open to {role} (roles: {string.Join(", ", module.Roles)})"
                : null;

    private static Item<AgreementContent> ReadAgreement(string root, string folder, List<ContentProblem> problems)
    {
        var before = problems.Count;
        var dir = $"agreements/{folder}";
        var file = new YamlFile($"{dir}/agreement.yaml", problems);
        var f = new YamlFields(file, file.Parse(ReadText(root, file.Name, problems)), null, AgreementKeys);

        var id = ReadId(f, folder);
        var title = f.Localized("title");
        var roles = f.Roles("roles");
        var countersignature = f.Bool("countersignature");
        var guardianConsentUnderAge = f.OptionalInt("guardianConsentUnderAge", 1, 25);
        var reacceptanceMonths = f.OptionalInt("reacceptanceMonths", 1, 120);
        var template = f.OptionalBool("template") ?? false;
        var versions = ReadVersions(root, dir, file, f, template, problems);

        if (problems.Count > before)
        {
            return new(folder, id, f.LineOf("id"), null);
        }
        var agreement = new AgreementContent(id, title, roles, countersignature, guardianConsentUnderAge, reacceptanceMonths, template, versions);
        return new(folder, id, f.LineOf("id"), agreement);
    }

    private static List<AgreementVersionContent> ReadVersions(string root, string dir, YamlFile file, YamlFields agreement, bool template,
        List<ContentProblem> problems)
    {
        var list = agreement.Sequence("versions");
        var versions = new List<AgreementVersionContent>();
        if (list is null)
        {
            return versions;
        }
        if (list.Children.Count == 0)
        {
            file.Report(list, "'versions' is empty; list at least version 1");
        }
        foreach (var node in list)
        {
            var f = new YamlFields(file, node, "version", "version", "effective", "material", "changes");
            if (!f.IsMapping)
            {
                continue;
            }
            var number = f.Int("version", 1, int.MaxValue);
            if (number > 0)
            {
                f.Context = $"version {number}";
                if (versions.Any(v => v.Version == number))
                {
                    f.Report("version", "the version is listed twice");
                }
                else if (versions.Any(v => v.Version > number))
                {
                    f.Report("version", "versions must be listed in ascending order");
                }
            }
            var effective = f.Date("effective");
            var material = f.Bool("material");
            var changes = f.Localized("changes");
            var text = number > 0 ? new LocalizedText(
                    VersionText(root, dir, number, Cultures.Chinese, template, f, problems),
                    VersionText(root, dir, number, Cultures.English, template, f, problems))
                : new LocalizedText("", "");
            versions.Add(new(number, effective, material, changes, text));
        }

        var listed = versions.Select(v => $"v{v.Version}").ToHashSet(StringComparer.Ordinal);
        var unlisted = Directory.EnumerateDirectories(Path.Combine(root, dir))
            .Select(Path.GetFileName)
            .Where(name => name is not null && VersionFolder().IsMatch(name) && !listed.Contains(name))
            .Order(StringComparer.Ordinal);
        foreach (var name in unlisted)
        {
            agreement.Report("versions", $"folder {name}/ is not listed in 'versions'");
        }
        return versions;
    }

    private static string VersionText(string root, string dir, int version, string language, bool template, YamlFields f,
        List<ContentProblem> problems)
    {
        var file = $"{dir}/v{version}/{language}.md";
        if (!File.Exists(Path.Combine(root, file)))
        {
            f.Report("version", $"the {language} text is missing: v{version}/{language}.md does not exist");
            return "";
        }
        var text = ReadText(root, file, problems);
        if (text is null)
        {
            return "";
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new(file, 1, "the agreement text is empty"));
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match placeholder in Placeholder().Matches(lines[i]))
            {
                if (!template)
                {
                    problems.Add(new(file, i + 1, $"placeholder {placeholder.Value} in an agreement that is not a template (template: true)"));
                }
                else if (!StudyPlaceholders.Contains(placeholder.Groups[1].Value, StringComparer.Ordinal))
                {
                    problems.Add(new(file, i + 1,
                        $"unknown placeholder {placeholder.Value}; use one of {string.Join(", ", StudyPlaceholders.Select(p => "{{" + p + "}}"))}"));
                }
            }
            var rest = Placeholder().Replace(lines[i], "");
            if (rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal))
            {
                problems.Add(new(file, i + 1, "unmatched {{ or }}"));
            }
        }
        return text.Trim();
    }

    /// <summary>
    /// SHA-256 over the module's files: each relative path, then its bytes with CRLF read as LF, so a checkout on Windows
    /// hashes the same as one on Linux.
    /// </summary>
    private static string Hash(string root, string dir, List<ContentProblem> problems)
    {
        var folder = Path.Combine(root, dir);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace('\\', '/'))
            .Where(relative => !relative.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
        foreach (var relative in files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path.Combine(folder, relative));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new($"{dir}/{relative}", 1, $"the file cannot be read: {e.Message}"));
                return "";
            }
            sha.AppendData(Encoding.UTF8.GetBytes(relative));
            sha.AppendData([0]);
            sha.AppendData(WithoutCarriageReturns(bytes));
            sha.AppendData([0]);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static byte[] WithoutCarriageReturns(byte[] bytes)
    {
        var result = new List<byte>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != '\r' || i + 1 >= bytes.Length || bytes[i + 1] != '\n')
            {
                result.Add(bytes[i]);
            }
        }
        return [.. result];
    }

    /// <summary>A file's text with CRLF read as LF, or null once the reason it cannot be read is reported.</summary>
    private static string? ReadText(string root, string file, List<ContentProblem> problems)
    {
        var path = Path.Combine(root, file);
        if (!File.Exists(path))
        {
            problems.Add(new(file, 1, "the file is missing"));
            return null;
        }
        try
        {
            return StrictUtf8.GetString(File.ReadAllBytes(path)).TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal);
        }
        catch (DecoderFallbackException)
        {
            problems.Add(new(file, 1, "the file is not valid UTF-8"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(file, 1, $"the file cannot be read: {e.Message}"));
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(\d{2})\.(zh-CN|en)\.md$")]
    private static partial Regex LessonFileName();

    [GeneratedRegex(@"^v\d+$")]
    private static partial Regex VersionFolder();

    [GeneratedRegex(@"\{\{([^{}]*)\}\}")]
    private static partial Regex Placeholder();
}
