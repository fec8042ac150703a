using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using static Practitioners.Web.Infrastructure.Pdf.PdfStyle;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>
/// An A4 portrait service-hours certificate: Chinese first with English under it; the total, the period, the
/// communities and the issuing street; the verification QR code; then every approved line, continued on further
/// pages when there are many.
/// </summary>
internal static class HoursCertificateLayout
{
    private const double Margin = 56;
    private const double QrSize = 112;
    private const double RowHeight = 18;

    public static void Draw(PdfDocument document, HoursCertificatePdfModel model)
    {
        var (page, graphics) = NewPage(document);
        var width = page.Width.Point;
        var height = page.Height.Point;
        var center = width / 2;
        var textWidth = width - (2 * Margin);

        Centered(graphics, "志愿服务时长证明", Font(24, bold: true), Accent, center, 62);
        Centered(graphics, "Certificate of Volunteer Service Hours", Font(13), Muted, center, 96);
        graphics.DrawLine(new XPen(Gold, 1), center - 60, 120, center + 60, 120);

        Centered(graphics, "兹证明  ·  This is to certify that", Font(10.5), Muted, center, 134);
        Centered(graphics, model.HolderName, Fit(graphics, model.HolderName, 28, 14, textWidth, bold: true), Ink, center, 152);
        Centered(graphics, $"于 {model.FromDay} 至 {model.ToDay} 期间参加志愿服务，经社区审核确认的服务时长共计",
            Fit(graphics, "于 0000-00-00 至 0000-00-00 期间参加志愿服务，经社区审核确认的服务时长共计", 10.5, 8, textWidth), Ink, center, 198);
        Centered(graphics, $"served as a volunteer from {model.FromDay} to {model.ToDay}; the hours approved by the community total",
            Font(9), Muted, center, 215);
        var total = $"{Hours(model.TotalHours)} 小时 · hours";
        Centered(graphics, total, Font(28, bold: true), Accent, center, 236);
        Centered(graphics, $"服务活动 {model.ActivityCount} 项 · {model.ActivityCount} activities    服务记录 {model.RecordCount} 条 · {model.RecordCount} records",
            Font(9.5), Muted, center, 276);

        const double detailsTop = 306;
        var detailsWidth = textWidth - QrSize - 24;
        var y = Details(graphics, model, Margin, detailsTop, detailsWidth);
        QrCode(graphics, model.VerifyUrl, width - Margin - QrSize, detailsTop, Margin + detailsWidth + 8, width - Margin);

        y = Math.Max(y, detailsTop + QrSize + 40) + 14;
        Left(graphics, "服务明细  ·  Approved service", Font(11, bold: true), Accent, Margin, y);
        y += 22;
        y = TableHeader(graphics, Margin, y, textWidth);
        foreach (var line in model.Lines)
        {
            if (y + RowHeight > height - Margin - 20)
            {
                graphics.Dispose();
                (page, graphics) = NewPage(document);
                Left(graphics, $"{model.HolderName} · {model.Number} · 续 continued", Font(9), Muted, Margin, Margin + 6);
                y = TableHeader(graphics, Margin, Margin + 30, textWidth);
            }
            Row(graphics, line, Margin, y, textWidth);
            y += RowHeight;
        }
        graphics.DrawLine(new XPen(Accent, 0.8), Margin, y + 2, Margin + textWidth, y + 2);
        var totalText = $"合计 Total  {Hours(model.TotalHours)}";
        var totalFont = Font(10, bold: true);
        Left(graphics, totalText, totalFont, Ink, Margin + textWidth - graphics.MeasureString(totalText, totalFont).Width, y + 6);
        graphics.Dispose();
    }

    private static (PdfPage, XGraphics) NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Portrait;
        var graphics = XGraphics.FromPdfPage(page);
        CertificateLayout.Border(graphics, page.Width.Point, page.Height.Point);
        return (page, graphics);
    }

    private static double Details(XGraphics graphics, HoursCertificatePdfModel model, double left, double top, double width)
    {
        (string Zh, string En, string Value, string? ValueEn)[] rows =
        [
            ("服务社区", "Communities", model.CommunitiesZh, model.CommunitiesEn),
            ("出具单位", "Issued by", model.IssuersZh, model.IssuersEn),
            ("证明编号", "Certificate No.", model.Number, null),
            ("出具日期", "Issued", Day(model.IssuedAtUtc), null),
        ];
        const double labelWidth = 96, rowHeight = 36;
        var valueLeft = left + labelWidth;
        var valueWidth = width - labelWidth;
        var y = top;
        foreach (var (zh, en, value, valueEn) in rows)
        {
            Left(graphics, zh, Font(10.5), Ink, left, y);
            Left(graphics, en, Font(8), Muted, left, y + 15);
            if (valueEn is null)
            {
                Left(graphics, value, Fit(graphics, value, 12, 7, valueWidth), Ink, valueLeft, y + 3);
            }
            else
            {
                Left(graphics, value, Fit(graphics, value, 11, 6, valueWidth), Ink, valueLeft, y);
                Left(graphics, valueEn, Fit(graphics, valueEn, 8.5, 5.5, valueWidth), Muted, valueLeft, y + 15);
            }
            graphics.DrawLine(new XPen(Hairline, 0.5), left, y + rowHeight - 6, left + width, y + rowHeight - 6);
            y += rowHeight;
        }
        return y;
    }

    private static readonly (string Zh, string En, double Share)[] Columns =
        [("日期", "Date", 0.17), ("服务内容", "Activity", 0.46), ("社区", "Community", 0.25), ("时长", "Hours", 0.12)];

    private static double TableHeader(XGraphics graphics, double left, double top, double width)
    {
        var x = left;
        var font = Font(8.5, bold: true);
        for (var i = 0; i < Columns.Length; i++)
        {
            var (zh, en, share) = Columns[i];
            var label = $"{zh} {en}";
            // The hours column is right-aligned, like its numbers.
            var at = i == Columns.Length - 1 ? left + width - graphics.MeasureString(label, font).Width : x;
            Left(graphics, label, font, Muted, at, top);
            x += width * share;
        }
        graphics.DrawLine(new XPen(Accent, 0.8), left, top + 14, left + width, top + 14);
        return top + 18;
    }

    private static void Row(XGraphics graphics, HoursPdfLine line, double left, double top, double width)
    {
        var cells = new[] { line.Day, line.What, line.CommunityZh };
        var x = left;
        var font = Font(9);
        for (var i = 0; i < cells.Length; i++)
        {
            var cellWidth = (width * Columns[i].Share) - 6;
            Left(graphics, Clip(graphics, cells[i], font, cellWidth), font, Ink, x, top + 2);
            x += width * Columns[i].Share;
        }
        var hours = Hours(line.Hours);
        Left(graphics, hours, font, Ink, left + width - graphics.MeasureString(hours, font).Width, top + 2);
        graphics.DrawLine(new XPen(Hairline, 0.4), left, top + RowHeight - 1, left + width, top + RowHeight - 1);
    }

    /// <summary>The text, cut with an ellipsis where it would run into the next column.</summary>
    private static string Clip(XGraphics graphics, string text, XFont font, double maxWidth)
    {
        if (graphics.MeasureString(text, font).Width <= maxWidth)
        {
            return text;
        }
        var length = text.Length;
        while (length > 1 && graphics.MeasureString(text[..length] + "…", font).Width > maxWidth)
        {
            length--;
        }
        return text[..length] + "…";
    }

    private static string Hours(decimal hours) => hours.ToString("0.##", CultureInfo.InvariantCulture);

    private static void QrCode(XGraphics graphics, string url, double left, double top, double minX, double maxX)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        // The default GetGraphic overload writes a PNG PDFsharp rejects; explicit RGB colours write one it reads.
        var png = new PngByteQRCode(data).GetGraphic(10, [0, 0, 0], [255, 255, 255]);
        using var stream = new MemoryStream(png, writable: false);
        using var image = XImage.FromStream(stream);
        image.Interpolate = false;
        graphics.DrawImage(image, left, top, QrSize, QrSize);

        var center = left + (QrSize / 2);
        var y = top + QrSize + 2;
        var font = Font(6.5);
        foreach (var line in new TextWrapper(graphics, font).Wrap(url, maxX - minX))
        {
            var lineWidth = graphics.MeasureString(line, font).Width;
            Left(graphics, line, font, Muted, Math.Clamp(center - (lineWidth / 2), minX, maxX - lineWidth), y);
            y += 8.5;
        }
        Centered(graphics, "扫码核验  ·  Scan to verify", Font(8.5), Ink, center, y + 2);
    }
}
