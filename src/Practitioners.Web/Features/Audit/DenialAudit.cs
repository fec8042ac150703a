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
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
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
