using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>One printable block of an agreement: a heading, a paragraph or list item, or a rule.</summary>
internal sealed record TextBlock(TextBlockKind Kind, string Text, int Level = 0, int Depth = 0, string? Marker = null);

internal enum TextBlockKind { Heading, Paragraph, Rule }

/// <summary>
/// Reads agreement Markdown into flat blocks for the PDF. Emphasis is kept as plain text:
/// the PDF is a faithful record of the words signed, not of their styling.
/// </summary>
internal static class AgreementMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    public static List<TextBlock> Read(string markdown)
    {
        var blocks = new List<TextBlock>();
        AddBlocks(Markdown.Parse(markdown, Pipeline), 0, blocks);
        return blocks;
    }

    private static void AddBlocks(ContainerBlock container, int depth, List<TextBlock> blocks)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    blocks.Add(new TextBlock(TextBlockKind.Heading, Text(heading.Inline), heading.Level, depth));
                    break;
                case ParagraphBlock paragraph:
                    blocks.Add(new TextBlock(TextBlockKind.Paragraph, Text(paragraph.Inline), Depth: depth));
                    break;
                case ListBlock list:
                    AddList(list, depth, blocks);
                    break;
                case QuoteBlock quote:
                    AddBlocks(quote, depth + 1, blocks);
                    break;
                case ThematicBreakBlock:
                    blocks.Add(new TextBlock(TextBlockKind.Rule, ""));
                    break;
                case LeafBlock leaf when leaf is CodeBlock or HtmlBlock:
                    blocks.Add(new TextBlock(TextBlockKind.Paragraph, leaf.Lines.ToString(), Depth: depth));
                    break;
                case ContainerBlock other:
                    AddBlocks(other, depth, blocks);
                    break;
            }
        }
    }

    private static void AddList(ListBlock list, int depth, List<TextBlock> blocks)
    {
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}{list.OrderedDelimiter}" : "•";
            var first = blocks.Count;
            AddBlocks(item, depth + 1, blocks);
            if (first < blocks.Count && blocks[first].Kind == TextBlockKind.Paragraph)
            {
                blocks[first] = blocks[first] with { Marker = marker };
            }
            else
            {
                blocks.Insert(first, new TextBlock(TextBlockKind.Paragraph, "", Depth: depth + 1, Marker: marker));
            }
        }
    }

    private static string Text(ContainerInline? inlines)
    {
        var text = new StringBuilder();
        Append(inlines, text);
        return text.ToString().Trim();
    }

    private static void Append(ContainerInline? container, StringBuilder text)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case AutolinkInline link:
                    text.Append(link.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline { IsHard: true }:
                    text.Append('\n');
                    break;
                case LineBreakInline:
                    text.Append(SoftBreak(text, inline.NextSibling));
                    break;
                case ContainerInline nested:
                    Append(nested, text);
                    break;
            }
        }
    }

    // A soft line break is a space, except between two Chinese characters.
    private static string SoftBreak(StringBuilder before, Inline? after)
    {
        var previous = before.Length > 0 && Rune.TryGetRuneAt(before.ToString(before.Length - 1, 1), 0, out var p) && TextWrapper.IsCjk(p);
        var next = after is LiteralInline { Content.Length: > 0 } literal
                   && Rune.TryGetRuneAt(literal.Content.ToString(), 0, out var n) && TextWrapper.IsCjk(n);
        return previous && next ? "" : " ";
    }
}
