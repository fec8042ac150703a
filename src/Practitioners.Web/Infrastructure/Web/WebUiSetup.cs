using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Infrastructure.Web;

public static class WebUiSetup
{
    public const string AccountPolicy = "account";

    public static WebApplicationBuilder AddWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSiteLocalization();
        builder.Services.AddHttpContextAccessor();
        // Chinese text is written as characters, not as &#x...; entities: pages stay half the size and readable.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.Configure<SiteOptions>(builder.Configuration.GetSection("Site"));
        builder.Services.AddScoped<SiteLinks>();

        builder.Services
            .AddControllersWithViews(options =>
            {
                // Every unsafe method needs a valid antiforgery token; a failure shows a page that says so.
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.Filters.Add<AntiforgeryFailurePage>();
            })
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));

        builder.Services.Configure<RazorViewEngineOptions>(options =>
        {
            options.ViewLocationExpanders.Add(new FeatureViewLocationExpander());
            options.ViewLocationFormats.Clear();
            options.ViewLocationFormats.Add("/Features/{3}/Views/{0}.cshtml");
            options.ViewLocationFormats.Add("/Features/Shared/Views/{0}.cshtml");
        });

        // Say nothing about the server software.
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);

        // Sign-in, registration and password reset are limited per address so passwords and accounts cannot be
        // tried at speed (lockout protects each account; this protects against spraying many accounts).
        var authPerMinute = builder.Configuration.GetValue("RateLimits:AccountPerMinute", 20);
        builder.Services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(options =>
            options.AddPolicy(AccountPolicy, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = authPerMinute, Window = TimeSpan.FromMinutes(1) })));

        builder.Services.AddAntiforgery(options =>
        {
            // The antiforgery cookie is only ever read by the server.
            options.Cookie.Name = "pr.af";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    public static WebApplication UseWebUi(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            // Browsers remember to use https only; Development and tests run on plain http.
            if (!app.Environment.IsEnvironment("Testing"))
            {
                app.UseHsts();
            }
        }
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        // Permission denials met by signed-in people are audited once the response is decided, including the
        // authorization middleware's own (which ends the pipeline before anything placed after it).
        app.UseMiddleware<Features.Audit.DenialAudit>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapWebUi(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { AllowCachingResponses = false });
        // Liveness without the database: a load balancer's probe, and the benchmark's reference for "trivial".
        app.MapGet("/ping", () => Results.Text("pong"));
        app.MapControllers();
        app.MapControllerRoute("default", "{controller=Home}/{action=Index}/{id?}");
        return app;
    }

    /// <summary>The site's default Content-Security-Policy: nothing inline, nothing from elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    /// <summary>
    /// The default policy, with forms also allowed to end at <paramref name="target"/>'s origin: browsers check every
    /// redirect after a form post against form-action, and signing in for a partner ends at the partner's site.
    /// </summary>
    public static string ContentSecurityPolicyAllowingFormsTo(Uri target) =>
        ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {target.GetLeftPart(UriPartial.Authority)}", StringComparison.Ordinal);

    /// <summary>Headers every response carries, and no caching of pages that show a signed-in person's data.</summary>
    private static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (context.User.Identity?.IsAuthenticated == true && !context.Request.Path.StartsWithSegments("/css")
                    && !context.Request.Path.StartsWithSegments("/js") && !context.Request.Path.StartsWithSegments("/lib"))
                {
                    headers.CacheControl = "no-store";
                }
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["X-Frame-Options"] = "DENY";
                // An endpoint that needs a different policy (the API reference page, the OpenID Connect consent form,
                // whose answer redirects to the partner's site) sets its own before the response starts.
                if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                }
                return Task.CompletedTask;
            });
            await next();
        });
}

public sealed class SiteOptions
{
    /// <summary>The address people reach the site at, used in emails and QR codes.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>A line shown above every page, e.g. to mark a development or training copy.</summary>
    public string? Banner { get; set; }
}

/// <summary>Finds a controller's views in its feature folder: Features/{Feature}/Views/{View}.cshtml.</summary>
internal sealed class FeatureViewLocationExpander : IViewLocationExpander
{
    private const string Key = "feature";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        if (context.ActionContext.ActionDescriptor is Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor action)
        {
            var ns = action.ControllerTypeInfo.Namespace ?? "";
            const string marker = ".Features.";
            var at = ns.IndexOf(marker, StringComparison.Ordinal);
            context.Values[Key] = at < 0 ? "Shared" : ns[(at + marker.Length)..].Split('.')[0];
        }
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        var feature = context.Values.TryGetValue(Key, out var f) && f is not null ? f : "Shared";
        return viewLocations.Select(l => l.Replace("{3}", feature, StringComparison.Ordinal));
    }
}

/// <summary>Replaces the bare 400 of a failed antiforgery check with a page that tells the person what happened.</summary>
internal sealed class AntiforgeryFailurePage(IStringLocalizer<SharedResource> l) : Microsoft.AspNetCore.Mvc.Filters.IAlwaysRunResultFilter
{
    public void OnResultExecuting(Microsoft.AspNetCore.Mvc.Filters.ResultExecutingContext context)
    {
        if (context.Result is Microsoft.AspNetCore.Mvc.Core.Infrastructure.IAntiforgeryValidationFailedResult)
        {
            context.Result = new ViewResult
            {
                ViewName = "Problem",
                StatusCode = StatusCodes.Status400BadRequest,
                ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(
                    new Microsoft.AspNetCore.Mvc.ModelBinding.EmptyModelMetadataProvider(), context.ModelState)
                {
                    Model = new ProblemViewModel(l["Error.Antiforgery.Title"], l["Error.Antiforgery.Text"]),
                },
            };
        }
    }

    public void OnResultExecuted(Microsoft.AspNetCore.Mvc.Filters.ResultExecutedContext context)
    {
    }
}

public sealed record ProblemViewModel(string Title, string Text);
