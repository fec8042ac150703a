using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using MimeKit;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Infrastructure.Email;

public sealed record EmailMessage(string To, string ToName, string Subject, string HtmlBody, string TextBody);

/// <summary>The seam between the site and mail delivery.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct = default);
}

public sealed class EmailOptions
{
    public string From { get; set; } = "Practitioners <no-reply@practitioners.local>";
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>When set, every outgoing message is also written here as an .eml file (Development).</summary>
    public string? PickupDirectory { get; set; }

    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>With neither a server nor a pickup folder, messages wait in the outbox until one is configured.</summary>
    public bool CanDeliver => !string.IsNullOrWhiteSpace(Smtp.Host) || !string.IsNullOrWhiteSpace(PickupDirectory);
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 25;
    public bool UseTls { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }
}

public sealed class OutboxOptions
{
    /// <summary>How many messages one claim takes.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Transient failures are retried until a message has had this many attempts; then it is dead.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The first retry waits about this long; each further one twice as long, up to RetryMaxSeconds.</summary>
    public int RetryBaseSeconds { get; set; } = 60;

    public int RetryMaxSeconds { get; set; } = 3600;

    /// <summary>A message claimed longer ago than this is taken to belong to a sender that died, and is sent again.</summary>
    public int LeaseMinutes { get; set; } = 5;

    /// <summary>Connect, command and data timeout.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Emails written by a request (confirmation, reset, agreement and certificate news) are also tried as soon
    /// as their transaction commits, so a person does not wait for the next sender run.
    /// </summary>
    public bool DeliverImmediately { get; set; } = true;
}

/// <summary>
/// Writes the message into the outbox with the caller's DbContext: saved with the caller's pending changes, inside the
/// caller's transaction when one is open, so an email exists exactly when the change it reports does.
/// </summary>
public sealed class OutboxEmailSender(AppDbContext db, OutboxAfterCommit afterCommit, IOptions<EmailOptions> options, TimeProvider clock)
    : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct = default)
    {
        var row = OutboxMessage.Create($"email:{Guid.NewGuid():N}", message, Cultures.Current, OutboxKinds.Email, clock.GetUtcNow().UtcDateTime);
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync(ct);
        if (!options.Value.Outbox.DeliverImmediately)
        {
            return;
        }
        if (db.Database.CurrentTransaction is null)
        {
            await afterCommit.DeliverAsync([row.Id]);
        }
        else
        {
            afterCommit.Defer(db, row.Id);
        }
    }
}

/// <summary>
/// Delivers a request's emails once its transaction commits. A failure here loses nothing: the message stays in the
/// outbox and the sender job retries it.
/// </summary>
public sealed class OutboxAfterCommit(IServiceScopeFactory scopes, ILogger<OutboxAfterCommit> logger) : DbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<long>> _deferred = [];

    public void Defer(DbContext db, long id)
    {
        lock (_deferred)
        {
            _deferred.GetOrCreateValue(db).Add(id);
        }
    }

    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { Count: > 0 } ids)
        {
            await DeliverAsync(ids);
        }
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Not cancelled with the request: a half-sent message would wait for its lease to run out.</summary>
    public async Task DeliverAsync(IReadOnlyCollection<long> ids)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SendOutbox>().DeliverAsync(ids, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Immediate delivery of {Count} message(s) failed; the sender job will retry", ids.Count);
        }
    }

    private List<long>? Take(DbContext? db)
    {
        if (db is null)
        {
            return null;
        }
        lock (_deferred)
        {
            if (_deferred.TryGetValue(db, out var ids))
            {
                _deferred.Remove(db);
                return ids;
            }
        }
        return null;
    }
}

public static class MimeMessages
{
    public static MimeMessage Build(OutboxMessage message, string from, DateTimeOffset now)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(new MailboxAddress(message.ToName, message.To));
        mime.Subject = message.Subject;
        mime.Date = now;
        mime.MessageId = message.MessageId;
        mime.Body = new BodyBuilder { HtmlBody = message.Html, TextBody = message.Text }.ToMessageBody();
        return mime;
    }
}

public static class PickupDirectory
{
    public static string? Resolve(EmailOptions settings, IWebHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(settings.PickupDirectory)
            ? null
            : Path.GetFullPath(Path.Combine(environment.ContentRootPath, settings.PickupDirectory));
}

public static class EmailSetup
{
    public static WebApplicationBuilder AddEmail(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<EmailOptions>(builder.Configuration.GetSection("Email"));
        builder.Services.AddSingleton<OutboxAfterCommit>();
        builder.Services.ConfigureDbContext<AppDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<OutboxAfterCommit>()));
        builder.Services.AddScoped<IEmailSender, OutboxEmailSender>();
        builder.Services.AddScoped<SendOutbox>();
        return builder;
    }
}
