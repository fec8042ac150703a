using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Practitioners.TestSupport;

/// <summary>Submits the site's forms as a browser would: with the antiforgery token from the page.</summary>
public static class Forms
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetDocumentAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}.");
        }
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    public static Task<IHtmlDocument> ParseAsync(this HttpResponseMessage response) =>
        response.Content.ReadAsStringAsync().ContinueWith(t => Parser.ParseDocument(t.Result));

    public static string AntiforgeryToken(this IHtmlDocument document) =>
        (document.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement)?.Value
            ?? throw new InvalidOperationException("The page has no antiforgery token.");

    /// <summary>Loads the page, then posts the given fields to <paramref name="action"/> with the page's token.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pageUrl, string action,
        IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await client.GetDocumentAsync(pageUrl);
        var all = fields.Append(new("__RequestVerificationToken", page.AntiforgeryToken())).ToList();
        return await client.PostAsync(action, new FormUrlEncodedContent(all));
    }

    public static IEnumerable<string> FieldErrors(this IHtmlDocument document) =>
        document.QuerySelectorAll(".errors li, .field-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).Distinct();
}
