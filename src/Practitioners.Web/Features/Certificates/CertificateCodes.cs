using System.Security.Cryptography;
using System.Text;

namespace Practitioners.Web.Features.Certificates;

/// <summary>Certificate numbers and verification codes.</summary>
public static class CertificateCodes
{
    /// <summary>Crockford's base32: no I, L, O or U, so a code read aloud or from paper is not misread.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>20 characters of 5 bits: 100 random bits from the operating system's cryptographic generator.</summary>
    public const int CodeLength = 20;

    public static string NewVerificationCode()
    {
        Span<byte> random = stackalloc byte[CodeLength];
        RandomNumberGenerator.Fill(random);
        var chars = new char[CodeLength];
        for (var i = 0; i < CodeLength; i++)
        {
            chars[i] = Alphabet[random[i] & 31];
        }
        return new string(chars);
    }

    /// <summary>Reads a code as a person may type it: any case, with spaces or dashes, I/L for 1 and O for 0.</summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 64)
        {
            return null;
        }
        var sb = new StringBuilder(CodeLength);
        foreach (var c in input.ToUpperInvariant())
        {
            var mapped = c switch { 'I' or 'L' => '1', 'O' => '0', _ => c };
            if (mapped is ' ' or '-')
            {
                continue;
            }
            if (!Alphabet.Contains(mapped))
            {
                return null;
            }
            sb.Append(mapped);
        }
        return sb.Length == CodeLength ? sb.ToString() : null;
    }

    public static string Number(char type, int year, int sequence) => $"CFC-{type}-{year}-{sequence:D6}";

    /// <summary>Whether the text is a well-formed certificate number (CFC-V-2026-000123).</summary>
    public static bool IsNumber(string? text) =>
        text is { Length: 17 } && text.StartsWith("CFC-", StringComparison.Ordinal) && "VPR".Contains(text[4]) && text[5] == '-'
        && text[6..10].All(char.IsAsciiDigit) && text[10] == '-' && text[11..].All(char.IsAsciiDigit);
}
