using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using static Practitioners.Web.Infrastructure.Pdf.PdfStyle;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>
/// A signed agreement on A4 portrait pages: both titles, the signed text as wrapped from its
/// Markdown, the signature evidence, and "n / N" in every footer.
/// </summary>
internal sealed class AgreementLayout : IDisposable
{
    private const double Margin = 56;
    private const double FooterHeight = 36;
    private const double BodySize = 10.5;
    private const double LineSpacing = 1.55;
    private const double ListIndent = 18;
    private const double EvidenceLabelWidth = 150;

    private readonly PdfDocument document;
    private readonly string runningTitle;
    private readonly Dictionary<(double Size, bool Bold), (XFont Font, TextWrapper Wrapper)> fonts = [];
    // Wrapping measures on its own context: the page graphics change with every page.
    private readonly XGraphics measure = XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);
    private XGraphics graphics = null!;
    private double y;

    private AgreementLayout(PdfDocument document, string runningTitle)
    {
        this.document = document;
        this.runningTitle = runningTitle;
        NewPage();
    }

    private double PageWidth => document.Pages[0].Width.Point;

    private double PageHeight => document.Pages[0].Height.Point;

    private double Bottom => PageHeight - Margin - FooterHeight;

    private double TextWidth => PageWidth - (2 * Margin);

    public static void Draw(PdfDocument document, AgreementPdfModel model)
    {
        using (var layout = new AgreementLayout(document, $"{model.TitleZh} / {model.TitleEn}"))
        {
            layout.Title(model.TitleZh, model.TitleEn);
            foreach (var block in AgreementMarkdown.Read(model.Text))
            {
                layout.Block(block);
            }
            layout.Evidence(model.Evidence);
        }
        Footers(document);
    }

    public void Dispose()
    {
        graphics.Dispose();
        measure.Dispose();
    }

    private void NewPage()
    {
        graphics?.Dispose();
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Portrait;
        graphics = XGraphics.FromPdfPage(page);
        y = Margin;
        if (document.PageCount > 1)
        {
            // Later pages carry the title small, so a loose page still says what it belongs to.
            var (font, wrapper) = Get(8);
            var title = wrapper.Wrap(runningTitle, TextWidth)[0];
            Left(graphics, title, font, Muted, Margin, Margin - 24);
            graphics.DrawLine(new XPen(Hairline, 0.5), Margin, Margin - 10, PageWidth - Margin, Margin - 10);
        }
    }

    private void Title(string zh, string en)
    {
        foreach (var (text, size, bold, color, after) in new[] { (zh, 18.0, true, Accent, 6.0), (en, 13.0, false, Muted, 0.0) })
        {
            var (font, wrapper) = Get(size, bold);
            foreach (var line in wrapper.Wrap(text, TextWidth))
            {
                Centered(graphics, line, font, color, PageWidth / 2, y);
                y += size * 1.4;
            }
            y += after;
        }
        y += 8;
        graphics.DrawLine(new XPen(Gold, 1), Margin, y, PageWidth - Margin, y);
        y += 18;
    }

    private void Block(TextBlock block)
    {
        switch (block.Kind)
        {
            case TextBlockKind.Heading:
                var size = block.Level switch { 1 => 15.0, 2 => 12.5, _ => 11.0 };
                y += block.Level == 1 ? 6 : 8;
                // Keep a heading with at least two lines of what follows it.
                Lines(block.Text, size, bold: true, Margin, TextWidth, Accent, keepWith: 2 * BodySize * LineSpacing);
                y += 4;
                break;
            case TextBlockKind.Rule:
                Room(12);
                graphics.DrawLine(new XPen(Hairline, 0.75), Margin, y + 4, PageWidth - Margin, y + 4);
                y += 12;
                break;
            default:
                var indent = block.Depth * ListIndent;
                if (block.Marker is { } marker)
                {
                    Room(BodySize * LineSpacing);
                    var (font, wrapper) = Get(BodySize);
                    Left(graphics, marker, font, Ink, Margin + indent - 4 - wrapper.Width(marker), y);
                }
                Lines(block.Text, BodySize, bold: false, Margin + indent, TextWidth - indent, Ink);
                y += BodySize * 0.5;
                break;
        }
    }

    private void Evidence(IReadOnlyList<(string Label, string Value)> evidence)
    {
        y += 14;
        var headingHeight = 13 * 1.5;
        var firstRow = evidence.Count > 0 ? RowHeight(evidence[0].Label, evidence[0].Value) : 0;
        Room(headingHeight + 10 + firstRow);
        graphics.DrawLine(new XPen(Gold, 1), Margin, y, PageWidth - Margin, y);
        y += 10;
        Lines("签署证据 / Signature evidence", 13, bold: true, Margin, TextWidth, Accent);
        y += 4;

        var (font, wrapper) = Get(9.5);
        var lineHeight = 9.5 * 1.45;
        foreach (var (label, value) in evidence)
        {
            var labels = wrapper.Wrap(label, EvidenceLabelWidth - 10);
            var values = wrapper.Wrap(value, TextWidth - EvidenceLabelWidth);
            var rows = Math.Max(labels.Count, values.Count);
            if (rows * lineHeight > Bottom - Margin)
            {
                // Taller than a page: let it run over pages line by line.
                Lines(label, 9.5, bold: false, Margin, TextWidth, Muted);
                Lines(value, 9.5, bold: false, Margin + EvidenceLabelWidth, TextWidth - EvidenceLabelWidth, Ink);
                continue;
            }

            Room(rows * lineHeight + 6);
            for (var i = 0; i < rows; i++)
            {
                if (i < labels.Count)
                {
                    Left(graphics, labels[i], font, Muted, Margin, y + (i * lineHeight));
                }
                if (i < values.Count)
                {
                    Left(graphics, values[i], font, Ink, Margin + EvidenceLabelWidth, y + (i * lineHeight));
                }
            }
            y += rows * lineHeight + 2;
            graphics.DrawLine(new XPen(Hairline, 0.5), Margin, y, PageWidth - Margin, y);
            y += 4;
        }
    }

    private double RowHeight(string label, string value)
    {
        var (_, wrapper) = Get(9.5);
        return Math.Max(wrapper.Wrap(label, EvidenceLabelWidth - 10).Count, wrapper.Wrap(value, TextWidth - EvidenceLabelWidth).Count) * 9.5 * 1.45;
    }

    /// <summary>Draws wrapped text line by line, turning the page whenever the next line would not fit.</summary>
    private void Lines(string text, double size, bool bold, double left, double width, XColor color, double keepWith = 0)
    {
        var (font, wrapper) = Get(size, bold);
        var lineHeight = size * LineSpacing;
        var first = true;
        foreach (var line in wrapper.Wrap(text, width))
        {
            Room(lineHeight + (first ? keepWith : 0));
            first = false;
            Left(graphics, line, font, color, left, y);
            y += lineHeight;
        }
    }

    private void Room(double height)
    {
        if (y + height > Bottom && y > Margin)
        {
            NewPage();
        }
    }

    private (XFont Font, TextWrapper Wrapper) Get(double size, bool bold = false)
    {
        if (!fonts.TryGetValue((size, bold), out var entry))
        {
            var font = Font(size, bold);
            entry = (font, new TextWrapper(measure, font));
            fonts[(size, bold)] = entry;
        }
        return entry;
    }

    private static void Footers(PdfDocument document)
    {
        var font = Font(9);
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var graphics = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            Centered(graphics, $"{i + 1} / {document.PageCount}", font, Muted, page.Width.Point / 2, page.Height.Point - Margin);
        }
    }
}
