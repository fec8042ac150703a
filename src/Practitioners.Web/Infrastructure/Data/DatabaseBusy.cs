using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Infrastructure.Data;

/// <summary>
/// The one place where "the database is locked" becomes an answer: another writer held the lock for longer than the
/// busy timeout (<see cref="DatabaseOptions.BusyTimeoutSeconds"/>). The request's transaction never began or was
/// rolled back, so nothing was half-saved; the person gets 503 with Retry-After and a page in their language, an API
/// client a problem document. Never a stack trace, never a 500 that looks like a bug.
/// </summary>
public static class DatabaseBusy
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>SQLITE_BUSY or SQLITE_LOCKED anywhere in the chain (EF wraps it in DbUpdateException and others).</summary>
    public static bool IsBusy(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return true;
            }
        }
        return false;
    }

    public static WebApplicationBuilder AddDatabaseBusyResponses(this WebApplicationBuilder builder)
    {
        // MVC actions (every form and API write): the site's own page, with its layout and language.
        builder.Services.Configure<MvcOptions>(options => options.Filters.Add<DatabaseBusyFilter>());
        // Anything outside MVC (middleware, minimal endpoints) that reaches the exception handler.
        builder.Services.AddExceptionHandler<DatabaseBusyExceptionHandler>();
        return builder;
    }

    internal static void SetRetryAfter(HttpResponse response, DatabaseOptions options) =>
        response.Headers.RetryAfter = Math.Max(options.RetryAfterSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static bool WantsJson(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/connect")
            || request.Headers.Accept.Any(a => a is not null && a.Contains("json", StringComparison.OrdinalIgnoreCase)
                && !a.Contains("html", StringComparison.OrdinalIgnoreCase));
}

internal sealed class DatabaseBusyFilter(IOptions<DatabaseOptions> options, IStringLocalizer<SharedResource> l, ILogger<DatabaseBusyFilter> logger)
    : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (!DatabaseBusy.IsBusy(context.Exception))
        {
            return;
        }
        logger.LogWarning(context.Exception, "The database stayed locked past the busy timeout; {Method} {Path} answered 503",
            context.HttpContext.Request.Method, context.HttpContext.Request.Path);
        DatabaseBusy.SetRetryAfter(context.HttpContext.Response, options.Value);
        var api = context.ActionDescriptor.EndpointMetadata.OfType<ApiControllerAttribute>().Any() || DatabaseBusy.WantsJson(context.HttpContext.Request);
        context.Result = api
            ? new ObjectResult(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = l["Error.503.Title"],
                Detail = l["Error.503.Text"],
            })
            {
                StatusCode = StatusCodes.Status503ServiceUnavailable,
                ContentTypes = { "application/problem+json" },
            }
            : new ViewResult
            {
                ViewName = "Problem",
                StatusCode = StatusCodes.Status503ServiceUnavailable,
                ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(
                    new Microsoft.AspNetCore.Mvc.ModelBinding.EmptyModelMetadataProvider(), context.ModelState)
                {
                    Model = new ProblemViewModel(l["Error.503.Title"], l["Error.503.Text"]),
                },
            };
        context.ExceptionHandled = true;
    }
}

internal sealed class DatabaseBusyExceptionHandler(IOptions<DatabaseOptions> options, IStringLocalizer<SharedResource> l,
    ILogger<DatabaseBusyExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseBusy.IsBusy(exception) || context.Response.HasStarted)
        {
            return false;
        }
        logger.LogWarning(exception, "The database stayed locked past the busy timeout; {Method} {Path} answered 503",
            context.Request.Method, context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        DatabaseBusy.SetRetryAfter(context.Response, options.Value);
        if (DatabaseBusy.WantsJson(context.Request))
        {
            await context.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = l["Error.503.Title"],
                Detail = l["Error.503.Text"],
            }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", cancellationToken);
            return true;
        }
        // Outside MVC there is no layout to render: a plain page in the person's language.
        context.Response.ContentType = "text/html; charset=utf-8";
        var title = WebUtility.HtmlEncode(l["Error.503.Title"]);
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{Cultures.Current}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            $"<title>{title}</title></head><body><h1>{title}</h1><p>{WebUtility.HtmlEncode(l["Error.503.Text"])}</p><p><a href=\"/\">{WebUtility.HtmlEncode(l["Error.BackHome"])}</a></p></body></html>",
            cancellationToken);
        return true;
    }
}
