using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Certificates;

/// <summary>Tells the holder, in their language, that their certificate was suspended, reinstated or revoked.</summary>
public sealed class CertificateEmails(AppDbContext db, IEmailSender sender, SiteLinks links, IStringLocalizer<SharedResource> l)
{
    public async Task SendStatusChangeAsync(Certificate certificate, CertificateAction action, string reason, CancellationToken ct)
    {
        var holder = await db.Users.AsNoTracking().Where(u => u.Id == certificate.UserId)
            .Select(u => new { u.Email, u.FullName, u.PreferredCulture }).SingleAsync(ct);
        using var _ = Cultures.Use(holder.PreferredCulture);
        var subject = l[$"Email.Certificate.{action}.Subject", certificate.Number].Value;
        var body = l[$"Email.Certificate.{action}.Body", certificate.Number, reason].Value;
        var link = links.Absolute($"/verify/{certificate.VerificationCode}");
        await sender.SendAsync(EmailComposer.Compose(holder.Email!, holder.FullName, subject, l["Email.Greeting", holder.FullName],
            [body], l["Email.Certificate.Link"], link, l["Email.Signature"]), ct);
    }
}
