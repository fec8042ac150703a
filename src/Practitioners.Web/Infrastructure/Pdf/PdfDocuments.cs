using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>
/// Renders certificates and signed agreements with PDFsharp. Holds no mutable state: each call
/// builds its own document, so one instance serves every request.
/// </summary>
public sealed class PdfDocuments : IPdfDocuments
{
    public PdfDocuments() => PdfFont.EnsureInstalled();

    public byte[] Certificate(CertificatePdfModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var document = NewDocument("儿童友好社区从业人员证书 / Child-Friendly Community Practitioner Certificate", "zh-CN");
        // The font subset keeps the full glyph index tables (~400 KB for 49,000 glyphs); compressing them
        // dominates the render time. BestSpeed takes a certificate from ~10 ms to ~4 ms for ~25 KB more.
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        CertificateLayout.Draw(document, model);
        return Save(document);
    }

    public byte[] Agreement(AgreementPdfModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var document = NewDocument($"{model.TitleZh} / {model.TitleEn}", model.Language);
        AgreementLayout.Draw(document, model);
        return Save(document);
    }

    public byte[] HoursCertificate(HoursCertificatePdfModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var document = NewDocument("志愿服务时长证明 / Certificate of Volunteer Service Hours", "zh-CN");
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        HoursCertificateLayout.Draw(document, model);
        return Save(document);
    }

    private static PdfDocument NewDocument(string title, string language)
    {
        var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "Practitioners";
        document.Language = language;
        return document;
    }

    private static byte[] Save(PdfDocument document)
    {
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}

/// <summary>Fonts, colours and small drawing helpers shared by the two documents.</summary>
internal static class PdfStyle
{
    // Unicode (Identity-H) encoding with a ToUnicode map: Chinese needs it, and it keeps text searchable and copyable.
    private static readonly XPdfFontOptions FontOptions = new(PdfFontEncoding.Unicode);

    public static readonly XColor Ink = XColor.FromArgb(0x22, 0x22, 0x22);
    public static readonly XColor Muted = XColor.FromArgb(0x5F, 0x63, 0x68);
    public static readonly XColor Accent = XColor.FromArgb(0x1F, 0x5C, 0x63);
    public static readonly XColor Gold = XColor.FromArgb(0xB0, 0x8D, 0x3C);
    public static readonly XColor Hairline = XColor.FromArgb(0xC8, 0xCC, 0xD0);

    public static XFont Font(double size, bool bold = false) =>
        new(PdfFont.FamilyName, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, FontOptions);

    /// <summary>The largest font from <paramref name="size"/> down to <paramref name="minSize"/> at which <paramref name="text"/> fits on one line.</summary>
    public static XFont Fit(XGraphics graphics, string text, double size, double minSize, double maxWidth, bool bold = false)
    {
        var font = Font(size, bold);
        var width = graphics.MeasureString(text, font).Width;
        if (width <= maxWidth)
        {
            return font;
        }
        return Font(Math.Max(minSize, Math.Floor(size * maxWidth / width * 10) / 10), bold);
    }

    public static void Centered(XGraphics graphics, string text, XFont font, XColor color, double centerX, double top)
    {
        var width = graphics.MeasureString(text, font).Width;
        Left(graphics, text, font, color, centerX - (width / 2), top);
    }

    public static void Left(XGraphics graphics, string text, XFont font, XColor color, double x, double top) =>
        graphics.DrawString(text, font, new XSolidBrush(color), new XRect(x, top, 10_000, font.GetHeight()), XStringFormats.TopLeft);

    /// <summary>yyyy-MM-dd of the UTC date.</summary>
    public static string Day(DateTime utc) =>
        (utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
