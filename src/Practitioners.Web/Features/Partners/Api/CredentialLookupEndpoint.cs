using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Partners.Api;

/// <summary>GET /api/v1/credentials/{number}: what a verifier may learn about one certificate, through the shared lookup.</summary>
public static class CredentialLookupEndpoint
{
    public static RouteGroupBuilder MapCredentialLookup(this RouteGroupBuilder group)
    {
        group.MapGet("/credentials/{number}", LookUpAsync)
            .RequireAuthorization(PartnerPolicies.CredentialsVerify)
            .WithName("GetCredential")
            .WithSummary("Verify a certificate by its number")
            .WithDescription("Status, type, holder name, community, dates and history of one certificate. Scope: credentials.verify. "
                + "When the holder's personal data was erased at their request, holderRecordRemoved is true, the status is revoked "
                + "and holderName reads \"holder record removed\" in Chinese and English instead of the name.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<CredentialDto>, ProblemHttpResult>> LookUpAsync(
        string number, HttpContext http, CertificateLookup lookup,
        Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.SharedResource> l, CancellationToken ct)
    {
        var normalised = number.Trim().ToUpperInvariant();
        if (!CertificateCodes.IsNumber(normalised))
        {
            return PartnerApi.Problem(StatusCodes.Status400BadRequest, "malformed-number", "Malformed certificate number",
                "A certificate number looks like CFC-V-2026-000123: CFC, the type (V, P or R), the year and six digits.");
        }
        var certificate = await lookup.ByNumberAsync(normalised);
        await http.RecordVerificationAsync(VerificationKind.Api, normalised, certificate);
        if (certificate is null)
        {
            return PartnerApi.Problem(StatusCodes.Status404NotFound, "unknown-number", "No such certificate",
                $"No certificate has the number {normalised}.");
        }
        http.Response.NeverStore();
        return TypedResults.Ok(CredentialDto.From(certificate, certificate.HolderRemoved ? HolderRemovedText(l) : null));
    }

    /// <summary>"Holder record removed" in both languages, whatever the caller's culture (the API has no language cookie).</summary>
    private static string HolderRemovedText(Microsoft.Extensions.Localization.IStringLocalizer l)
    {
        string In(string culture)
        {
            using var _ = Infrastructure.Localization.Cultures.Use(culture);
            return l["Verify.HolderRemoved"].Value;
        }
        return $"{In("zh-CN")} / {In("en")}";
    }
}

/// <summary>One certificate as API v1 shows it. Times are UTC (ISO 8601); statuses and events are lower-case words.</summary>
public sealed record CredentialDto(
    string Number,
    string Type,
    string Track,
    string Status,
    string HolderName,
    CommunityDto Community,
    DateTime IssuedAt,
    DateTime ExpiresAt,
    IReadOnlyList<CredentialEventDto> History,
    bool HolderRecordRemoved)
{
    /// <param name="removedText">What stands in for the name when the holder's record was removed.</param>
    public static CredentialDto From(VerifiedCertificate c, string? removedText = null) => new(
        c.Number,
        c.Track.CredentialLetter().ToString(CultureInfo.InvariantCulture),
        Word(c.Track),
        Word(c.Status),
        c.HolderRemoved ? removedText ?? "holder record removed" : c.HolderName,
        new CommunityDto(c.CommunityZh, c.CommunityEn, c.StreetZh, c.StreetEn),
        c.IssuedAt,
        c.ExpiresAt,
        [.. c.History.Select(h => new CredentialEventDto(Word(h.Kind), h.At, h.ExpiresAt))],
        c.HolderRemoved);

    internal static string Word<T>(T value) where T : struct, Enum => JsonNamingPolicyWords.KebabCase(value.ToString());
}

public sealed record CommunityDto(string NameZh, string NameEn, string StreetZh, string StreetEn);

/// <summary>An event in the certificate's history and the expiry it left.</summary>
public sealed record CredentialEventDto(string Event, DateTime At, DateTime ExpiresAt);

internal static class JsonNamingPolicyWords
{
    public static string KebabCase(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
