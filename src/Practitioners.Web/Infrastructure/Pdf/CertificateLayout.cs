using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using static Practitioners.Web.Infrastructure.Pdf.PdfStyle;

namespace Practitioners.Web.Infrastructure.Pdf;

/// <summary>An A4 landscape certificate: Chinese first with English under it, details on the left, the verification QR code on the right.</summary>
internal static class CertificateLayout
{
    private const double Margin = 72;
    private const double QrSize = 128;

    public static void Draw(PdfDocument document, CertificatePdfModel model)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        using var graphics = XGraphics.FromPdfPage(page);
        var width = page.Width.Point;
        var height = page.Height.Point;
        var center = width / 2;
        var textWidth = width - (2 * Margin);

        Border(graphics, width, height);

        Centered(graphics, "儿童友好社区从业人员证书", Font(26, bold: true), Accent, center, 68);
        Centered(graphics, "Child-Friendly Community Practitioner Certificate", Font(14), Muted, center, 106);
        graphics.DrawLine(new XPen(Gold, 1), center - 60, 134, center + 60, 134);

        Centered(graphics, "兹证明  ·  This is to certify that", Font(11), Muted, center, 152);
        Centered(graphics, model.HolderName, Fit(graphics, model.HolderName, 34, 16, textWidth, bold: true), Ink, center, 172);
        Centered(graphics, "已完成规定培训，具备以下从业资质  ·  has completed the required training and holds the credential",
            Font(10), Muted, center, 226);
        Centered(graphics, model.CredentialZh, Fit(graphics, model.CredentialZh, 18, 10, textWidth, bold: true), Accent, center, 250);
        Centered(graphics, model.CredentialEn, Fit(graphics, model.CredentialEn, 12, 8, textWidth), Ink, center, 276);

        const double detailsTop = 322;
        var qrLeft = width - Margin - QrSize - 40;
        const double detailsWidth = 420;
        Details(graphics, model, Margin + 24, detailsTop, detailsWidth);
        QrCode(graphics, model.VerifyUrl, qrLeft, detailsTop + 8, Margin + 24 + detailsWidth + 16, width - Margin);
    }

    internal static void Border(XGraphics graphics, double width, double height)
    {
        graphics.DrawRectangle(new XPen(Accent, 3), 22, 22, width - 44, height - 44);
        graphics.DrawRectangle(new XPen(Gold, 0.8), 30, 30, width - 60, height - 60);

        // Small gold corner brackets inside the frame.
        var pen = new XPen(Gold, 1.6);
        const double inset = 38, arm = 22;
        foreach (var (x, y, dx, dy) in new[] { (inset, inset, 1, 1), (width - inset, inset, -1, 1), (inset, height - inset, 1, -1), (width - inset, height - inset, -1, -1) })
        {
            graphics.DrawLine(pen, x, y, x + (dx * arm), y);
            graphics.DrawLine(pen, x, y, x, y + (dy * arm));
        }
    }

    private static void Details(XGraphics graphics, CertificatePdfModel model, double left, double top, double width)
    {
        (string Zh, string En, string Value, string? ValueEn)[] rows =
        [
            ("社区", "Community", model.CommunityZh, model.CommunityEn),
            ("街道", "Street", model.StreetZh, model.StreetEn),
            ("证书编号", "Certificate No.", model.Number, null),
            ("颁发日期", "Issued", Day(model.IssuedAtUtc), null),
            ("有效期至", "Valid until", Day(model.ExpiresAtUtc), null),
        ];

        const double labelWidth = 118, rowHeight = 40;
        var valueLeft = left + labelWidth;
        var valueWidth = width - labelWidth;
        var y = top;
        foreach (var (zh, en, value, valueEn) in rows)
        {
            Left(graphics, zh, Font(11), Ink, left, y);
            Left(graphics, en, Font(8.5), Muted, left, y + 16);
            if (valueEn is null)
            {
                Left(graphics, value, Fit(graphics, value, 13, 8, valueWidth), Ink, valueLeft, y + 4);
            }
            else
            {
                Left(graphics, value, Fit(graphics, value, 12, 7, valueWidth), Ink, valueLeft, y);
                Left(graphics, valueEn, Fit(graphics, valueEn, 9.5, 6, valueWidth), Muted, valueLeft, y + 16);
            }
            graphics.DrawLine(new XPen(Hairline, 0.5), left, y + rowHeight - 6, left + width, y + rowHeight - 6);
            y += rowHeight;
        }
    }

    /// <summary>The code at <paramref name="left"/>, with its URL and caption centred under it within <paramref name="minX"/>..<paramref name="maxX"/>.</summary>
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

        // The URL, small, under the code, kept inside its column; wrapped if very long.
        var font = Font(7);
        foreach (var line in new TextWrapper(graphics, font).Wrap(url, maxX - minX))
        {
            var lineWidth = graphics.MeasureString(line, font).Width;
            Left(graphics, line, font, Muted, Math.Clamp(center - (lineWidth / 2), minX, maxX - lineWidth), y);
            y += 9;
        }
        Centered(graphics, "扫码核验  ·  Scan to verify", Font(9), Ink, center, y + 3);
    }
}
