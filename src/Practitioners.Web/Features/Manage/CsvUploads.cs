using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Csv;

namespace Practitioners.Web.Features.Manage;

/// <summary>
/// The rows of the two CSV uploads of the manager console, read as data only and without the database: what the
/// controller then looks up or invites. Pure, so property tests can feed them anything.
/// </summary>
public static class CsvUploads
{
    public sealed record NumberRow(int Line, string Number);

    public sealed record BadNumber(int Line, string Value);

    /// <summary>Bulk verification: the certificate number in the first column of every row, a header row skipped.</summary>
    public static (IReadOnlyList<NumberRow> Numbers, IReadOnlyList<BadNumber> Bad) BulkVerify(IReadOnlyList<CsvRecord> records)
    {
        var bad = new List<BadNumber>();
        var wanted = new List<NumberRow>();
        foreach (var record in records)
        {
            var value = record.Fields[0].Trim().ToUpperInvariant();
            if (record.Line == 1 && !CertificateCodes.IsNumber(value) && value.Length < 30 && !value.StartsWith("CFC", StringComparison.Ordinal))
            {
                continue; // a header row
            }
            if (CertificateCodes.IsNumber(value))
            {
                wanted.Add(new NumberRow(record.Line, value));
            }
            else
            {
                bad.Add(new BadNumber(record.Line, record.Fields[0]));
            }
        }
        return (wanted, bad);
    }

    public enum InviteProblem
    {
        BadName,
        BadEmail,
        Duplicate,
    }

    public sealed record Invitee(int Line, string Name, string Email, string? School, InviteProblem? Problem);

    public const int MaxNameLength = 100;
    public const int MaxEmailLength = 256;

    /// <summary>
    /// Invitations: a header row naming the columns (name/姓名, email/邮箱/电子邮箱, optional school/学校) in any order,
    /// then one person per row. Null when the header lacks the name or email column.
    /// </summary>
    public static IReadOnlyList<Invitee>? Invitees(IReadOnlyList<CsvRecord> records)
    {
        if (records.Count == 0)
        {
            return [];
        }
        var header = records[0].Fields.Select(f => f.ToLowerInvariant()).ToList();
        int Column(params string[] names) => header.FindIndex(names.Contains);
        var (name, email, school) = (Column("name", "姓名"), Column("email", "邮箱", "电子邮箱"), Column("school", "学校"));
        if (name < 0 || email < 0)
        {
            return null;
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rows = new List<Invitee>();
        var validator = new System.ComponentModel.DataAnnotations.EmailAddressAttribute();
        foreach (var record in records.Skip(1))
        {
            string Field(int i) => i >= 0 && i < record.Fields.Count ? record.Fields[i] : "";
            var (n, e, s) = (Field(name), Field(email), school >= 0 ? Field(school) : null);
            InviteProblem? issue = n.Length is 0 or > MaxNameLength ? InviteProblem.BadName
                : !validator.IsValid(e) || e.Length > MaxEmailLength ? InviteProblem.BadEmail
                : !seen.Add(e) ? InviteProblem.Duplicate
                : null;
            rows.Add(new Invitee(record.Line, n, e, s, issue));
        }
        return rows;
    }
}
