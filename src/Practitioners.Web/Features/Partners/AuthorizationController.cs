using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners;

/// <summary>
/// The OpenID Connect endpoints, after OpenIddict has validated each request (client, redirect URI, PKCE, scopes):
/// sign-in through the site's own cookie, the consent page, token issue, userinfo and sign-out.
/// </summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class AuthorizationController(
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictScopeManager scopes,
    SignInManager<ApplicationUser> signIn,
    UserManager<ApplicationUser> users,
    PartnerClaims claims,
    AuditLog audit,
    AppDbContext db) : Controller
{
    private const string AcceptButton = "submit.Accept";
    private const string DenyButton = "submit.Deny";

    [HttpGet("~/" + PartnerEndpoints.Authorize)]
    [HttpPost("~/" + PartnerEndpoints.Authorize)]
    public async Task<IActionResult> Authorize(CancellationToken ct)
    {
        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return ErrorPage(failure);
        }
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        // Sign-in goes through the site's own page and cookie; the person comes back here with the same request.
        var cookie = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = cookie.Succeeded ? await users.GetUserAsync(cookie.Principal) : null;
        if (user is null || !await signIn.CanSignInAsync(user))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }
            return Challenge(new AuthenticationProperties { RedirectUri = RequestUrl() }, IdentityConstants.ApplicationScheme);
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!, ct)
            ?? throw new InvalidOperationException("The client application cannot be found.");
        var applicationId = await applications.GetIdAsync(application, ct);
        var requested = request.GetScopes();

        if (Request.HasFormContentType && Request.Form.ContainsKey(DenyButton))
        {
            audit.Record("partner.consent-denied", "PartnerClient", request.ClientId!, user.Id);
            await db.SaveChangesAsync(ct);
            return Refuse(Errors.AccessDenied, "The user denied the request.");
        }

        // A consent given before for these scopes is remembered as a permanent authorization.
        var remembered = await authorizations.FindAsync(user.Id, applicationId!, Statuses.Valid, AuthorizationTypes.Permanent, requested, ct)
            .ToListAsync(ct);
        var consentType = await applications.GetConsentTypeAsync(application, ct);
        var accepted = Request.HasFormContentType && Request.Form.ContainsKey(AcceptButton);

        if (consentType == ConsentTypes.External && remembered.Count == 0)
        {
            return Refuse(Errors.ConsentRequired, "This application has not been authorized by an administrator for this user.");
        }
        var mayIssue = accepted || consentType == ConsentTypes.Implicit
            || (remembered.Count > 0 && !request.HasPromptValue(PromptValues.Consent));
        if (!mayIssue)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.ConsentRequired, "Interactive consent is required.");
            }
            // The answer to this form redirects to the partner's site; browsers check that redirect against form-action.
            var redirect = new Uri(request.RedirectUri!);
            Response.Headers.ContentSecurityPolicy = Infrastructure.Web.WebUiSetup.ContentSecurityPolicyAllowingFormsTo(redirect);
            return View("Consent", new ConsentViewModel(
                await applications.GetLocalizedDisplayNameAsync(application, ct) ?? request.ClientId!,
                [.. requested], Parameters()));
        }

        var identity = PartnerClaims.NewIdentity();
        await claims.ApplyAsync(identity, user, requested, ct);
        identity.SetResources(await scopes.ListResourcesAsync(requested, ct).ToListAsync(ct));
        var authorization = remembered.LastOrDefault()
            ?? await authorizations.CreateAsync(identity, user.Id, applicationId!, AuthorizationTypes.Permanent, requested, ct);
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization, ct));
        if (accepted)
        {
            audit.Record("partner.consent-granted", "PartnerClient", request.ClientId!, user.Id, new { scopes = requested });
            await db.SaveChangesAsync(ct);
        }
        return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    [HttpPost("~/" + PartnerEndpoints.Token)]
    [IgnoreAntiforgeryToken]
    [Produces("application/json")]
    public async Task<IActionResult> Exchange(CancellationToken ct)
    {
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has checked the secret and that every requested scope is one the client holds.
            var application = await applications.FindByClientIdAsync(request.ClientId!, ct)
                ?? throw new InvalidOperationException("The client application cannot be found.");
            var granted = request.GetScopes();
            if (granted.IsEmpty)
            {
                // No scope asked for: the client gets every scope it holds.
                granted = [.. (await applications.GetPermissionsAsync(application, ct))
                    .Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
                    .Select(p => p[Permissions.Prefixes.Scope.Length..])];
            }
            var identity = PartnerClaims.NewIdentity();
            identity.SetClaim(Claims.Subject, request.ClientId)
                .SetClaim(Claims.Name, await applications.GetDisplayNameAsync(application, ct));
            identity.SetScopes(granted);
            identity.SetResources(await scopes.ListResourcesAsync(granted, ct).ToListAsync(ct));
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType())
        {
            // OpenIddict has checked the code (once only), the redirect URI and the PKCE verifier.
            var result = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = result.Principal?.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
            if (user is null || !await signIn.CanSignInAsync(user))
            {
                return Refuse(Errors.InvalidGrant, "The user is no longer allowed to sign in.");
            }
            var identity = new ClaimsIdentity(result.Principal!.Claims, Microsoft.IdentityModel.Tokens.TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            await claims.ApplyAsync(identity, user, result.Principal.GetScopes(), ct);
            return SignIn(new ClaimsPrincipal(identity), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    [Authorize(AuthenticationSchemes = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)]
    [HttpGet("~/" + PartnerEndpoints.UserInfo)]
    [HttpPost("~/" + PartnerEndpoints.UserInfo)]
    [IgnoreAntiforgeryToken]
    [Produces("application/json")]
    public async Task<IActionResult> UserInfo(CancellationToken ct)
    {
        var user = User.GetClaim(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (user is null)
        {
            return Challenge(Properties(Errors.InvalidToken, "The token does not belong to a person."),
                OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }
        return Ok(await claims.UserInfoAsync(user, User.GetScopes(), ct));
    }

    [HttpGet("~/" + PartnerEndpoints.EndSession)]
    public IActionResult EndSession()
    {
        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return ErrorPage(failure);
        }
        return View("SignOut", Parameters());
    }

    [HttpPost("~/" + PartnerEndpoints.EndSession)]
    [ActionName(nameof(EndSession))]
    public async Task<IActionResult> EndSessionConfirmed()
    {
        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return ErrorPage(failure);
        }
        await signIn.SignOutAsync();
        // OpenIddict sends the person back to the client's registered post-logout URI, or here to the home page.
        return SignOut(new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private ForbidResult Refuse(string error, string description) =>
        Forbid(Properties(error, description), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static AuthenticationProperties Properties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });

    private ViewResult ErrorPage(OpenIddictResponse failure) => new()
    {
        ViewName = "AuthorizeError",
        StatusCode = StatusCodes.Status400BadRequest,
        ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(ViewData)
        {
            Model = new PartnerErrorViewModel(failure.Error!, failure.ErrorDescription),
        },
    };

    /// <summary>The request's OpenID Connect parameters, to carry through a form; the form's own fields are left out.</summary>
    private IReadOnlyList<KeyValuePair<string, string>> Parameters()
    {
        IEnumerable<KeyValuePair<string, StringValues>> source = Request.HasFormContentType ? Request.Form : Request.Query;
        return [.. source
            .Where(p => p.Key is not ("__RequestVerificationToken" or AcceptButton or DenyButton))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")))];
    }

    /// <summary>This request as a local URL to come back to after sign-in, a form post turned into a query.</summary>
    private string RequestUrl() =>
        Request.PathBase + Request.Path + QueryString.Create(Parameters().Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
}

public sealed record ConsentViewModel(string ApplicationName, IReadOnlyList<string> Scopes, IReadOnlyList<KeyValuePair<string, string>> Parameters);

public sealed record PartnerErrorViewModel(string Error, string? Description);
