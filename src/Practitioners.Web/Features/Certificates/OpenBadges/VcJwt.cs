using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Practitioners.Web.Features.Certificates.OpenBadges;

/// <summary>
/// A credential as a VC-JWT: a JWS in compact form whose payload is the credential itself (Open Badges 3.0 §8.2,
/// VC-JOSE-COSE), with the JWT registered claims iss, jti, nbf and exp added. Header: alg ES256, kid, typ JWT.
/// </summary>
public static class VcJwt
{
    /// <summary>Chinese stays readable UTF-8; characters that matter in HTML are still escaped.</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Longer input than any badge this site signs is refused before it is decoded.</summary>
    public const int MaxLength = 20_000;

    public static string Sign(JsonObject payload, IssuerKey key)
    {
        var header = new JsonObject { ["alg"] = IssuerKey.Algorithm, ["kid"] = key.KeyId, ["typ"] = "JWT" };
        var signingInput = Encode(header) + "." + Encode(payload);
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>Splits and decodes a compact JWS; null when it is not three base64url parts holding JSON objects.</summary>
    public static ParsedJws? Parse(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > MaxLength)
        {
            return null;
        }
        var parts = token.Trim().Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            return null;
        }
        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
            var signature = Base64Url.DecodeFromChars(parts[2]);
            // Counting materialises the objects, so a duplicated member fails here rather than later.
            return header is null || payload is null || header.Count == 0 || payload.Count == 0 ? null
                : new ParsedJws(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    public static long NumericDate(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();

    /// <summary>The XML Schema dateTime form VC uses: UTC, whole seconds, a Z.</summary>
    public static string DateTimeStamp(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Encode(JsonNode node) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(node, Json));
}

public sealed record ParsedJws(JsonObject Header, JsonObject Payload, byte[] SigningInput, byte[] Signature)
{
    public string? HeaderString(string name) => Header[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public long? PayloadNumber(string name) => Payload[name] is JsonValue v && v.TryGetValue(out long n) ? n : null;

    public string? PayloadString(string name) => Payload[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
