using System.Text;

namespace Practitioners.Web.Infrastructure.Csv;

/// <summary>One parsed record and the line it starts on (quoted fields may span lines).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

public enum CsvProblemKind
{
    TooLarge,
    TooManyRows,
    NotUtf8,
    UnclosedQuote,
    Empty,
}

public sealed record CsvReadResult(IReadOnlyList<CsvRecord> Records, CsvProblemKind? Problem, int ProblemLine, string EncodingName);

/// <summary>
/// RFC 4180 CSV for uploads from spreadsheets: quoted fields with commas, quotes and newlines; UTF-8 (with or
/// without BOM) or, failing that, GBK/GB18030 as saved by Chinese Excel. Uploads are data only: nothing is evaluated.
/// </summary>
public static class CsvReader
{
    static CsvReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static CsvReadResult Read(byte[] bytes, int maxBytes, int maxRows)
    {
        if (bytes.Length > maxBytes)
        {
            return new([], CsvProblemKind.TooLarge, 0, "");
        }
        var (text, encoding) = Decode(bytes);
        if (text is null)
        {
            return new([], CsvProblemKind.NotUtf8, 0, "");
        }
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var quoteLine = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    quoteLine = line;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    Add();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
            if (records.Count > maxRows)
            {
                return new([], CsvProblemKind.TooManyRows, line, encoding);
            }
        }
        if (quoted)
        {
            return new([], CsvProblemKind.UnclosedQuote, quoteLine, encoding);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            Add();
        }
        if (records.Count > maxRows)
        {
            return new([], CsvProblemKind.TooManyRows, line, encoding);
        }
        return records.Count == 0 ? new([], CsvProblemKind.Empty, 0, encoding) : new(records, null, 0, encoding);

        void Add()
        {
            // Cells are trimmed first: a row of spaces is as empty as a blank line, not a record of empty cells.
            var trimmed = fields.Select(f => f.Trim()).ToList();
            if (trimmed.Any(f => f.Length > 0))
            {
                records.Add(new CsvRecord(recordLine, trimmed));
            }
            fields = [];
        }
    }

    private static (string? Text, string Encoding) Decode(byte[] bytes)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
            var text = utf8.GetString(bytes);
            return (text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text, "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Chinese Excel saves CSV as GBK. Accept it only if it decodes without replacement characters.
            var gb = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            try
            {
                return (gb.GetString(bytes), "GB18030");
            }
            catch (DecoderFallbackException)
            {
                return (null, "");
            }
        }
    }
}

/// <summary>CSV for Excel: UTF-8 with BOM so Chinese opens correctly, and formula-like cells neutralised.</summary>
public static class CsvWriter
{
    public static byte[] Write(IEnumerable<IReadOnlyList<string?>> rows)
    {
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            sb.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>A cell that starts with = + - @ (or a tab or carriage return) is prefixed with ' so no spreadsheet runs it.</summary>
    public static string Cell(string? value)
    {
        var v = value ?? "";
        if (v.Length > 0 && "=+-@\t\r".Contains(v[0]))
        {
            v = "'" + v;
        }
        return v.IndexOfAny([',', '"', '\n', '\r']) >= 0 || v.StartsWith(' ') || v.EndsWith(' ') ? $"\"{v.Replace("\"", "\"\"")}\"" : v;
    }
}
