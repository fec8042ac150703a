using Practitioners.Web.Infrastructure.Pdf;
using UglyToad.PdfPig;

namespace Practitioners.UnitTests.Infrastructure;

public sealed class HoursCertificatePdfTests
{
    private readonly PdfDocuments pdf = new();

    private static HoursCertificatePdfModel Model(int lines) => new(
        HolderName: "陈思远", FromDay: "2026-01-01", ToDay: "2026-06-30", TotalHours: lines * 2.5m, ActivityCount: lines, RecordCount: lines,
        CommunitiesZh: "和平里社区、椿树社区", CommunitiesEn: "Hepingli Community, Chunshu Community", IssuersZh: "新华街道", IssuersEn: "Xinhua Street",
        Number: "SH-2026-000042", IssuedAtUtc: new DateTime(2026, 7, 1, 2, 0, 0, DateTimeKind.Utc),
        VerifyUrl: "https://practitioners.example.cn/verify/hours/ABCDEFGHJKMNPQRSTVWX",
        Lines: Enumerable.Range(1, lines).Select(i => new HoursPdfLine($"2026-03-{i % 28 + 1:D2}",
            i == 1 ? "一个名字非常非常长的社区儿童阅读陪伴与家庭作业辅导志愿服务活动，需要在表格里截断" : $"儿童阅读陪伴 {i}", "和平里社区", 2.5m)).ToList());

    [Fact]
    public void HoursCertificate_IsPortrait_WithTotalChineseTextAndOneQrCode()
    {
        using var document = PdfDocument.Open(pdf.HoursCertificate(Model(3)));
        Assert.Equal(1, document.NumberOfPages);
        var page = document.GetPage(1);
        Assert.True(page.Height > page.Width);
        var text = string.Join(" ", page.GetWords().Select(w => w.Text));
        Assert.Contains("志愿服务时长证明", text);
        Assert.Contains("7.5", text);
        Assert.Contains("新华街道", text);
        Assert.Contains("SH-2026-000042", text);
        Assert.Contains("…", text);
        Assert.Single(page.GetImages());
    }

    [Fact]
    public void ManyLines_ContinueOnFurtherPages_WithTheTotalOnTheLast()
    {
        using var document = PdfDocument.Open(pdf.HoursCertificate(Model(60)));
        Assert.True(document.NumberOfPages >= 2);
        var all = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("儿童阅读陪伴 60", all);
        var last = string.Join(" ", document.GetPage(document.NumberOfPages).GetWords().Select(w => w.Text));
        Assert.Contains("continued", last);
        Assert.Contains("150", last);
    }
}
