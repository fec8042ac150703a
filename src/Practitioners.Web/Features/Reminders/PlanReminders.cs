using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Reminders;

public sealed record ReminderRun(int Planned, int Rendered);

/// <summary>
/// Daily: plans a reminder for every certificate that has crossed one of its type's offsets, then renders them into
/// outbox emails and notifications. Planning is one transaction of set-based statements, one per type and offset,
/// each a range on the ExpiresAt index; nothing is loaded per certificate. Suspended and revoked certificates get
/// nothing, and a renewed one starts a new series because its expiry changed.
/// </summary>
public sealed class PlanReminders(
    AppDbContext db,
    IOptions<CredentialSettings> credentials,
    IOptions<ReminderSettings> settings,
    IOptions<JobOptions> jobs,
    CancelStaleReminders cancelStale,
    RenderReminders render,
    TimeProvider clock)
{
    public async Task<ReminderRun> RunAsync(CancellationToken ct)
    {
        var planned = await PlanAsync(ct);
        var rendered = await render.RunAsync(ct);
        return new ReminderRun(planned, rendered);
    }

    public async Task<int> PlanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = jobs.Value.Zone;
        var catchUp = settings.Value.CatchUpDays;
        var provider = db.Database.ProviderName;
        var planned = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var track in Enum.GetValues<RoleTrack>())
        {
            var type = credentials.Value.For(track);
            foreach (var window in ReminderWindow.For(type.ReminderDays, now, zone, catchUp))
            {
                planned += await db.Database.ExecuteSqlRawAsync(ReminderSql.PlanForHolders(provider),
                    [track.ToString(), window.Offset, window.From, window.Before, now], ct);
            }
            // Managers are told in days after expiry; stored as offsets like the holder's, negative after expiry.
            foreach (var window in ReminderWindow.For(type.ManagerReminderDays.Select(d => -d), now, zone, catchUp))
            {
                planned += await db.Database.ExecuteSqlRawAsync(ReminderSql.PlanForManagers(provider),
                    [track.ToString(), window.Offset, window.From, window.Before, now], ct);
            }
        }
        await cancelStale.RunAsync(ct);
        await transaction.CommitAsync(ct);
        return planned;
    }
}

/// <summary>Cancels pending reminder emails of certificates renewed, suspended or revoked since they were planned.</summary>
public sealed class CancelStaleReminders(AppDbContext db)
{
    public Task<int> RunAsync(CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync(ReminderSql.CancelStale(db.Database.ProviderName), ["certificate renewed, suspended or revoked"], ct);
}

/// <summary>
/// Writes the email and the in-app notification of each planned reminder, in the recipient's language, a batch per
/// transaction. The outbox key is the reminder's, so the same reminder can never be queued twice.
/// </summary>
public sealed class RenderReminders(
    AppDbContext db,
    IOptions<CredentialSettings> credentials,
    IOptions<ReminderSettings> settings,
    IOptions<JobOptions> jobs,
    SiteLinks links,
    IStringLocalizer<SharedResource> l,
    TimeProvider clock)
{
    public const string RefresherPath = "/training";
    public const string ManagePath = "/manage";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var written = 0;
        // A read first: on most runs there is nothing to render, and a write transaction would wait for the writer lock.
        while (await db.Reminders.AnyAsync(r => r.RenderedAt == null, ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Database.SqlQueryRaw<long>(ReminderSql.ClaimUnrendered(db.Database.ProviderName), Math.Max(1, settings.Value.RenderBatchSize))
                .ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var rows = await (
                from r in db.Reminders
                where ids.Contains(r.Id)
                join c in db.Certificates on r.CertificateId equals c.Id
                join k in db.Communities on c.CommunityId equals k.Id
                join to in db.Users on r.RecipientId equals to.Id
                join holder in db.Users on c.UserId equals holder.Id
                select new ReminderRow(r, c.Number, c.Track, c.ExpiresAt, c.RevokedAt != null || c.SuspendedAt != null,
                    k.NameZh, k.NameEn, to.Email!, to.FullName, to.PreferredCulture, holder.FullName))
                .AsNoTracking().ToListAsync(ct);
            foreach (var row in rows.Where(r => !r.Stopped && r.CurrentExpiry == r.Reminder.ExpiresAt))
            {
                Write(row, now);
                written++;
            }
            await db.SaveChangesAsync(ct);
            await db.Reminders.Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.RenderedAt, now), ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        return written;
    }

    private void Write(ReminderRow row, DateTime now)
    {
        using var _ = Cultures.Use(row.Culture);
        var zone = jobs.Value.Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var expiryDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(row.Reminder.ExpiresAt, zone));
        var expires = expiryDay.ToString("yyyy-MM-dd");
        var type = l[$"Track.{row.Track}"].Value;
        var community = Cultures.Pick(row.CommunityZh, row.CommunityEn);

        string subject, body, action, path;
        if (row.Reminder.Audience == ReminderAudience.Holder)
        {
            var daysLeft = expiryDay.DayNumber - today.DayNumber;
            var graceEnds = expiryDay.AddDays(credentials.Value.For(row.Track).GraceDays).ToString("yyyy-MM-dd");
            (subject, body) = daysLeft switch
            {
                > 0 => (l["Email.Reminder.Before.Subject", row.Number, expires].Value,
                    l["Email.Reminder.Before.Body", type, row.Number, community, expires, daysLeft].Value),
                0 => (l["Email.Reminder.Today.Subject", row.Number].Value,
                    l["Email.Reminder.Today.Body", type, row.Number, community, graceEnds].Value),
                _ => (l["Email.Reminder.After.Subject", row.Number, expires].Value,
                    l["Email.Reminder.After.Body", type, row.Number, community, expires, graceEnds].Value),
            };
            action = l["Email.Reminder.Action"];
            path = RefresherPath;
        }
        else
        {
            subject = l["Email.ManagerReminder.Subject", row.HolderName, row.Number];
            body = l["Email.ManagerReminder.Body", row.HolderName, community, type, row.Number, expires];
            action = l["Email.ManagerReminder.Action"];
            path = ManagePath;
        }

        var email = EmailComposer.Compose(row.Email, row.Name, subject, l["Email.Greeting", row.Name], [body],
            action, links.Absolute(path), l["Email.Signature"]);
        var message = OutboxMessage.Create(row.Reminder.Key, email, Cultures.Current, OutboxKinds.Reminder, now);
        message.ReminderId = row.Reminder.Id;
        db.OutboxMessages.Add(message);
        db.Notifications.Add(new Notification { UserId = row.Reminder.RecipientId, Title = subject, Body = body, Link = path, CreatedAt = now });
    }

    private sealed record ReminderRow(Reminder Reminder, string Number, RoleTrack Track, DateTime CurrentExpiry, bool Stopped,
        string CommunityZh, string CommunityEn, string Email, string Name, string Culture, string HolderName);
}
