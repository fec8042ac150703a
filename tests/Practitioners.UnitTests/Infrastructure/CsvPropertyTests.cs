using System.Text;
using CsCheck;
using Practitioners.Web.Infrastructure.Csv;

namespace Practitioners.UnitTests.Infrastructure;

/// <summary>Property-based tests of the CSV reader and writer: any input is data, and what we write we read back.</summary>
public sealed class CsvPropertyTests
{
    private const int MaxBytes = 64 * 1024;
    private const int MaxRows = 200;

    static CsvPropertyTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The characters that matter to CSV and to spreadsheets, with Chinese and a few odd ones.</summary>
    private const string Tricky = "ab1 ,\"\r\n\t=+-@'中文证书﻿é\u00a0\u3000;|";

    /// <summary>Text made mostly of CSV's own syntax, so quotes, separators and line ends meet in every order.</summary>
    internal static readonly Gen<string> CsvLikeText = Gen.String[Gen.Char[Tricky], 0, 300];

    [Fact]
    public void Read_ArbitraryBytes_NeverThrows_AndAnswersRecordsOrAProblem() =>
        Gen.Byte.Array[0, 2000].Sample(bytes => CheckResult(CsvReader.Read(bytes, MaxBytes, MaxRows)), iter: 3000);

    [Fact]
    public void Read_CsvLikeText_InUtf8OrGbk_NeverThrows_AndAnswersRecordsOrAProblem() =>
        Gen.Select(CsvLikeText, Gen.Bool).Sample(t =>
        {
            var bytes = (t.Item2 ? Encoding.GetEncoding("GB18030") : Encoding.UTF8).GetBytes(t.Item1);
            CheckResult(CsvReader.Read(bytes, MaxBytes, MaxRows));
        }, iter: 3000);

    /// <summary>A cell as a person would type it: no whitespace at either end (the reader trims, on purpose).</summary>
    internal static readonly Gen<string> Cell = Gen.String[Gen.Char[Tricky], 0, 12]
        .Select(s => s.Trim());

    /// <summary>Rows of cells with at least one non-empty cell (an empty row is skipped by the reader, on purpose).</summary>
    internal static readonly Gen<string[][]> Rows = Cell.Array[1, 6].Where(r => r.Any(c => c.Length > 0)).Array[1, 30];

    [Fact]
    public void WriteThenRead_GivesTheSameRows_WithFormulaCellsNeutralised() =>
        Rows.Sample(rows =>
        {
            var read = CsvReader.Read(CsvWriter.Write(rows), MaxBytes, MaxRows);

            Assert.Null(read.Problem);
            Assert.Equal("UTF-8", read.EncodingName);
            var expected = rows.Select(r => r.Select(Neutralised).ToList()).ToList();
            Assert.Equal(expected, read.Records.Select(r => r.Fields.ToList()).ToList());
        }, iter: 3000, print: rows => string.Join(" | ", rows.Select(r => string.Join(",", r.Select(c => $"[{Escape(c)}]")))));

    [Fact]
    public void Write_NeverStartsACellWithAFormulaCharacter() =>
        Cell.Sample(cell =>
        {
            var written = CsvWriter.Cell(cell);
            var unquoted = written.StartsWith('"') ? written[1..] : written;
            Assert.False(unquoted.Length > 0 && "=+-@".Contains(unquoted[0]), $"cell [{Escape(cell)}] written as [{Escape(written)}]");
        }, iter: 3000);

    private static string Neutralised(string cell) => cell.Length > 0 && "=+-@\t\r".Contains(cell[0]) ? "'" + cell : cell;

    internal static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t");

    private static void CheckResult(CsvReadResult result)
    {
        if (result.Problem is not null)
        {
            Assert.Empty(result.Records);
            return;
        }
        Assert.NotEmpty(result.Records);
        Assert.InRange(result.Records.Count, 1, MaxRows);
        var previous = 0;
        foreach (var record in result.Records)
        {
            Assert.True(record.Line > previous, "records come in order of their first line");
            previous = record.Line;
            Assert.Contains(record.Fields, f => f.Length > 0);
            Assert.All(record.Fields, f => Assert.Equal(f.Trim(), f));
        }
    }
}
