using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Practitioners.Web.Features.Partners.Api;

/// <summary>Marks the API's endpoints: their refusals are problem+json, never the site's HTML error page.</summary>
public sealed class PartnerApiEndpointMetadata;

/// <summary>
/// The token handler answers 401 and 403 with a WWW-Authenticate header and no body, which the site's status-code pages
/// would turn into HTML. For API endpoints this writes an RFC 9457 problem instead; elsewhere it changes nothing.
/// </summary>
internal sealed class ApiAuthorizationResults(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if ((authorizeResult.Challenged || authorizeResult.Forbidden) && !context.Response.HasStarted
            && context.GetEndpoint()?.Metadata.GetMetadata<PartnerApiEndpointMetadata>() is not null)
        {
            var (type, title, detail) = authorizeResult.Forbidden
                ? ("insufficient-scope", "Not allowed", "The token does not carry the scope this endpoint needs.")
                : ("unauthorized", "Token required", "Send a valid bearer token from /connect/token: 'Authorization: Bearer <token>'.");
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = context.Response.StatusCode,
                    Type = $"https://practitioners.cn/problems/{type}",
                    Title = title,
                    Detail = detail,
                },
            });
        }
    }
}
