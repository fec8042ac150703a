using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners;

public sealed record NewPartnerClient(
    string ClientId, string DisplayName, PartnerClientKind Kind, IReadOnlyList<Uri> RedirectUris,
    IReadOnlyList<Uri> PostLogoutRedirectUris, IReadOnlyList<string> Scopes, IReadOnlyList<int> CommunityIds);

/// <summary>A registered client as the admin pages show it.</summary>
public sealed record PartnerClientView(
    string ClientId, string DisplayName, PartnerClientKind Kind, IReadOnlyList<string> Scopes, IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris, IReadOnlyList<int> CommunityIds, DateTime? DisabledAt);

/// <summary>
/// The partner clients, kept by OpenIddict (secrets hashed, never stored in clear) plus the communities each may read.
/// Secrets are made here, shown once to the admin and then only their hash remains.
/// </summary>
public sealed class ClientRegistry(
    IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    AppDbContext db,
    AuditLog audit,
    TimeProvider clock)
{
    private const string KindProperty = "practitioners_kind";
    private const string DisabledProperty = "practitioners_disabled_at";

    /// <summary>256 random bits, URL-safe: long enough that guessing is hopeless, short enough to paste.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public async Task<bool> ExistsAsync(string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct) is not null;

    /// <summary>Registers the client and returns its secret, the only time it is seen in clear.</summary>
    public async Task<string> CreateAsync(NewPartnerClient client, string? byUserId, CancellationToken ct, string? secret = null)
    {
        secret ??= NewSecret();
        var scopes = client.Scopes.Where(s => Allowed(client.Kind).Contains(s)).Distinct().ToList();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = client.DisplayName,
            // People are asked once per app and scope set; the answer is remembered as a permanent authorization.
            ConsentType = ConsentTypes.Explicit,
        };
        descriptor.Properties[KindProperty] = JsonSerializer.SerializeToElement(client.Kind.ToString());
        if (client.Kind == PartnerClientKind.Machine)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        }
        else
        {
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(client.RedirectUris);
            descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris);
        }
        // openid needs no permission; every other scope does.
        descriptor.Permissions.UnionWith(scopes.Where(s => s != Scopes.OpenId).Select(s => Permissions.Prefixes.Scope + s));
        await applications.CreateAsync(descriptor, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var communities = client.Kind == PartnerClientKind.Machine && scopes.Contains(PartnerScopes.RosterRead)
            ? client.CommunityIds.Distinct().ToList() : [];
        db.PartnerClientCommunities.AddRange(communities.Select(id => new PartnerClientCommunity
        {
            ClientId = client.ClientId, CommunityId = id, GrantedAt = now, GrantedByUserId = byUserId,
        }));
        audit.Record("partner-client.created", "PartnerClient", client.ClientId, byUserId, new
        {
            kind = client.Kind.ToString(), scopes, communities, redirectUris = client.RedirectUris.Select(u => u.ToString()),
        });
        await db.SaveChangesAsync(ct);
        return secret;
    }

    /// <summary>Replaces the secret; the old one stops working at once. Returns the new secret, shown once.</summary>
    public async Task<string?> RotateSecretAsync(string clientId, string? byUserId, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null)
        {
            return null;
        }
        var secret = NewSecret();
        await applications.UpdateAsync(application, secret, ct);
        audit.Record("partner-client.secret-rotated", "PartnerClient", clientId, byUserId);
        await db.SaveChangesAsync(ct);
        return secret;
    }

    /// <summary>
    /// Takes away the client's endpoints, so it can get no new token, and revokes the tokens and consents it holds,
    /// which the API's token entry check refuses from the next request.
    /// </summary>
    public async Task<bool> DisableAsync(string clientId, string? byUserId, CancellationToken ct)
    {
        var application = await applications.FindByClientIdAsync(clientId, ct);
        if (application is null)
        {
            return false;
        }
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.Permissions.RemoveWhere(p => p.StartsWith(Permissions.Prefixes.Endpoint, StringComparison.Ordinal));
        descriptor.Properties[DisabledProperty] = JsonSerializer.SerializeToElement(
            clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        await applications.UpdateAsync(application, descriptor, ct);
        var id = await applications.GetIdAsync(application, ct);
        var revokedTokens = await tokens.RevokeByApplicationIdAsync(id!, ct);
        var revokedConsents = await authorizations.RevokeByApplicationIdAsync(id!, ct);
        audit.Record("partner-client.disabled", "PartnerClient", clientId, byUserId, new { revokedTokens, revokedConsents });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<PartnerClientView>> ListAsync(CancellationToken ct)
    {
        // The applications are read to the end before each one's communities are: a second query while the first is
        // still being enumerated is refused by PostgreSQL (one command at a time per connection) and bad form on SQLite.
        var all = new List<object>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, ct))
        {
            all.Add(application);
        }
        var result = new List<PartnerClientView>();
        foreach (var application in all)
        {
            result.Add(await ViewAsync(application, ct));
        }
        return [.. result.OrderBy(c => c.ClientId, StringComparer.Ordinal)];
    }

    public async Task<PartnerClientView?> FindAsync(string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct) is { } application ? await ViewAsync(application, ct) : null;

    public static IReadOnlyList<string> Allowed(PartnerClientKind kind) =>
        kind == PartnerClientKind.Machine ? PartnerScopes.Machine : PartnerScopes.Interactive;

    private async Task<PartnerClientView> ViewAsync(object application, CancellationToken ct)
    {
        var clientId = (await applications.GetClientIdAsync(application, ct))!;
        var properties = await applications.GetPropertiesAsync(application, ct);
        var kind = properties.TryGetValue(KindProperty, out var k) && Enum.TryParse<PartnerClientKind>(k.GetString(), out var parsed)
            ? parsed : PartnerClientKind.Machine;
        DateTime? disabledAt = properties.TryGetValue(DisabledProperty, out var d)
            ? DateTime.Parse(d.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
        var permissions = await applications.GetPermissionsAsync(application, ct);
        var scopes = permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..]).ToList();
        if (kind == PartnerClientKind.WebApp)
        {
            scopes.Insert(0, Scopes.OpenId);
        }
        var communities = await db.PartnerClientCommunities.Where(p => p.ClientId == clientId)
            .OrderBy(p => p.CommunityId).Select(p => p.CommunityId).ToListAsync(ct);
        return new PartnerClientView(clientId, await applications.GetDisplayNameAsync(application, ct) ?? clientId, kind, scopes,
            [.. (await applications.GetRedirectUrisAsync(application, ct)).Order(StringComparer.Ordinal)],
            [.. (await applications.GetPostLogoutRedirectUrisAsync(application, ct)).Order(StringComparer.Ordinal)],
            communities, disabledAt);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
