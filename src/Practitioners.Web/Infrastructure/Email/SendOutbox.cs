using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;

namespace Practitioners.Web.Infrastructure.Email;

public sealed record OutboxRun(int Sent, int Retrying, int Dead);

/// <summary>
/// Delivers the outbox: claims due messages in small batches, sends them over one reused SMTP connection and marks
/// each one sent as soon as the server has accepted it. A crash between the two leaves the message claimed; when its
/// lease runs out it is sent again with the same Message-ID. Transient failures come back later with exponential
/// back-off and jitter; a permanent refusal (5xx) is dead at once.
/// </summary>
public sealed class SendOutbox(AppDbContext db, IOptions<EmailOptions> options, IWebHostEnvironment environment, TimeProvider clock,
    ILogger<SendOutbox> logger)
{
    private int _sent;
    private int _retrying;
    private int _dead;

    /// <summary>Called after the server accepted a message and before it is marked: tests stop the process here.</summary>
    internal Func<OutboxMessage, Task>? AfterAccepted { get; set; }

    private EmailOptions Settings => options.Value;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Sends everything due now, batch by batch.</summary>
    public async Task<OutboxRun> RunAsync(CancellationToken ct)
    {
        if (!Settings.CanDeliver)
        {
            return new OutboxRun(0, 0, 0);
        }
        await ReclaimExpiredLeasesAsync(ct);
        await using var transport = new SmtpTransport(Settings);
        // Reads before writes: an idle run (most of them) takes no write lock.
        while (!ct.IsCancellationRequested && await AnyDueAsync(ct))
        {
            var token = Random.Shared.NextInt64(1, long.MaxValue);
            var claimed = await db.Database.ExecuteSqlRawAsync(OutboxSql.ClaimDue(db.Database.ProviderName),
                [token, Now, Math.Max(1, Settings.Outbox.BatchSize)], ct);
            if (claimed == 0 || !await DeliverClaimedAsync(transport, token, ct))
            {
                break;
            }
        }
        return new OutboxRun(_sent, _retrying, _dead);
    }

    /// <summary>Sends the given messages now, if they are still pending: the request path's first try.</summary>
    public async Task<OutboxRun> DeliverAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        if (!Settings.CanDeliver || ids.Count == 0)
        {
            return new OutboxRun(0, 0, 0);
        }
        var token = Random.Shared.NextInt64(1, long.MaxValue);
        var now = Now;
        var claimed = await db.OutboxMessages.Where(m => ids.Contains(m.Id) && m.State == OutboxState.Pending && m.DueAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sending).SetProperty(m => m.ClaimToken, token)
                .SetProperty(m => m.ClaimedAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        if (claimed > 0)
        {
            await using var transport = new SmtpTransport(Settings);
            await DeliverClaimedAsync(transport, token, ct);
        }
        return new OutboxRun(_sent, _retrying, _dead);
    }

    private Task<bool> AnyDueAsync(CancellationToken ct)
    {
        var now = Now;
        return db.OutboxMessages.AnyAsync(m => m.State == OutboxState.Pending && m.DueAt <= now, ct);
    }

    /// <summary>Messages whose sender died mid-batch become pending again once their lease has run out.</summary>
    private async Task ReclaimExpiredLeasesAsync(CancellationToken ct)
    {
        var expired = Now - TimeSpan.FromMinutes(Settings.Outbox.LeaseMinutes);
        if (!await db.OutboxMessages.AnyAsync(m => m.State == OutboxState.Sending && m.ClaimedAt < expired, ct))
        {
            return;
        }
        var reclaimed = await db.OutboxMessages.Where(m => m.State == OutboxState.Sending && m.ClaimedAt < expired)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Pending).SetProperty(m => m.ClaimToken, (long?)null), ct);
        if (reclaimed > 0)
        {
            logger.LogWarning("Reclaimed {Count} outbox message(s) whose sender did not finish", reclaimed);
        }
    }

    /// <summary>Returns false when the server cannot be reached, so the run stops instead of claiming more.</summary>
    private async Task<bool> DeliverClaimedAsync(SmtpTransport transport, long token, CancellationToken ct)
    {
        var batch = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.ClaimToken == token && m.State == OutboxState.Sending)
            .OrderBy(m => m.DueAt).ThenBy(m => m.Id)
            .ToListAsync(ct);
        var pickup = PickupDirectory.Resolve(Settings, environment);
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            var now = clock.GetUtcNow();
            var mime = MimeMessages.Build(message, Settings.From, now);
            try
            {
                await transport.SendAsync(mime, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var permanent = e is SmtpCommandException { StatusCode: var code } && (int)code >= 500;
                await FailAsync(message, token, permanent, Describe(e), ct);
                if (!transport.IsUsable)
                {
                    // Connection lost or refused: the rest of the batch waits for the next run, with back-off.
                    foreach (var rest in batch.Skip(i + 1))
                    {
                        await FailAsync(rest, token, permanent: false, Describe(e), ct);
                    }
                    return false;
                }
                continue;
            }
            if (AfterAccepted is not null)
            {
                await AfterAccepted(message);
            }
            if (pickup is not null)
            {
                Directory.CreateDirectory(pickup);
                await mime.WriteToAsync(Path.Combine(pickup, $"{now:yyyyMMddTHHmmssfff}-{message.Id}.eml"), ct);
            }
            var sentAt = now.UtcDateTime;
            await db.OutboxMessages.Where(m => m.Id == message.Id && m.ClaimToken == token && m.State == OutboxState.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Sent).SetProperty(m => m.SentAt, sentAt)
                    .SetProperty(m => m.LastError, (string?)null), ct);
            _sent++;
        }
        return true;
    }

    private async Task FailAsync(OutboxMessage message, long token, bool permanent, string error, CancellationToken ct)
    {
        var dead = permanent || message.Attempts >= Settings.Outbox.MaxAttempts;
        var dueAt = dead ? message.DueAt : Now + Backoff(message.Attempts);
        var state = dead ? OutboxState.Dead : OutboxState.Pending;
        await db.OutboxMessages.Where(m => m.Id == message.Id && m.ClaimToken == token && m.State == OutboxState.Sending)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, state).SetProperty(m => m.DueAt, dueAt)
                .SetProperty(m => m.LastError, error).SetProperty(m => m.ClaimToken, (long?)null), ct);
        if (dead)
        {
            _dead++;
            logger.LogError("Outbox message {Id} to {To} is dead after {Attempts} attempt(s): {Error}", message.Id, message.To, message.Attempts, error);
        }
        else
        {
            _retrying++;
            logger.LogWarning("Outbox message {Id} will be retried at {DueAt:u}: {Error}", message.Id, dueAt, error);
        }
    }

    /// <summary>Exponential back-off with "equal jitter": half the delay fixed, half random, so retries spread out.</summary>
    internal TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var seconds = Math.Min(Settings.Outbox.RetryBaseSeconds * Math.Pow(2, exponent), Settings.Outbox.RetryMaxSeconds);
        return TimeSpan.FromSeconds(seconds / 2 + Random.Shared.NextDouble() * seconds / 2);
    }

    private static string Describe(Exception e)
    {
        var text = e is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}" : $"{e.GetType().Name}: {e.Message}";
        return text.Length <= 1000 ? text : text[..1000];
    }
}

/// <summary>One SMTP connection for a whole run, opened on first use and opened again if the server drops it.</summary>
internal sealed class SmtpTransport(EmailOptions settings) : IAsyncDisposable
{
    private SmtpClient? _client;
    private bool _failed;

    private bool Configured => !string.IsNullOrWhiteSpace(settings.Smtp.Host);

    /// <summary>False once a connection could not be made: the server is down, so the run stops.</summary>
    public bool IsUsable => !Configured || !_failed;

    public async Task SendAsync(MimeKit.MimeMessage message, CancellationToken ct)
    {
        if (!Configured)
        {
            return;
        }
        var client = await ConnectedAsync(ct);
        try
        {
            await client.SendAsync(message, ct);
        }
        catch (SmtpCommandException)
        {
            // The server refused this message; the connection itself is fine for the next one.
            throw;
        }
        catch
        {
            // A broken connection: the next message opens a new one.
            client.Dispose();
            _client = null;
            throw;
        }
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken ct)
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }
        _client?.Dispose();
        _client = null;
        var timeout = TimeSpan.FromSeconds(settings.Outbox.TimeoutSeconds);
        var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        // NoDelay: SMTP is many small commands on one connection; Nagle's algorithm would hold each one back.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connectTimeout.CancelAfter(timeout);
            await socket.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, connectTimeout.Token);
            await client.ConnectAsync(socket, settings.Smtp.Host, settings.Smtp.Port,
                settings.Smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", ct);
            }
        }
        catch
        {
            _failed = true;
            socket.Dispose();
            client.Dispose();
            throw;
        }
        _failed = false;
        _client = client;
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync(true);
            }
            catch (Exception e) when (e is IOException or SocketException or ProtocolException or SmtpCommandException)
            {
                // Everything was marked already; a failed QUIT loses nothing.
            }
        }
        _client?.Dispose();
    }
}
