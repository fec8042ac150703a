using System.Net;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Accounts;

/// <summary>Writes account emails in the recipient's language.</summary>
public sealed class AccountEmails(IEmailSender sender, IStringLocalizer<SharedResource> l)
{
    public Task SendConfirmationAsync(ApplicationUser user, string link, CancellationToken ct) =>
        SendAsync(user, "Email.Confirm.Subject", "Email.Confirm.Body", "Email.Confirm.Action", link, ct);

    public Task SendPasswordResetAsync(ApplicationUser user, string link, CancellationToken ct) =>
        SendAsync(user, "Email.Reset.Subject", "Email.Reset.Body", "Email.Reset.Action", link, ct);

    private Task SendAsync(ApplicationUser user, string subjectKey, string bodyKey, string actionKey, string link, CancellationToken ct)
    {
        using var _ = Cultures.Use(user.PreferredCulture);
        var greeting = l["Email.Greeting", user.FullName].Value;
        var body = l[bodyKey].Value;
        var action = l[actionKey].Value;
        var ignore = l["Email.IgnoreIfNotYou"].Value;
        var signature = l["Email.Signature"].Value;
        var text = $"{greeting}\n\n{body}\n\n{action}: {link}\n\n{ignore}\n\n{signature}\n";
        var html = $"""
            <p>{WebUtility.HtmlEncode(greeting)}</p>
            <p>{WebUtility.HtmlEncode(body)}</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">{WebUtility.HtmlEncode(action)}</a></p>
            <p>{WebUtility.HtmlEncode(ignore)}</p>
            <p>{WebUtility.HtmlEncode(signature)}</p>
            """;
        return sender.SendAsync(new EmailMessage(user.Email!, user.FullName, l[subjectKey], html, text), ct);
    }
}
