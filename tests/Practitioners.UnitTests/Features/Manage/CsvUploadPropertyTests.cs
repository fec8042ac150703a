using CsCheck;
using Practitioners.UnitTests.Infrastructure;
using Practitioners.Web.Features.Manage;
using Practitioners.Web.Infrastructure.Csv;

namespace Practitioners.UnitTests.Features.Manage;

/// <summary>
/// Property-based tests of the manager console's uploads (bulk verification, bulk invitations): any file is answered
/// with rows and problems, never an exception, and a list written as CSV comes back as the same list.
/// </summary>
public sealed class CsvUploadPropertyTests
{
    private const int MaxBytes = 512 * 1024;
    private const int MaxRows = 1000;

    private static readonly Gen<byte[]> AnyFile = Gen.OneOf<byte[]>(
        Gen.Byte.Array[0, 2000],
        CsvPropertyTests.CsvLikeText.Select(t => System.Text.Encoding.UTF8.GetBytes(t)),
        // Headers the parsers look for, then anything.
        Gen.Select(Gen.OneOf<string>("name,email,school\n", "姓名,邮箱\n", "email,name\n", "证书编号\n", "CFC-V-2026-000001\n", ""),
            CsvPropertyTests.CsvLikeText, (h, t) => System.Text.Encoding.UTF8.GetBytes(h + t)));

    [Fact]
    public void BulkVerify_AnyFile_NeverThrows_AndEveryRowIsANumberOrAProblem() =>
        AnyFile.Sample(bytes =>
        {
            var read = CsvReader.Read(bytes, MaxBytes, MaxRows);
            var (numbers, bad) = CsvUploads.BulkVerify(read.Records);
            Assert.All(numbers, n => Assert.Matches("^CFC-[VPR]-[0-9]{4}-[0-9]{6}$", n.Number));
            var lines = numbers.Select(n => n.Line).Concat(bad.Select(b => b.Line)).ToList();
            Assert.Equal(lines.Count, lines.Distinct().Count());
            // Only a first-line header may be left out.
            Assert.InRange(read.Records.Count - lines.Count, 0, 1);
        }, iter: 3000);

    [Fact]
    public void Invitations_AnyFile_NeverThrow_AndEveryRowIsReported() =>
        AnyFile.Sample(bytes =>
        {
            var read = CsvReader.Read(bytes, MaxBytes, MaxRows);
            var rows = CsvUploads.Invitees(read.Records);
            if (rows is not null && read.Records.Count > 0)
            {
                Assert.Equal(read.Records.Skip(1).Select(r => r.Line), rows.Select(r => r.Line));
                Assert.All(rows.Where(r => r.Problem is null), r => Assert.InRange(r.Name.Length, 1, CsvUploads.MaxNameLength));
            }
        }, iter: 3000);

    private static readonly Gen<string> Number = Gen.Select(Gen.Char["VPR"], Gen.Int[2000, 2099], Gen.Int[0, 999_999],
        (t, y, n) => $"CFC-{t}-{y}-{n:D6}");

    [Fact]
    public void BulkVerify_NumbersWrittenAsCsv_ComeBackInOrder_WithTheirLines() =>
        Gen.Select(Number.Array[1, 50], Gen.Bool).Sample(t =>
        {
            var (numbers, withHeader) = t;
            var rows = numbers.Select(n => (IReadOnlyList<string?>)[n]).ToList();
            if (withHeader)
            {
                rows.Insert(0, ["证书编号"]);
            }
            var read = CsvReader.Read(CsvWriter.Write(rows), MaxBytes, MaxRows);
            var (wanted, bad) = CsvUploads.BulkVerify(read.Records);

            Assert.Empty(bad);
            Assert.Equal(numbers, wanted.Select(w => w.Number));
            Assert.Equal(Enumerable.Range(withHeader ? 2 : 1, numbers.Length), wanted.Select(w => w.Line));
        }, iter: 1000);

    private static readonly Gen<string> Name = Gen.String[Gen.Char["张王李赵晓明丽 abcXYZ'-·,\""], 1, 20].Select(s => s.Trim()).Where(s => s.Length > 0);
    private static readonly Gen<string> Email = Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 12], Gen.String[Gen.Char['a', 'z'], 1, 10],
        Gen.OneOf<string>("cn", "edu.cn", "org"), (local, domain, tld) => $"{local}@{domain}.{tld}");
    private static readonly Gen<string> School = Gen.String[Gen.Char["师范大学学院 ,\"=+-@abc"], 0, 20].Select(s => s.Trim());

    [Fact]
    public void Invitations_WrittenAsCsv_ComeBackAsTheSamePeople() =>
        Gen.Select(Gen.Select(Name, Email, School).Array[1, 30].Where(p => p.Select(x => x.Item2.ToLowerInvariant()).Distinct().Count() == p.Length),
                Gen.Bool)
            .Sample(t =>
            {
                var (people, chinese) = t;
                IReadOnlyList<string?> header = chinese ? ["姓名", "邮箱", "学校"] : ["email", "school", "name"];
                var rows = people.Select(p => chinese
                    ? (IReadOnlyList<string?>)[p.Item1, p.Item2, p.Item3]
                    : [p.Item2, p.Item3, p.Item1]).Prepend(header);
                var read = CsvReader.Read(CsvWriter.Write(rows), MaxBytes, MaxRows);
                var invitees = CsvUploads.Invitees(read.Records);

                Assert.NotNull(invitees);
                Assert.All(invitees, i => Assert.Null(i.Problem));
                Assert.Equal(people.Select(p => (Neutralised(p.Item1), p.Item2, Neutralised(p.Item3))), invitees.Select(i => (i.Name, i.Email, i.School ?? "")));
            }, iter: 1000);

    private static string Neutralised(string cell) => cell.Length > 0 && "=+-@".Contains(cell[0]) ? "'" + cell : cell;
}
