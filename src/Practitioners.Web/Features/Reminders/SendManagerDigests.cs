using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Reminders;

/// <summary>
/// Once a week, each manager gets one email, in their language, listing their people whose certificate expires in
/// the next 60 days and those whose certificate expired recently and was not renewed. Keyed by manager and ISO week,
/// so any number of daily runs in the week sends it once. Managers with nobody to list get nothing.
/// </summary>
public sealed class SendManagerDigests(
    AppDbContext db,
    CommunityAccess access,
    IOptions<ReminderSettings> settings,
    IOptions<JobOptions> jobs,
    SiteLinks links,
    IStringLocalizer<SharedResource> l,
    TimeProvider clock)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = jobs.Value.Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var dayInWeek = ((int)today.DayOfWeek + 6) % 7;
        if (dayInWeek < ((int)settings.Value.DigestDay + 6) % 7)
        {
            return 0;
        }
        var week = $"{ISOWeek.GetYear(today.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(today.ToDateTime(TimeOnly.MinValue)):00}";
        var managers = await db.ManagerAssignments.Select(a => a.UserId).Distinct().ToListAsync(ct);
        var keys = managers.ToDictionary(m => m, m => $"digest:{m}:{week}");
        var values = keys.Values.ToList();
        // One lookup on the unique key index: on most days every digest of the week is out already.
        var done = (await db.OutboxMessages.Where(m => values.Contains(m.IdempotencyKey)).Select(m => m.IdempotencyKey).ToListAsync(ct)).ToHashSet();
        var sent = 0;
        foreach (var managerId in managers)
        {
            var key = keys[managerId];
            if (done.Contains(key))
            {
                continue;
            }
            try
            {
                if (await WriteAsync(managerId, key, now, today, ct))
                {
                    await db.SaveChangesAsync(ct);
                    sent++;
                }
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                if (!await db.OutboxMessages.AnyAsync(m => m.IdempotencyKey == key, ct))
                {
                    throw;
                }
                // A run overlapping this one wrote the same digest first: the key kept it to one.
            }
            db.ChangeTracker.Clear();
        }
        return sent;
    }

    private async Task<bool> WriteAsync(string managerId, string key, DateTime now, DateOnly today, CancellationToken ct)
    {
        var from = now.AddDays(-settings.Value.DigestExpiredDays);
        var until = now.AddDays(settings.Value.DigestHorizonDays);
        var communities = access.ManagedCommunityIds(managerId);
        var people = await db.Certificates.AsNoTracking()
            .Where(c => communities.Contains(c.CommunityId) && c.RevokedAt == null && c.SuspendedAt == null
                && c.ExpiresAt > from && c.ExpiresAt <= until)
            .OrderBy(c => c.ExpiresAt)
            .Take(settings.Value.DigestMaxPeople + 1)
            .Select(c => new Person(c.User.FullName, c.Number, c.Track, c.Community.NameZh, c.Community.NameEn, c.ExpiresAt))
            .ToListAsync(ct);
        if (people.Count == 0)
        {
            return false;
        }
        var manager = await db.Users.AsNoTracking().Where(u => u.Id == managerId)
            .Select(u => new { u.Email, u.FullName, u.PreferredCulture }).SingleAsync(ct);

        using var _ = Cultures.Use(manager.PreferredCulture);
        var zone = jobs.Value.Zone;
        string Line(Person p) => l["Digest.Line", p.Name, p.Number, l[$"Track.{p.Track}"].Value, Cultures.Pick(p.CommunityZh, p.CommunityEn),
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(p.ExpiresAt, zone)).ToString("yyyy-MM-dd")].Value;
        var shown = people.Take(settings.Value.DigestMaxPeople).ToList();
        var expiring = shown.Where(p => p.ExpiresAt > now).Select(Line).ToList();
        var expired = shown.Where(p => p.ExpiresAt <= now).Select(Line).ToList();
        var subject = l["Digest.Subject", today.ToString("yyyy-MM-dd"), expiring.Count, expired.Count].Value;
        var sections = new List<(string Heading, List<string> Lines)>
        {
            (l["Digest.Expiring", settings.Value.DigestHorizonDays, expiring.Count], expiring),
            (l["Digest.Expired", settings.Value.DigestExpiredDays, expired.Count], expired),
        };
        var more = people.Count > shown.Count ? l["Digest.More", settings.Value.DigestMaxPeople].Value : null;
        var link = links.Absolute(RenderReminders.ManagePath);

        var text = new StringBuilder().Append(l["Email.Greeting", manager.FullName]).Append("\n\n").Append(l["Digest.Intro"]).Append("\n\n");
        var html = new StringBuilder()
            .Append("<p>").Append(WebUtility.HtmlEncode(l["Email.Greeting", manager.FullName])).Append("</p>")
            .Append("<p>").Append(WebUtility.HtmlEncode(l["Digest.Intro"])).Append("</p>");
        foreach (var (heading, lines) in sections.Where(s => s.Lines.Count > 0))
        {
            text.Append(heading).Append('\n').AppendJoin("", lines.Select(x => $"- {x}\n")).Append('\n');
            html.Append("<h3>").Append(WebUtility.HtmlEncode(heading)).Append("</h3><ul>")
                .AppendJoin("", lines.Select(x => $"<li>{WebUtility.HtmlEncode(x)}</li>")).Append("</ul>");
        }
        if (more is not null)
        {
            text.Append(more).Append("\n\n");
            html.Append("<p>").Append(WebUtility.HtmlEncode(more)).Append("</p>");
        }
        text.Append(l["Digest.Action"]).Append(": ").Append(link).Append("\n\n").Append(l["Email.Signature"]).Append('\n');
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link)).Append("\">").Append(WebUtility.HtmlEncode(l["Digest.Action"])).Append("</a></p>")
            .Append("<p>").Append(WebUtility.HtmlEncode(l["Email.Signature"])).Append("</p>");

        var email = new EmailMessage(manager.Email!, manager.FullName, subject, html.ToString(), text.ToString());
        db.OutboxMessages.Add(OutboxMessage.Create(key, email, Cultures.Current, OutboxKinds.Digest, now));
        db.Notifications.Add(new Notification { UserId = managerId, Title = subject, Body = l["Digest.Intro"], Link = RenderReminders.ManagePath, CreatedAt = now });
        return true;
    }

    private sealed record Person(string Name, string Number, RoleTrack Track, string CommunityZh, string CommunityEn, DateTime ExpiresAt);
}
