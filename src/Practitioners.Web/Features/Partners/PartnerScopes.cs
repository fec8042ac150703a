using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners;

/// <summary>What a partner may ask for: a signed-in person's identity and credentials, or machine access to the API.</summary>
public static class PartnerScopes
{
    /// <summary>Interactive: the signed-in person's current certificates, as the <c>credentials</c> claim.</summary>
    public const string Credentials = "credentials";

    /// <summary>Client credentials: look up any certificate by number.</summary>
    public const string CredentialsVerify = "credentials.verify";

    /// <summary>Client credentials: read the roster of the communities the client is bound to.</summary>
    public const string RosterRead = "roster.read";

    /// <summary>Scopes a partner web app may hold; it signs people in with authorization code + PKCE.</summary>
    public static readonly IReadOnlyList<string> Interactive = [Scopes.OpenId, Scopes.Profile, Scopes.Email, Credentials];

    /// <summary>Scopes a partner system may hold; it authenticates as itself with client credentials.</summary>
    public static readonly IReadOnlyList<string> Machine = [CredentialsVerify, RosterRead];

    public static readonly IReadOnlyList<string> All = [.. Interactive, .. Machine];
}

/// <summary>The identity provider's endpoints, relative to the site root.</summary>
public static class PartnerEndpoints
{
    public const string Authorize = "connect/authorize";
    public const string Token = "connect/token";
    public const string UserInfo = "connect/userinfo";
    public const string EndSession = "connect/endsession";
}

/// <summary>The kinds of client the registry creates.</summary>
public enum PartnerClientKind
{
    /// <summary>A partner system calling the API as itself (client credentials).</summary>
    Machine = 1,

    /// <summary>A partner web app signing people in (authorization code + PKCE, confidential).</summary>
    WebApp = 2,
}
