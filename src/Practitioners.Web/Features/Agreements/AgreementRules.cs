using System.Security.Cryptography;
using System.Text;

namespace Practitioners.Web.Features.Agreements;

public sealed record VersionInfo(int Version, DateTime EffectiveAt, bool Material);

public enum AgreementState
{
    /// <summary>No complete signature yet.</summary>
    NotSigned,

    /// <summary>Signed a version that is still good.</summary>
    Valid,

    /// <summary>A material version or the re-acceptance period asks for a new signature; the grace period runs.</summary>
    ResignDue,

    /// <summary>The grace period ended without a new signature: the admission pauses.</summary>
    Overdue,
}

public sealed record AgreementStatus(AgreementState State, int? CurrentVersion, DateTime? Deadline);

/// <summary>The versioning rules: which version people sign now, and when a signature stops being enough.</summary>
public static class AgreementRules
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromDays(30);

    /// <summary>The newest version already in effect: the one people sign now.</summary>
    public static VersionInfo? Current(IEnumerable<VersionInfo> versions, DateTime now) =>
        versions.Where(v => v.EffectiveAt <= now).MaxBy(v => v.Version);

    /// <summary>
    /// The oldest version a signature may be for and still count: the newest material version in effect
    /// (the first version always counts as material). Minor versions need no new signature.
    /// </summary>
    public static VersionInfo? Required(IReadOnlyList<VersionInfo> versions, DateTime now)
    {
        var effective = versions.Where(v => v.EffectiveAt <= now).OrderBy(v => v.Version).ToList();
        return effective.LastOrDefault(v => v.Material || v.Version == effective[0].Version);
    }

    public static AgreementStatus Status(IReadOnlyList<VersionInfo> versions, int? reacceptanceMonths,
        (int Version, DateTime SignedAt)? lastSigned, TimeSpan grace, DateTime now)
    {
        var current = Current(versions, now);
        var required = Required(versions, now);
        if (lastSigned is not { } signed || current is null || required is null)
        {
            return new AgreementStatus(AgreementState.NotSigned, current?.Version, null);
        }
        DateTime? dueFrom = null;
        if (signed.Version < required.Version)
        {
            dueFrom = required.EffectiveAt;
        }
        if (reacceptanceMonths is { } months && signed.SignedAt.AddMonths(months) is var renewAt && renewAt <= now)
        {
            dueFrom = dueFrom is null || renewAt < dueFrom ? renewAt : dueFrom;
        }
        if (dueFrom is not { } from)
        {
            return new AgreementStatus(AgreementState.Valid, current.Version, reacceptanceMonths is { } m ? signed.SignedAt.AddMonths(m) : null);
        }
        var deadline = from + grace;
        return new AgreementStatus(now < deadline ? AgreementState.ResignDue : AgreementState.Overdue, current.Version, deadline);
    }

    /// <summary>SHA-256 (lowercase hex) of the text as shown, line endings normalised, so the hash is the same on every platform.</summary>
    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal))));

    /// <summary>Names compare ignoring spacing and letter case, so "Li Xiaoyu" matches "li  xiaoyu" and "李 小雨" matches "李小雨".</summary>
    public static bool NamesMatch(string typed, string expected) =>
        Normalise(typed).Length > 0 && string.Equals(Normalise(typed), Normalise(expected), StringComparison.OrdinalIgnoreCase);

    private static string Normalise(string name) =>
        new(name.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c != '·' && c != '.').ToArray());
}
