using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace Practitioners.Web.Features.Audit;

/// <summary>
/// Records every permission denial a signed-in person meets: a 403, a redirect to the access-denied page (a role they
/// do not hold), and a 404 from an action that looked an object up by its id, which is how the site answers for another
/// person's or another community's object so that nobody learns it exists. (A truly missing object is recorded the
/// same way: from outside, the two must look alike.) Anonymous requests are not recorded: they are sent to sign in.
/// </summary>
public sealed class DenialAudit(RequestDelegate next, IServiceScopeFactory scopes)
{
    /// <summary>An API endpoint that refuses for a reason of its own (not the token or its scope) names it here.</summary>
    public const string ApiDenialReason = "audit.api-denial-reason";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<Partners.Api.PartnerApiEndpointMetadata>() is not null)
        {
            await RecordApiDenialAsync(context);
            return;
        }
        var user = context.User;
        // The error page that re-executes for a 404 or 403 is the same denial, already recorded.
        if (user.Identity?.IsAuthenticated != true || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || !IsDenial(context))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        audit.Record("access.denied", "Request", Truncate(context.Request.Path.Value ?? "", 64), userId,
            new { method = context.Request.Method, path = context.Request.Path.Value, status = context.Response.StatusCode });
        await scope.ServiceProvider.GetRequiredService<Data.AppDbContext>().SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// The partner API refuses machines, not signed-in people, so every refusal is recorded, with or without a token: no
    /// token, a token that is not valid (unknown, expired, revoked, its client disabled), a token without the scope, or
    /// an object outside the client's grant. The client id is kept when the token named one; the address always is.
    /// </summary>
    private async Task RecordApiDenialAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden))
        {
            return;
        }
        var reason = context.Items[ApiDenialReason] as string
            ?? (status == StatusCodes.Status403Forbidden ? "scope-missing"
                : context.Request.Headers.Authorization.Count == 0 ? "token-missing" : "token-invalid");
        var client = Partners.Api.PartnerApi.ClientId(context);
        await using var scope = scopes.CreateAsyncScope();
        var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
        audit.Record("access.denied", "PartnerApi", Truncate(context.Request.Path.Value ?? "", 64), null,
            new { method = context.Request.Method, path = context.Request.Path.Value, status, reason, client = client.Length > 0 ? client : null });
        await scope.ServiceProvider.GetRequiredService<Data.AppDbContext>().SaveChangesAsync(CancellationToken.None);
    }

    private static bool IsDenial(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status403Forbidden)
        {
            // The denied page itself answers 403 after the redirect that was already recorded.
            return !context.Request.Path.StartsWithSegments("/account/denied");
        }
        if (status is StatusCodes.Status302Found or StatusCodes.Status303SeeOther)
        {
            return context.Response.Headers.Location.ToString().Contains("/account/denied", StringComparison.Ordinal);
        }
        return status == StatusCodes.Status404NotFound
            && context.GetEndpoint()?.Metadata.GetMetadata<ControllerActionDescriptor>() is { } action
            && action.AttributeRouteInfo?.Template?.Contains('{', StringComparison.Ordinal) == true;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
