namespace Practitioners.Web.Infrastructure.Web;

public static class CacheHeaders
{
    /// <summary>
    /// Never kept by a browser or a proxy: verification results (the state of this moment), secrets, personal documents.
    /// "no-cache" as well as "no-store": a page with a form makes antiforgery check the header, and it logs a warning
    /// on every response whose Cache-Control lacks no-cache (a flood on the verification page, found by profiling).
    /// </summary>
    public static void NeverStore(this HttpResponse response) => response.Headers.CacheControl = "no-cache, no-store";
}
