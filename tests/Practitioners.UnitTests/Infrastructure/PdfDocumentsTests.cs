using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Infrastructure.Pdf;
using UglyToad.PdfPig;

namespace Practitioners.UnitTests.Infrastructure;

public sealed class PdfDocumentsTests
{
    private readonly PdfDocuments pdf = new();

    private static readonly CertificatePdfModel Certificate = new(
        HolderName: "李小雨",
        CredentialZh: "儿童服务志愿者",
        CredentialEn: "Child Service Volunteer",
        CommunityZh: "和平里社区",
        CommunityEn: "Hepingli Community",
        StreetZh: "新华街道",
        StreetEn: "Xinhua Street",
        Number: "CFC-2026-000123",
        IssuedAtUtc: new DateTime(2026, 3, 14, 23, 30, 0, DateTimeKind.Utc),
        ExpiresAtUtc: new DateTime(2028, 3, 14, 23, 30, 0, DateTimeKind.Utc),
        VerifyUrl: "https://practitioners.example.cn/verify/CFC-2026-000123");

    [Fact]
    public void Certificate_IsOneLandscapePage_WithTheHoldersChineseName_NumberDatesAndOneImage()
    {
        using var document = PdfDocument.Open(pdf.Certificate(Certificate));

        Assert.Equal(1, document.NumberOfPages);
        var page = document.GetPage(1);
        Assert.True(page.Width > page.Height, $"expected landscape, got {page.Width} x {page.Height}");
        var text = Text(page);
        Assert.Contains("李小雨", text);
        Assert.Contains("儿童友好社区从业人员证书", text);
        Assert.Contains("和平里社区", text);
        Assert.Contains("CFC-2026-000123", text);
        Assert.Contains("2026-03-14", text);
        Assert.Contains("2028-03-14", text);
        Assert.Contains("扫码核验", text);
        Assert.Contains(Certificate.VerifyUrl, text);
        Assert.Single(page.GetImages());
    }

    [Fact]
    public void Certificate_RendersFromManyThreadsAtOnce()
    {
        var sizes = new int[16];
        Parallel.For(0, sizes.Length, i => sizes[i] = pdf.Certificate(Certificate with { Number = $"CFC-2026-{i:000000}" }).Length);

        Assert.All(sizes, size => Assert.InRange(size, 10_000, 500_000));
    }

    [Fact]
    public void Agreement_LongText_RunsOverSeveralPages_AndKeepsEverythingToTheLastParagraph()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "content", "agreements", "volunteer-code-of-conduct", "v1", "zh-CN.md"));
        var lastParagraph = text.TrimEnd().Split("\n\n")[^1];
        var model = Agreement(text);

        using var document = PdfDocument.Open(pdf.Agreement(model));

        Assert.True(document.NumberOfPages > 1, $"expected several pages, got {document.NumberOfPages}");
        var all = Squeeze(string.Concat(document.GetPages().Select(Text)));
        Assert.Contains("志愿者行为守则与儿童保护协议", all);
        Assert.Contains("Volunteer Code of Conduct", Text(document.GetPage(1)));
        Assert.Contains(Squeeze(lastParagraph), all);
        Assert.Contains("签署证据", all);
        foreach (var (_, value) in model.Evidence)
        {
            Assert.Contains(Squeeze(value), all);
        }
        var last = document.NumberOfPages;
        Assert.Contains($"{last} / {last}", Text(document.GetPage(last)));
    }

    [Fact]
    public void Agreement_InEnglish_WrapsWordsAndNumbersListItems()
    {
        var text = "# Access agreement\n\nIntro paragraph.\n\n1. First duty\n2. Second duty\n\n- a bullet\n\n"
                   + string.Join("\n\n", Enumerable.Range(1, 60).Select(i => $"Paragraph {i}: the practitioner keeps children safe, reports concerns the same day and never meets a child alone."))
                   + "\n\nThe very last words of the agreement.";

        using var document = PdfDocument.Open(pdf.Agreement(Agreement(text) with { Language = "en" }));

        Assert.True(document.NumberOfPages > 1);
        var words = document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
        Assert.Contains("1.", words);
        Assert.Contains("2.", words);
        Assert.Contains("•", words);
        Assert.Contains("practitioner", words);
        Assert.Contains("Paragraph 60:", string.Join(' ', words));
        Assert.Contains("The very last words of the agreement.", string.Join(' ', words));
    }

    [Fact]
    public void ChineseText_WrapsBetweenCharacters_AndNoLineStartsWithClosingPunctuation()
    {
        const string text = "我不添加儿童的微信、QQ、抖音等私人账号，不与儿童私聊、单独视频；需要联系时，通过监护人或社区的正式渠道。Hash: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        using var measure = PdfSharp.Drawing.XGraphics.CreateMeasureContext(new(595, 842), PdfSharp.Drawing.XGraphicsUnit.Point, PdfSharp.Drawing.XPageDirection.Downwards);
        var wrapper = new TextWrapper(measure, PdfStyle.Font(10.5));

        var lines = wrapper.Wrap(text, 120);

        Assert.True(lines.Count > 4);
        Assert.All(lines, line => Assert.True(wrapper.Width(line) <= 120, $"'{line}' is wider than the line"));
        Assert.DoesNotContain(lines, line => "，。、；".Contains(line[0]));
        Assert.Equal(Squeeze(text), Squeeze(string.Concat(lines)));
    }

    [Fact]
    public void EmbeddedFont_ExtractsToAStandaloneTrueTypeFace_WithValidChecksums()
    {
        var face = PdfFont.LoadEmbeddedFace(typeof(PdfFont).Assembly, PdfFont.ResourceName);

        Assert.Equal(0x00010000u, BinaryPrimitives.ReadUInt32BigEndian(face));
        Assert.Equal(0xB1B0AFBAu, TrueTypeCollection.Checksum(face));
        var tables = BinaryPrimitives.ReadUInt16BigEndian(face.AsSpan(4));
        for (var i = 0; i < tables; i++)
        {
            var record = face.AsSpan(12 + (16 * i));
            var tag = Encoding.ASCII.GetString(record[..4]);
            if (tag == "head")
            {
                continue; // its checksum is computed with checkSumAdjustment zeroed
            }
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            Assert.True(offset % 4 == 0, $"table {tag} is not 4-byte aligned");
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(record[4..]), TrueTypeCollection.Checksum(face.AsSpan(offset, length)));
        }
        Assert.Same(face, PdfFont.Validate(face));
    }

    [Fact]
    public void GarbledFont_IsRefused_WithAClearMessage()
    {
        var face = PdfFont.LoadEmbeddedFace(typeof(PdfFont).Assembly, PdfFont.ResourceName);
        var garbled = (byte[])face.Clone();
        for (var i = 64; i < garbled.Length; i += 7)
        {
            garbled[i] ^= 0x5A;
        }

        var error = Assert.Throws<InvalidOperationException>(() => PdfFont.Validate(garbled));
        Assert.Contains("PDF font is unreadable", error.Message);
    }

    [Fact]
    public void NotACollection_IsRefused_WithAClearMessage()
    {
        var error = Assert.Throws<InvalidDataException>(() => TrueTypeCollection.ExtractFace(Encoding.ASCII.GetBytes("this is not a font at all")));
        Assert.Contains("Not a TrueType collection", error.Message);
    }

    [Fact]
    public void MissingFontResource_IsReportedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PdfFont.LoadEmbeddedFace(typeof(PdfFont).Assembly, "Practitioners.Web.Nope.ttc"));
        Assert.Contains("PDF font is missing", error.Message);
        Assert.Contains("Practitioners.Web.Nope.ttc", error.Message);
    }

    [Fact]
    public void AddPdf_RegistersTheDocumentsAsASingleton()
    {
        var builder = WebApplication.CreateBuilder();

        builder.AddPdf();
        builder.AddPdf();

        using var services = builder.Services.BuildServiceProvider();
        Assert.Same(services.GetRequiredService<IPdfDocuments>(), services.GetRequiredService<IPdfDocuments>());
    }

    private static AgreementPdfModel Agreement(string text) => new(
        TitleZh: "志愿者行为守则与儿童保护协议",
        TitleEn: "Volunteer Code of Conduct and Child Protection Agreement",
        Language: "zh-CN",
        Text: text,
        Evidence:
        [
            ("文本 SHA-256 / Text SHA-256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            ("签署人输入的姓名 / Typed name", "李小雨"),
            ("签署时间 (UTC) / Signed at (UTC)", "2026-03-14 23:30:05"),
            ("IP 地址 / IP address", "203.0.113.42"),
            ("浏览器 / User agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"),
            ("监护人共同签署 / Countersignature", "李建国（父亲）2026-03-15 08:12:44 UTC"),
        ]);

    private static string Text(UglyToad.PdfPig.Content.Page page) => string.Join(' ', page.GetWords().Select(w => w.Text));

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
