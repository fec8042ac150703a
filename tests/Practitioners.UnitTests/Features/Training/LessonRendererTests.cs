using Practitioners.Web.Features.Training;

namespace Practitioners.UnitTests.Features.Training;

public sealed class LessonRendererTests
{
    private readonly LessonRenderer _renderer = new();

    [Fact]
    public void Render_RemovesScriptsHandlersAndJavascriptLinks()
    {
        var html = _renderer.Render("""
            # 标题

            <script>alert(1)</script>
            <img src="x" onerror="alert(1)">
            [点我](javascript:alert(1))
            """);

        // Raw HTML is shown as text, never as elements.
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Contains("<h1", html);
    }

    [Fact]
    public void Render_TurnsLinksToOtherLessonsIntoLessonPages_AndKeepsHttpsLinks()
    {
        var html = _renderer.Render("见 [下一课](02.zh-CN.md) 和 [指南](https://example.org/guide)。");

        Assert.Contains("href=\"02\"", html);
        Assert.Contains("href=\"https://example.org/guide\"", html);
    }
}
