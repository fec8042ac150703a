using Ganss.Xss;
using Markdig;

namespace Practitioners.Web.Features.Training;

/// <summary>Markdown to HTML for lessons, sanitised: raw HTML, scripts, event handlers and javascript: links never reach the page.</summary>
public sealed partial class LessonRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string markdown) =>
        _sanitizer.Sanitize(LessonLink().Replace(Markdown.ToHtml(markdown, _pipeline), "href=\"$1$2\""));

    /// <summary>A link to another lesson file of the module (02.zh-CN.md) becomes a link to that lesson's page.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"href=""(\d{2})\.(?:zh-CN|en)\.md(#[^""]*)?""")]
    private static partial System.Text.RegularExpressions.Regex LessonLink();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        // Links to other lessons (02.zh-CN.md) are rewritten by the reader; nothing else relative is allowed.
        sanitizer.AllowedAttributes.Remove("style");
        return sanitizer;
    }
}
