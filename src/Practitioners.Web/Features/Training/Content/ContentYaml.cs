using System.Globalization;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Infrastructure.Localization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Practitioners.Web.Features.Training.Content;

/// <summary>One YAML file (or a lesson's front matter) under content/, and where its problems are reported.</summary>
internal sealed class YamlFile(string name, List<ContentProblem> problems, int lineOffset = 0)
{
    /// <summary>The file, relative to the content folder, with forward slashes.</summary>
    public string Name => name;

    public void Report(YamlNode? node, string message) => problems.Add(new(name, LineOf(node), message));

    public void Report(int line, string message) => problems.Add(new(name, line, message));

    public int LineOf(YamlNode? node) => node is null ? 1 : Math.Max(1, (int)node.Start.Line) + lineOffset;

    /// <summary>The root node of the single document in <paramref name="text"/>, or null once the problem is reported.</summary>
    public YamlNode? Parse(string? text, string what = "the file")
    {
        if (text is null)
        {
            return null;
        }
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            // Start is where the construct began (a mapping, a quote); End is where the scanner gave up.
            var start = Math.Max(1, (int)e.Start.Line) + lineOffset;
            var end = (int)e.End.Line + lineOffset;
            Report(start, $"invalid YAML: {Describe(e).TrimEnd('.')}" + (end > start ? $" (found on line {end})" : ""));
            return null;
        }
        // Some malformed input (an unclosed [ at the end of the file) makes YamlDotNet throw other exceptions;
        // the content check must still report it rather than crash.
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            Report(Math.Max(1, (int)scanner.CurrentPosition.Line) + lineOffset, "invalid YAML: the file ends inside an unfinished value (an unclosed [, { or quote?)");
            return null;
        }
        if (stream.Documents.Count == 0)
        {
            Report(1 + lineOffset, $"{what} is empty");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            Report(stream.Documents[1].RootNode, $"{what} holds more than one YAML document");
        }
        return stream.Documents[0].RootNode;
    }

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 5, Idx: 40) - (Line: ...): "; the line is reported apart.
    private static string Describe(YamlException e)
    {
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var separator = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && separator > 0 ? message[(separator + 3)..] : message;
    }
}

/// <summary>
/// Reads typed values from one YAML mapping, reporting each problem at the line of the offending node. Keys that are
/// not expected are reported when it is created. On a problem the accessors return a placeholder value (0, "", false):
/// callers leave out any item whose reading added a problem, so placeholders never reach the content.
/// </summary>
internal sealed class YamlFields
{
    private static readonly LocalizedText NoText = new("", "");

    private readonly YamlFile file;
    private readonly YamlMappingNode? map;

    /// <param name="node">The mapping; null when its absence was already reported, which makes every accessor quiet.</param>
    /// <param name="context">Prefixed to messages, e.g. "question q03"; null at the top of a file.</param>
    public YamlFields(YamlFile file, YamlNode? node, string? context, params string[] keys)
    {
        this.file = file;
        Context = context;
        if (node is null)
        {
            return;
        }
        if (node is not YamlMappingNode mapping)
        {
            file.Report(node, $"{Prefix}expected keys and values here");
            return;
        }
        map = mapping;
        foreach (var key in mapping.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name } || !keys.Contains(name, StringComparer.Ordinal))
            {
                file.Report(key, $"{Prefix}unknown key '{key}'");
            }
        }
    }

    public string? Context { get; set; }

    public bool IsMapping => map is not null;

    public int Line => file.LineOf(map);

    private string Prefix => Context is null ? "" : Context + ": ";

    public bool Has(string key) => Node(key) is not null;

    public int LineOf(string key) => file.LineOf(Node(key) ?? map);

    public void Report(string key, string message) => file.Report(Node(key) ?? map, Prefix + message);

    /// <summary>Reports a problem at one node inside this mapping, e.g. an item of a list; the message is used as is.</summary>
    public void ReportAt(YamlNode node, string message) => file.Report(node, message);

    public YamlNode? Node(string key) =>
        map?.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: { } name } && name == key).Value;

    /// <summary>The value of <paramref name="key"/>, reporting it as missing when absent.</summary>
    public YamlNode? Required(string key)
    {
        var node = Node(key);
        if (node is null && map is not null)
        {
            file.Report(map, $"{Prefix}'{key}' is missing");
        }
        return node;
    }

    public string Text(string key) => Required(key) is { } node ? TextOf(key, node) : "";

    public int Int(string key, int min, int max) => Required(key) is { } node ? IntOf(key, node, min, max) ?? 0 : 0;

    public int? OptionalInt(string key, int min, int max) => Node(key) is { } node ? IntOf(key, node, min, max) : null;

    public bool Bool(string key) => Required(key) is { } node && (BoolOf(key, node) ?? false);

    public bool? OptionalBool(string key) => Node(key) is { } node ? BoolOf(key, node) : null;

    public DateOnly Date(string key)
    {
        if (Required(key) is not { } node)
        {
            return default;
        }
        var value = ScalarOf(key, node);
        if (value is null)
        {
            return default;
        }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            file.Report(node, $"{Prefix}'{key}' must be a date written yyyy-MM-dd, not '{value}'");
        }
        return date;
    }

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Required(key);
        if (node is null or YamlSequenceNode)
        {
            return node as YamlSequenceNode;
        }
        file.Report(node, $"{Prefix}'{key}' must be a list");
        return null;
    }

    /// <summary>A text given in both languages: <c>{ zh-CN: …, en: … }</c>.</summary>
    public LocalizedText Localized(string key)
    {
        if (Required(key) is not { } node)
        {
            return NoText;
        }
        if (node is not YamlMappingNode texts)
        {
            file.Report(node, $"{Prefix}'{key}' must give a zh-CN and an en text");
            return NoText;
        }
        foreach (var language in texts.Children.Keys)
        {
            if (language is not YamlScalarNode { Value: Cultures.Chinese or Cultures.English })
            {
                file.Report(language, $"{Prefix}'{key}' has an unknown language '{language}'; use zh-CN and en");
            }
        }
        return new(LanguageOf(key, texts, Cultures.Chinese), LanguageOf(key, texts, Cultures.English));
    }

    public IReadOnlyList<RoleTrack> Roles(string key)
    {
        var list = Sequence(key);
        if (list is null)
        {
            return [];
        }
        var names = string.Join(", ", RoleTracks.All);
        if (list.Children.Count == 0)
        {
            file.Report(list, $"{Prefix}'{key}' is empty; list at least one of {names}");
        }
        var roles = new List<RoleTrack>();
        foreach (var item in list)
        {
            var role = RoleTracks.All.FirstOrDefault(r => item is YamlScalarNode { Value: { } name } && name == r.ToString());
            if (role == default)
            {
                file.Report(item, $"{Prefix}unknown role '{item}'; use {names}");
            }
            else if (roles.Contains(role))
            {
                file.Report(item, $"{Prefix}role {role} is listed twice");
            }
            else
            {
                roles.Add(role);
            }
        }
        return roles;
    }

    private string LanguageOf(string key, YamlMappingNode texts, string language)
    {
        var node = texts.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: { } name } && name == language).Value;
        if (node is null)
        {
            file.Report(texts, $"{Prefix}'{key}' has no {language} text (missing translation)");
            return "";
        }
        if (node is not YamlScalarNode { Value: { } value } || value.Trim().Length == 0)
        {
            file.Report(node, $"{Prefix}'{key}' has an empty {language} text");
            return "";
        }
        return value.Trim();
    }

    private string TextOf(string key, YamlNode node)
    {
        var value = ScalarOf(key, node)?.Trim();
        if (value is "")
        {
            file.Report(node, $"{Prefix}'{key}' is empty");
        }
        return value ?? "";
    }

    private int? IntOf(string key, YamlNode node, int min, int max)
    {
        var value = ScalarOf(key, node);
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        var range = max == int.MaxValue ? $"of at least {min}" : $"from {min} to {max}";
        file.Report(node, $"{Prefix}'{key}' must be a whole number {range}, not '{value}'");
        return null;
    }

    private bool? BoolOf(string key, YamlNode node)
    {
        var value = ScalarOf(key, node);
        if (value is null)
        {
            return null;
        }
        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }
        file.Report(node, $"{Prefix}'{key}' must be true or false, not '{value}'");
        return null;
    }

    private string? ScalarOf(string key, YamlNode node)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? "";
        }
        file.Report(node, $"{Prefix}'{key}' must be a single value, not a list or mapping");
        return null;
    }
}
