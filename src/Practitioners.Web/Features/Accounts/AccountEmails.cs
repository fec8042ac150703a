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
        return sender.SendAsync(EmailComposer.Compose(user.Email!, user.FullName, l[subjectKey], l["Email.Greeting", user.FullName],
            [l[bodyKey], l["Email.IgnoreIfNotYou"]], l[actionKey], link, l["Email.Signature"]), ct);
    }
}
