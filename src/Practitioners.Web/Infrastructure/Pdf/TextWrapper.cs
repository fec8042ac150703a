using System.Text;
using PdfSharp.Drawing;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>
/// Breaks mixed Chinese and Latin text into lines of a given width. Latin breaks at spaces,
/// Chinese between any two characters (it has no spaces), and a word wider than the line
/// breaks between characters. Closing punctuation never starts a line and opening
/// punctuation never ends one.
/// </summary>
internal sealed class TextWrapper(XGraphics graphics, XFont font)
{
    private const string NoLineStart = "，。、；：！？）》」』】〉”’…·,.;:!?)]}%";
    private const string NoLineEnd = "（《「『【〈“‘([{";

    private readonly Dictionary<string, double> widths = [];

    public double Width(string text)
    {
        if (!widths.TryGetValue(text, out var width))
        {
            width = text.Length == 0 ? 0 : graphics.MeasureString(text, font).Width;
            widths[text] = width;
        }
        return width;
    }

    /// <summary>The lines of <paramref name="text"/>; a '\n' always starts a new line.</summary>
    public List<string> Wrap(string text, double maxWidth)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            WrapParagraph(paragraph, maxWidth, lines);
        }
        return lines;
    }

    private void WrapParagraph(string text, double maxWidth, List<string> lines)
    {
        var line = new StringBuilder();
        var lineWidth = 0.0;
        var space = Width(" ");

        foreach (var (unit, spaceBefore) in Units(text))
        {
            var unitWidth = Width(unit);
            var gap = line.Length > 0 && spaceBefore ? space : 0;
            if (lineWidth + gap + unitWidth <= maxWidth)
            {
                if (gap > 0)
                {
                    line.Append(' ');
                }
                line.Append(unit);
                lineWidth += gap + unitWidth;
                continue;
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
                line.Clear();
                lineWidth = 0;
            }

            if (unitWidth <= maxWidth)
            {
                line.Append(unit);
                lineWidth = unitWidth;
                continue;
            }

            // A word wider than the line (a hash, a URL): break it between characters.
            foreach (var rune in unit.EnumerateRunes())
            {
                var piece = rune.ToString();
                var pieceWidth = Width(piece);
                if (line.Length > 0 && lineWidth + pieceWidth > maxWidth)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    lineWidth = 0;
                }
                line.Append(piece);
                lineWidth += pieceWidth;
            }
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }
    }

    /// <summary>The pieces a line may break between: Latin words and single Chinese characters, with punctuation attached.</summary>
    internal static List<(string Text, bool SpaceBefore)> Units(string text)
    {
        var units = new List<(string Text, bool SpaceBefore)>();
        var word = new StringBuilder();
        var spaceBefore = false;

        void Flush()
        {
            if (word.Length > 0)
            {
                Add(word.ToString());
                word.Clear();
            }
        }

        void Add(string unit)
        {
            var glueToPrevious = !spaceBefore && units.Count > 0
                && (NoLineStart.Contains(unit[0]) || NoLineEnd.Contains(units[^1].Text[^1]));
            if (glueToPrevious)
            {
                units[^1] = (units[^1].Text + unit, units[^1].SpaceBefore);
            }
            else
            {
                units.Add((unit, spaceBefore));
            }
            spaceBefore = false;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                Flush();
                spaceBefore = units.Count > 0;
            }
            else if (IsCjk(rune))
            {
                Flush();
                Add(rune.ToString());
            }
            else
            {
                if (word.Length == 0 && units.Count > 0 && !spaceBefore && NoLineEnd.Contains(units[^1].Text[^1]))
                {
                    // An opening bracket before a Latin word stays with that word.
                    word.Append(units[^1].Text);
                    spaceBefore = units[^1].SpaceBefore;
                    units.RemoveAt(units.Count - 1);
                }
                word.Append(rune.ToString());
            }
        }
        Flush();
        return units;
    }

    /// <summary>Characters written without spaces between them: CJK ideographs, kana, hangul and full-width forms.</summary>
    internal static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x2E80 and <= 0x9FFF => true,   // radicals, CJK punctuation, kana, ideographs
        >= 0xAC00 and <= 0xD7AF => true,   // hangul
        >= 0xF900 and <= 0xFAFF => true,   // compatibility ideographs
        >= 0xFE30 and <= 0xFE4F => true,   // CJK compatibility forms
        >= 0xFF00 and <= 0xFFEF => true,   // full-width forms
        >= 0x20000 and <= 0x3FFFF => true, // supplementary ideographs
        _ => false,
    };
}
