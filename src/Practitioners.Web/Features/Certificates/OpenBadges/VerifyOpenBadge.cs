using System.Text.Json.Nodes;

namespace Practitioners.Web.Features.Certificates.OpenBadges;

/// <summary>The answer to "is this badge good now?", most favourable first.</summary>
public enum BadgeVerdict
{
    Valid = 1,
    Expiring,
    Expired,
    NotYetValid,
    Suspended,
    Revoked,
    UnknownCertificate,
    UnknownKey,
    SignatureInvalid,
    Malformed,
}

public sealed record BadgeCheck(BadgeVerdict Verdict, VerifiedCertificate? Certificate, DateTime CheckedAt);

/// <summary>
/// Checks a pasted VC-JWT the way a careful verifier would: the JWS structure, alg ES256 only (never "none" or a
/// key the token brings with it), our key id, the signature, nbf and exp on the site's clock, and then the live
/// status of the certificate, which can have been suspended or revoked since the badge was downloaded.
/// </summary>
public sealed class VerifyOpenBadge(IssuerKey key, CertificateLookup lookup, TimeProvider clock)
{
    public async Task<BadgeCheck> RunAsync(string? token)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        BadgeCheck Verdict(BadgeVerdict v, VerifiedCertificate? c = null) => new(v, c, now);

        var jws = VcJwt.Parse(token);
        if (jws is null || !IsOpenBadgeCredential(jws.Payload))
        {
            return Verdict(BadgeVerdict.Malformed);
        }
        if (jws.HeaderString("alg") != IssuerKey.Algorithm)
        {
            return Verdict(BadgeVerdict.SignatureInvalid);
        }
        if (jws.HeaderString("kid") != key.KeyId)
        {
            return Verdict(BadgeVerdict.UnknownKey);
        }
        if (!key.Verify(jws.SigningInput, jws.Signature))
        {
            return Verdict(BadgeVerdict.SignatureInvalid);
        }
        // From here the content is ours, so the credential id can be trusted to name the certificate.
        var (nbf, exp) = (jws.PayloadNumber("nbf"), jws.PayloadNumber("exp"));
        var code = jws.PayloadString("id") is { } id ? id[(id.LastIndexOf('/') + 1)..] : null;
        if (nbf is null || exp is null || code is null)
        {
            return Verdict(BadgeVerdict.Malformed);
        }
        var certificate = await lookup.ByCodeAsync(code);
        var seconds = clock.GetUtcNow().ToUnixTimeSeconds();
        return certificate switch
        {
            null => Verdict(BadgeVerdict.UnknownCertificate),
            // A decision taken after the badge was signed outranks the badge's own dates.
            { Status: CertificateStatus.Revoked } => Verdict(BadgeVerdict.Revoked, certificate),
            { Status: CertificateStatus.Suspended } => Verdict(BadgeVerdict.Suspended, certificate),
            _ when seconds >= exp => Verdict(BadgeVerdict.Expired, certificate),
            _ when seconds < nbf => Verdict(BadgeVerdict.NotYetValid, certificate),
            { Status: CertificateStatus.Expired } => Verdict(BadgeVerdict.Expired, certificate),
            { Status: CertificateStatus.Expiring } => Verdict(BadgeVerdict.Expiring, certificate),
            _ => Verdict(BadgeVerdict.Valid, certificate),
        };
    }

    private static bool IsOpenBadgeCredential(JsonObject payload) =>
        payload["type"] is JsonArray types && types.Any(t => t is JsonValue v && v.TryGetValue(out string? s) && s == "OpenBadgeCredential");
}
