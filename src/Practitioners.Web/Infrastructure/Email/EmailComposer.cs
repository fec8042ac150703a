using System.Net;

namespace Practitioners.Web.Infrastructure.Email;

/// <summary>One layout for every email the site sends: greeting, paragraphs, one action link, signature; HTML and plain text.</summary>
public static class EmailComposer
{
    public static EmailMessage Compose(string to, string toName, string subject, string greeting, IEnumerable<string> paragraphs,
        string actionText, string link, string signature)
    {
        var body = paragraphs.ToList();
        var text = $"{greeting}\n\n{string.Join("\n\n", body)}\n\n{actionText}: {link}\n\n{signature}\n";
        var html = $"""
            <p>{WebUtility.HtmlEncode(greeting)}</p>
            {string.Concat(body.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"))}
            <p><a href="{WebUtility.HtmlEncode(link)}">{WebUtility.HtmlEncode(actionText)}</a></p>
            <p>{WebUtility.HtmlEncode(signature)}</p>
            """;
        return new EmailMessage(to, toName, subject, html, text);
    }
}
