using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Studies;

public enum StudyEmail
{
    /// <summary>To the lead: a researcher signed the agreement and asks to join.</summary>
    Requested,

    /// <summary>To the lead: a community approved or declined the study.</summary>
    ConsentApproved,
    ConsentDeclined,

    /// <summary>To the researcher: the lead's decision.</summary>
    Approved,
    Declined,

    /// <summary>To the member: the credential stopped being valid, or is valid again.</summary>
    Suspended,
    Resumed,

    /// <summary>To the member: the credential expires before the study ends.</summary>
    ExpiresBeforeEnd,
}

/// <summary>
/// Tells people what happened to a study or their place on it, each in their own language. Sent with the site's
/// <see cref="IEmailSender"/>; the reminders work's outbox takes them over without a change here.
/// </summary>
public sealed class StudyEmails(AppDbContext db, IEmailSender sender, SiteLinks links, IStringLocalizer<SharedResource> l)
{
    /// <summary>
    /// Body arguments: {0} the study's title, {1} the other person's name or the community (worked out in the recipient's language), {2} a reason or a date,
    /// {3} the study's end date.
    /// </summary>
    public async Task SendAsync(StudyEmail kind, string toUserId, Study study, Func<string>? other, string? detail, CancellationToken ct)
    {
        var to = await db.Users.AsNoTracking().Where(u => u.Id == toUserId)
            .Select(u => new { u.Email, u.FullName, u.PreferredCulture }).SingleAsync(ct);
        using var _ = Cultures.Use(to.PreferredCulture);
        var title = study.Title;
        var subject = l[$"Email.Study.{kind}.Subject", title].Value;
        var body = l[$"Email.Study.{kind}.Body", title, other?.Invoke() ?? "", detail ?? "", study.EndDate.ToString("yyyy-MM-dd")].Value;
        var path = kind switch
        {
            StudyEmail.Requested => $"/studies/{study.Id}/roster",
            StudyEmail.Suspended or StudyEmail.ExpiresBeforeEnd => "/me",
            _ => $"/studies/{study.Id}",
        };
        await sender.SendAsync(EmailComposer.Compose(to.Email!, to.FullName, subject, l["Email.Greeting", to.FullName],
            [body], l[path == "/me" ? "Email.Study.RenewLink" : "Email.Study.Link"], Absolute(path), l["Email.Signature"]), ct);
    }

    /// <summary>The daily sweep runs without a request: then only the configured public address can make a full link.</summary>
    private string Absolute(string path)
    {
        try
        {
            return links.Absolute(path);
        }
        catch (InvalidOperationException)
        {
            return path;
        }
    }
}
