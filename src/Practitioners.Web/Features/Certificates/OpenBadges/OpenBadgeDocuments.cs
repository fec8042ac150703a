using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Certificates.OpenBadges;

/// <summary>What a badge says about one certificate.</summary>
public sealed record BadgeFacts(
    string Number, string VerificationCode, RoleTrack Track, string HolderName, string Email,
    string CommunityZh, string CommunityEn, string StreetZh, string StreetEn, DateTime IssuedAt, DateTime ExpiresAt);

/// <summary>
/// The Open Badges 3.0 documents: the issuer's Profile, one Achievement per credential type (V, P, R) and the
/// OpenBadgeCredential of a certificate. Text is Chinese first: names are in zh-CN (stated by inLanguage) and
/// descriptions carry the Chinese and the English text, because OB 3.0 names are plain strings, not language maps.
/// </summary>
public sealed class OpenBadgeDocuments(SiteLinks links, StringTable strings)
{
    public static readonly string[] Context =
        ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"];

    /// <summary>
    /// Not a W3C or 1EdTech status type, so spelled out here for verifiers: GET the credentialStatus id (no sign-in)
    /// and read {"status": "Valid"|"Expiring"|"Expired"|"Suspended"|"Revoked", "checkedAt": "…Z"}. The credential
    /// holds only while the status is Valid or Expiring; 404 means the issuer no longer knows the credential.
    /// The term expands through the VC 2.0 context's issuer-dependent @vocab.
    /// </summary>
    public const string StatusType = "CertificateStatusEndpoint";

    public string IssuerId => links.Absolute("/ob/issuer");

    public string AchievementId(RoleTrack track) => links.Absolute($"/ob/achievements/{track.CredentialLetter()}");

    public string CredentialId(string verificationCode) => links.Absolute($"/verify/{verificationCode}");

    public string StatusId(string verificationCode) => links.Absolute($"/ob/status/{verificationCode}");

    public JsonObject Issuer(bool standalone)
    {
        var profile = standalone ? new JsonObject { ["@context"] = ContextArray() } : [];
        profile["id"] = IssuerId;
        profile["type"] = new JsonArray("Profile");
        profile["name"] = Zh("Site.Name");
        if (standalone)
        {
            profile["url"] = links.Absolute("/");
            profile["description"] = Both("OpenBadges.Issuer.Description");
        }
        return profile;
    }

    public JsonObject Achievement(RoleTrack track, bool standalone)
    {
        var achievement = standalone ? new JsonObject { ["@context"] = ContextArray() } : [];
        achievement["id"] = AchievementId(track);
        achievement["type"] = new JsonArray("Achievement");
        // Certification: earned by training and a signed agreement, valid for a limited time (OB 3.0 AchievementType).
        achievement["achievementType"] = "Certification";
        achievement["humanCode"] = $"CFC-{track.CredentialLetter()}";
        achievement["name"] = Zh($"Credential.{track}");
        achievement["description"] = Both($"OpenBadges.Achievement.{track}.Description");
        achievement["criteria"] = new JsonObject { ["narrative"] = Both($"OpenBadges.Achievement.{track}.Criteria") };
        achievement["inLanguage"] = Cultures.Chinese;
        achievement["creator"] = Issuer(standalone: false);
        return achievement;
    }

    /// <summary>The OpenBadgeCredential with the JWT registered claims beside it, ready to sign as a VC-JWT.</summary>
    public JsonObject Credential(BadgeFacts facts)
    {
        var id = CredentialId(facts.VerificationCode);
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        return new JsonObject
        {
            ["@context"] = ContextArray(),
            ["id"] = id,
            ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"),
            ["name"] = $"{Zh($"Credential.{facts.Track}")} {facts.Number}",
            ["description"] = $"{Zh($"Credential.{facts.Track}")} · {facts.CommunityZh} · {facts.StreetZh}\n\n"
                + $"{En($"Credential.{facts.Track}")} · {facts.CommunityEn} · {facts.StreetEn}",
            ["issuer"] = Issuer(standalone: false),
            ["validFrom"] = VcJwt.DateTimeStamp(facts.IssuedAt),
            ["validUntil"] = VcJwt.DateTimeStamp(facts.ExpiresAt),
            ["awardedDate"] = VcJwt.DateTimeStamp(facts.IssuedAt),
            ["credentialSubject"] = new JsonObject
            {
                ["type"] = new JsonArray("AchievementSubject"),
                ["name"] = facts.HolderName,
                // The holder has no URL of their own; a salted hash of their email lets them prove the badge is theirs
                // without publishing the address (OB 3.0 IdentityObject).
                ["identifier"] = new JsonArray(new JsonObject
                {
                    ["type"] = "IdentityObject",
                    ["identityHash"] = "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(facts.Email.Trim().ToLowerInvariant() + salt))),
                    ["identityType"] = "emailAddress",
                    ["hashed"] = true,
                    ["salt"] = salt,
                }),
                ["achievement"] = Achievement(facts.Track, standalone: false),
            },
            ["credentialStatus"] = new JsonObject { ["id"] = StatusId(facts.VerificationCode), ["type"] = StatusType },
            ["iss"] = IssuerId,
            ["jti"] = id,
            ["nbf"] = VcJwt.NumericDate(facts.IssuedAt),
            ["exp"] = VcJwt.NumericDate(facts.ExpiresAt),
        };
    }

    private static JsonArray ContextArray() => new([.. Context.Select(c => (JsonNode?)c)]);

    private string Zh(string key) => strings.Find(key, Cultures.Chinese) ?? key;

    private string En(string key) => strings.Find(key, Cultures.English) ?? key;

    private string Both(string key) => Zh(key) + "\n\n" + En(key);
}
