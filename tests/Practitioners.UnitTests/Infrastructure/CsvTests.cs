using System.Text;
using Practitioners.Web.Infrastructure.Csv;

namespace Practitioners.UnitTests.Infrastructure;

public sealed class CsvTests
{
    static CsvTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static CsvReadResult Read(string text, Encoding? encoding = null, int maxRows = 100) =>
        CsvReader.Read((encoding ?? new UTF8Encoding(false)).GetBytes(text), 1 << 20, maxRows);

    [Fact]
    public void QuotedFields_KeepCommasQuotesAndNewlines_AndRecordsKnowTheirLine()
    {
        var result = Read("name,note\n\"李, 小雨\",\"说\"\"你好\"\"\"\n\"两行\n的备注\",x\nlast,row\n");

        Assert.Null(result.Problem);
        Assert.Equal([1, 2, 3, 5], result.Records.Select(r => r.Line));
        Assert.Equal(["李, 小雨", "说\"你好\""], result.Records[1].Fields);
        Assert.Equal("两行\n的备注", result.Records[2].Fields[0]);
    }

    [Fact]
    public void Utf8Bom_CrLf_AndBlankLines_AreHandled()
    {
        var result = Read("\uFEFFa,b\r\n\r\nc,d\r\n", new UTF8Encoding(true));

        Assert.Equal("UTF-8", result.EncodingName);
        Assert.Equal([["a", "b"], ["c", "d"]], result.Records.Select(r => r.Fields.ToArray()));
        Assert.Equal(3, result.Records[1].Line);
    }

    [Fact]
    public void GbkFromChineseExcel_IsDecoded()
    {
        var result = Read("姓名,学校\n王小明,师范大学\n", Encoding.GetEncoding("GBK"));

        Assert.Equal("GB18030", result.EncodingName);
        Assert.Equal(["王小明", "师范大学"], result.Records[1].Fields);
    }

    [Fact]
    public void Problems_AreReported_NotThrown()
    {
        Assert.Equal(CsvProblemKind.UnclosedQuote, Read("a\n\"open,b\nc\n").Problem);
        Assert.Equal(2, Read("a\n\"open,b\nc\n").ProblemLine);
        Assert.Equal(CsvProblemKind.TooManyRows, Read(string.Concat(Enumerable.Repeat("x\n", 11)), maxRows: 10).Problem);
        Assert.Equal(CsvProblemKind.Empty, Read("\n\n").Problem);
        Assert.Equal(CsvProblemKind.TooLarge, CsvReader.Read(new byte[2048], 1024, 10).Problem);
        Assert.Equal(CsvProblemKind.NotUtf8, CsvReader.Read([0xFF, 0xFF, 0xFF, 0x81], 1024, 10).Problem);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("李小雨", "李小雨")]
    [InlineData("a,b", "\"a,b\"")]
    public void Writer_NeutralisesFormulas_AndQuotesWhatNeedsIt(string value, string cell) =>
        Assert.Equal(cell, CsvWriter.Cell(value));

    [Fact]
    public void Writer_StartsWithABom_SoExcelReadsChinese_AndRoundTrips()
    {
        var bytes = CsvWriter.Write([["姓名", "备注"], ["李小雨", "第一行\n第二行"]]);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var back = CsvReader.Read(bytes, 1 << 20, 10);
        Assert.Equal(["李小雨", "第一行\n第二行"], back.Records[1].Fields);
    }

    /// <summary>Found by CsvPropertyTests (shrunk to a file holding one space): such a row was a record of empty cells.</summary>
    [Theory]
    [InlineData(" ")]
    [InlineData("\u3000")]
    [InlineData("CFC-V-2026-000001\r\n  ,  \r\nCFC-V-2026-000002")]
    public void RowsOfSpaces_AreSkippedLikeBlankLines(string text)
    {
        var read = CsvReader.Read(System.Text.Encoding.UTF8.GetBytes(text), 1 << 20, 10);

        Assert.All(read.Records, r => Assert.Contains(r.Fields, f => f.Length > 0));
        Assert.Equal(text.Trim().Length == 0 ? CsvProblemKind.Empty : null, read.Problem);
    }
}
