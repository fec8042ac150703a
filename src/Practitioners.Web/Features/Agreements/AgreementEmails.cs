using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Agreements;

/// <summary>Emails about signatures: the guardian's invitation, and the signer's news of a countersignature or a decline.</summary>
public sealed class GuardianEmails(AppDbContext db, IEmailSender sender, SiteLinks links, IStringLocalizer<SharedResource> l)
{
    public async Task SendInvitationAsync(Signature holder, GuardianDetails guardian, string language, string token, CancellationToken ct)
    {
        var holderName = await db.Users.Where(u => u.Id == holder.UserId).Select(u => u.FullName).SingleAsync(ct);
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == holder.AgreementId, ct);
        using var _ = Cultures.Use(language);
        var link = links.Absolute($"/agreements/guardian/{token}");
        var body = l["Email.Guardian.Body", holderName, agreement.Title, (int)GuardianInvitations.Lifetime.TotalDays].Value;
        await sender.SendAsync(Compose(guardian.Email, guardian.Name, l["Email.Guardian.Subject", holderName], guardian.Name, body, l["Email.Guardian.Action"], link), ct);
    }

    public async Task SendSignerNewsAsync(long holderSignatureId, bool countersigned, string? reason, CancellationToken ct)
    {
        var signer = await db.Signatures.AsNoTracking().Where(s => s.Id == holderSignatureId)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { u.Email, u.FullName, u.PreferredCulture, s.AgreementId })
            .SingleAsync(ct);
        var agreement = await db.Agreements.AsNoTracking().SingleAsync(a => a.Id == signer.AgreementId, ct);
        using var _ = Cultures.Use(signer.PreferredCulture);
        var body = countersigned
            ? l["Email.Countersigned.Body", agreement.Title].Value
            : l["Email.Declined.Body", agreement.Title, reason ?? ""].Value;
        var subject = countersigned ? l["Email.Countersigned.Subject"] : l["Email.Declined.Subject"];
        await sender.SendAsync(Compose(signer.Email!, signer.FullName, subject, signer.FullName, body, l["Nav.MyPage"], links.Absolute("/me")), ct);
    }

    private EmailMessage Compose(string to, string toName, string subject, string greetingName, string body, string action, string link) =>
        EmailComposer.Compose(to, toName, subject, l["Email.Greeting", greetingName], [body], action, link, l["Email.Signature"]);
}
