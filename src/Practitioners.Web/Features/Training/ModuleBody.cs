using System.Collections.Concurrent;
using System.Text.Json;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.Web.Features.Training;

/// <summary>The lessons and question bank of a module version, as stored in <see cref="ModuleVersion.Body"/>.</summary>
public sealed record ModuleBody(IReadOnlyList<LessonContent> Lessons, IReadOnlyList<QuestionContent> Questions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyDictionary<string, QuestionContent> Bank { get; } = Questions.ToDictionary(q => q.Id);

    public string ToJson() => JsonSerializer.Serialize(new { Lessons, Questions }, Json);

    public static ModuleBody FromJson(string json)
    {
        var raw = JsonSerializer.Deserialize<Raw>(json, Json)!;
        return new ModuleBody(raw.Lessons, raw.Questions);
    }

    private sealed record Raw(List<LessonContent> Lessons, List<QuestionContent> Questions);
}

/// <summary>
/// Module versions never change once published, so their parsed bodies and rendered lessons are kept
/// in memory for the life of the process: lesson pages and quiz grading parse nothing per request.
/// </summary>
public sealed class ModuleBodyCache(LessonRenderer renderer)
{
    private readonly ConcurrentDictionary<(string, int), ModuleBody> _bodies = new();
    private readonly ConcurrentDictionary<(string, int, int, string), string> _html = new();

    public ModuleBody Get(string moduleId, int version, Func<string> loadJson) =>
        _bodies.GetOrAdd((moduleId, version), _ => ModuleBody.FromJson(loadJson()));

    public string LessonHtml(string moduleId, int version, LessonContent lesson, string culture) =>
        _html.GetOrAdd((moduleId, version, lesson.Number, culture), _ => renderer.Render(lesson.Markdown.For(culture)));
}
