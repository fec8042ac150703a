using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using OpenIddict.Abstractions;
using Scalar.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Practitioners.Web.Features.Partners.Api;

/// <summary>
/// API v1 for partner systems: JSON, errors as problem+json (RFC 9457), bearer tokens from this site's token endpoint,
/// a fixed window of requests per client, and an OpenAPI document with a browsable reference at /api/docs.
/// </summary>
public static class PartnerApi
{
    public const string RateLimitPolicy = "partner-api";
    public const string DocumentName = "v1";
    public const string BearerScheme = "partner-token";

    private const string DocsContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
        "script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    public static WebApplicationBuilder AddPartnerApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiAuthorizationResults>();
        var perMinute = builder.Configuration.GetValue("RateLimits:PartnerApiPerMinute", 120);
        builder.Services.AddRateLimiter(options => options.AddPolicy(RateLimitPolicy, new PerClientPolicy(perMinute)));

        builder.Services.AddOpenApi(DocumentName, options =>
        {
            // The document describes API v1 only, not the site's pages.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Practitioners partner API",
                    Version = "v1",
                    Description = "Verify child-friendly community credentials and read community rosters. " +
                        "Get a token from /connect/token with the client credentials grant (scopes credentials.verify, roster.read) " +
                        "and send it as `Authorization: Bearer {token}`. Errors are application/problem+json.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "OAuth 2.0 client credentials from this site's token endpoint.",
                    Flows = new OpenApiOAuthFlows
                    {
                        ClientCredentials = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri("/" + PartnerEndpoints.Token, UriKind.Relative),
                            Scopes = new Dictionary<string, string>
                            {
                                [PartnerScopes.CredentialsVerify] = "Look up certificates by number",
                                [PartnerScopes.RosterRead] = "Read the rosters of the client's communities",
                            },
                        },
                    },
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapPartnerApi(this WebApplication app)
    {
        var v1 = app.MapGroup("/api/v1")
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new PartnerApiEndpointMetadata())
            .WithTags("v1")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        v1.MapCredentialLookup();
        v1.MapRoster();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api/docs", options => options
            .WithTitle("Practitioners partner API")
            // Nothing fetched from elsewhere and no hosted extras: fonts, AI agent and client buttons stay off.
            .DisableDefaultFonts()
            .DisableAgent()
            .HideClientButton()
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocument(DocumentName))
            // Scalar's page starts with an inline script and styles itself at run time: this page alone allows inline
            // code. It shows public documentation only and holds no form, cookie-bound action or personal data.
            .Add(endpoint =>
            {
                var inner = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = context =>
                {
                    context.Response.Headers.ContentSecurityPolicy = DocsContentSecurityPolicy;
                    return inner(context);
                };
            });
        return app;
    }

    /// <summary>The client the bearer token was issued to.</summary>
    public static string ClientId(this HttpContext context) =>
        context.User.GetClaim(Claims.ClientId) ?? context.User.GetClaim(Claims.Subject) ?? "";

    /// <summary>An RFC 9457 problem with a stable type URI for each kind of error.</summary>
    public static ProblemHttpResult Problem(int status, string type, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: $"https://practitioners.cn/problems/{type}");

    /// <summary>Per client (the token's client id), so one busy partner cannot starve the others.</summary>
    private sealed class PerClientPolicy(int perMinute) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, ct) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            var http = context.HttpContext;
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
                $"This client may make {perMinute} requests a minute. Try again in {seconds} s.").ExecuteAsync(http);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var client = httpContext.ClientId();
            var key = client.Length > 0 ? "client:" + client : "address:" + (httpContext.Connection.RemoteIpAddress ?? IPAddress.None);
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }
    }
}
