using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners;

/// <summary>
/// What a partner app learns about a signed-in person, scope by scope: profile (name, locale), email, and credentials
/// (the person's certificates that are not revoked: type, number, status, expiry). Built fresh from the database at
/// sign-in, at each code exchange and at each userinfo call, so a suspension shows at once.
/// </summary>
public sealed class PartnerClaims(AppDbContext db, IOptions<CredentialSettings> settings, TimeProvider clock)
{
    public const string CredentialsClaim = "credentials";

    /// <summary>Sets the person's claims on the identity (replacing older values) and where each claim may go.</summary>
    public async Task ApplyAsync(ClaimsIdentity identity, ApplicationUser user, ImmutableArray<string> scopes, CancellationToken ct)
    {
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.FullName)
            .SetClaim(Claims.Locale, user.PreferredCulture)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailConfirmed);
        if (scopes.Contains(PartnerScopes.Credentials))
        {
            // One claim holding a JSON array, so tokens carry an array even for one certificate (OpenIddict's own
            // JSON helpers spread an array into one claim per item, which a single item would turn into an object).
            foreach (var old in identity.FindAll(CredentialsClaim).ToList())
            {
                identity.RemoveClaim(old);
            }
            identity.AddClaim(new Claim(CredentialsClaim, (await CredentialsAsync(user.Id, ct)).ToJsonString(), JsonClaimValueTypes.JsonArray));
        }
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => Destinations(claim, scopes));
    }

    public static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    /// <summary>The userinfo answer for a token with these scopes.</summary>
    public async Task<Dictionary<string, object>> UserInfoAsync(ApplicationUser user, ImmutableArray<string> scopes, CancellationToken ct)
    {
        var info = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id };
        if (scopes.Contains(Scopes.Profile))
        {
            info[Claims.Name] = user.FullName;
            info[Claims.Locale] = user.PreferredCulture;
        }
        if (scopes.Contains(Scopes.Email) && user.Email is not null)
        {
            info[Claims.Email] = user.Email;
            info[Claims.EmailVerified] = user.EmailConfirmed;
        }
        if (scopes.Contains(PartnerScopes.Credentials))
        {
            info[CredentialsClaim] = await CredentialsAsync(user.Id, ct);
        }
        return info;
    }

    /// <summary>The person's certificates, revoked ones left out, oldest first.</summary>
    public async Task<JsonArray> CredentialsAsync(string userId, CancellationToken ct)
    {
        var rows = await db.Certificates.AsNoTracking()
            .Where(c => c.UserId == userId && c.RevokedAt == null)
            .OrderBy(c => c.IssuedAt).ThenBy(c => c.Id)
            .Select(c => new { c.Number, c.Track, c.CommunityId, c.ExpiresAt, c.SuspendedAt, c.RevokedAt })
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var array = new JsonArray();
        foreach (var c in rows)
        {
            var status = Certificate.Status(c.ExpiresAt, c.SuspendedAt, c.RevokedAt, now, settings.Value.For(c.Track).RenewalWindow);
            array.Add(new JsonObject
            {
                ["type"] = c.Track.CredentialLetter().ToString(),
                ["number"] = c.Number,
                ["status"] = status.ToString().ToLowerInvariant(),
                ["expires"] = c.ExpiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["community_id"] = c.CommunityId,
            });
        }
        return array;
    }

    /// <summary>
    /// Access tokens carry only the subject and name: the API and userinfo read the rest fresh. The identity token
    /// carries what the granted scopes allow, nothing more.
    /// </summary>
    private static IEnumerable<string> Destinations(Claim claim, ImmutableArray<string> scopes)
    {
        switch (claim.Type)
        {
            case Claims.Name:
                yield return OpenIddict.Abstractions.OpenIddictConstants.Destinations.AccessToken;
                if (scopes.Contains(Scopes.Profile))
                {
                    yield return OpenIddict.Abstractions.OpenIddictConstants.Destinations.IdentityToken;
                }
                break;
            case Claims.Locale when scopes.Contains(Scopes.Profile):
            case Claims.Email or Claims.EmailVerified when scopes.Contains(Scopes.Email):
            case CredentialsClaim when scopes.Contains(PartnerScopes.Credentials):
                yield return OpenIddict.Abstractions.OpenIddictConstants.Destinations.IdentityToken;
                break;
            case Claims.Subject:
                yield return OpenIddict.Abstractions.OpenIddictConstants.Destinations.AccessToken;
                yield return OpenIddict.Abstractions.OpenIddictConstants.Destinations.IdentityToken;
                break;
        }
    }
}
