using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Certificates.OpenBadges;
using Practitioners.Web.Features.Hours;
using Practitioners.Web.Features.Partners.Api;

namespace Practitioners.Web.Features.Audit;

/// <summary>Where a verification came from.</summary>
public enum VerificationKind
{
    /// <summary>The public page /verify/{code} (and /verify/find).</summary>
    Page = 1,

    /// <summary>The public hours-certificate page /verify/hours/{code}.</summary>
    Hours,

    /// <summary>The partner API, GET /api/v1/credentials/{number}.</summary>
    Api,

    /// <summary>Open Badges: the status endpoint /ob/status/{code} and a badge pasted at /verify/credential.</summary>
    Badge,

    /// <summary>A manager's verification by number or code at /manage/verify.</summary>
    Manager,

    /// <summary>One row of a manager's bulk verification upload.</summary>
    Bulk,
}

/// <summary>What the verifier was told.</summary>
public enum VerificationResult
{
    Valid = 1,
    Expired,
    Suspended,
    Revoked,
    HolderRemoved,
    NotFound,

    /// <summary>A pasted badge that is not ours: malformed, an unknown key, a bad signature, not yet valid.</summary>
    Invalid,
}

/// <summary>One verification, as captured on the request: cheap to build, turned into an audit row by the writer.</summary>
public sealed record VerificationEntry(
    DateTime At, VerificationKind Kind, string Subject, VerificationResult Result, string? Verifier, string? IpAddress, string? UserAgent);

/// <summary>The "Audit:Verifications" settings section.</summary>
public sealed class VerificationLogOptions
{
    /// <summary>Entries waiting for the writer; when full, a verification waits for room (nothing is dropped).</summary>
    public int Capacity { get; set; } = 20_000;

    /// <summary>At most this many entries go into one write transaction.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// After the first entry of a batch arrives, the writer waits this long for more, so a steady trickle of
    /// verifications becomes a few larger transactions instead of one per request. 0 writes at once.
    /// </summary>
    public int GatherMilliseconds { get; set; } = 50;

    /// <summary>The first wait after a failed write; it doubles up to <see cref="RetryMaxSeconds"/>.</summary>
    public int RetryFirstMilliseconds { get; set; } = 200;

    public int RetryMaxSeconds { get; set; } = 30;
}

/// <summary>
/// Every verification goes on the audit record (who, what, when in UTC, from where) without a database write on the
/// request: the request queues an entry in a bounded channel and <see cref="VerificationLogWriter"/> writes what is
/// queued in batches, one short transaction each. A full queue makes the request wait (back-pressure), so an entry is
/// never dropped; the writer retries a failed batch and flushes the queue when the site stops.
/// </summary>
public sealed class VerificationLog
{
    public const int SubjectLength = 64;
    public const int UserAgentLength = 256;

    private readonly Channel<VerificationEntry> _channel;
    private readonly TimeProvider _clock;
    private readonly ILogger<VerificationLog> _logger;
    private long _queued;
    private long _written;
    private TaskCompletionSource _progress = NewSignal();

    public VerificationLog(IOptions<VerificationLogOptions> options, TimeProvider clock, ILogger<VerificationLog> logger)
    {
        _clock = clock;
        _logger = logger;
        _channel = Channel.CreateBounded<VerificationEntry>(new BoundedChannelOptions(Math.Max(1, options.Value.Capacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    internal ChannelReader<VerificationEntry> Reader => _channel.Reader;

    /// <summary>Entries queued and not yet written.</summary>
    public long Pending => Interlocked.Read(ref _queued) - Interlocked.Read(ref _written);

    public ValueTask RecordAsync(HttpContext http, VerificationKind kind, string? typed, VerifiedCertificate? found) =>
        EnqueueAsync(Entry(http, kind, found?.Number ?? typed, found is null ? VerificationResult.NotFound : ResultOf(found.Status, found.HolderRemoved)));

    public ValueTask RecordAsync(HttpContext http, string number, CertificateStatus? status) =>
        EnqueueAsync(Entry(http, VerificationKind.Bulk, number, status is { } s ? ResultOf(s, holderRemoved: false) : VerificationResult.NotFound));

    public ValueTask RecordAsync(HttpContext http, string? typed, VerifiedHoursCertificate? found) =>
        EnqueueAsync(Entry(http, VerificationKind.Hours, found?.Number ?? typed, found switch
        {
            null => VerificationResult.NotFound,
            { HolderRemoved: true } => VerificationResult.HolderRemoved,
            _ => VerificationResult.Valid,
        }));

    public ValueTask RecordAsync(HttpContext http, string? pasted, BadgeCheck check) =>
        EnqueueAsync(Entry(http, VerificationKind.Badge, check.Certificate?.Number ?? pasted, check.Verdict switch
        {
            _ when check.Certificate?.HolderRemoved == true => VerificationResult.HolderRemoved,
            BadgeVerdict.Valid or BadgeVerdict.Expiring => VerificationResult.Valid,
            BadgeVerdict.Expired => VerificationResult.Expired,
            BadgeVerdict.Suspended => VerificationResult.Suspended,
            BadgeVerdict.Revoked => VerificationResult.Revoked,
            BadgeVerdict.UnknownCertificate => VerificationResult.NotFound,
            _ => VerificationResult.Invalid,
        }));

    /// <summary>Queues an entry; waits only when the queue is full.</summary>
    public ValueTask EnqueueAsync(VerificationEntry entry)
    {
        if (_channel.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _queued);
            return ValueTask.CompletedTask;
        }
        return WaitForRoomAsync(entry);
    }

    private async ValueTask WaitForRoomAsync(VerificationEntry entry)
    {
        try
        {
            // Not the request's token: a verifier who gives up still verified, and the entry must not be lost.
            await _channel.Writer.WriteAsync(entry, CancellationToken.None);
            Interlocked.Increment(ref _queued);
        }
        catch (ChannelClosedException)
        {
            // Only after shutdown began; the server has stopped taking requests by then, so this is a straggler.
            _logger.LogError("Verification not written, the site is stopping: {Kind} {Subject} {Result} by {Verifier} from {Address}",
                entry.Kind, entry.Subject, entry.Result, entry.Verifier, entry.IpAddress);
        }
    }

    /// <summary>Completes when every entry queued before the call is in the database (tests await it instead of sleeping).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var target = Interlocked.Read(ref _queued);
        while (true)
        {
            var signal = Volatile.Read(ref _progress);
            if (Interlocked.Read(ref _written) >= target)
            {
                return;
            }
            await signal.Task.WaitAsync(ct);
        }
    }

    internal void MarkWritten(int count)
    {
        Interlocked.Add(ref _written, count);
        Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();
    }

    internal void Complete() => _channel.Writer.TryComplete();

    private VerificationEntry Entry(HttpContext http, VerificationKind kind, string? subject, VerificationResult result)
    {
        var verifier = kind == VerificationKind.Api
            ? "client:" + http.ClientId()
            : http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
        var userAgent = http.Request.Headers.UserAgent.ToString();
        return new VerificationEntry(_clock.GetUtcNow().UtcDateTime, kind, Cap(subject?.Trim(), SubjectLength) ?? "", result, verifier,
            http.Connection.RemoteIpAddress?.ToString(), Cap(userAgent.Length == 0 ? null : userAgent, UserAgentLength));
    }

    private static VerificationResult ResultOf(CertificateStatus status, bool holderRemoved) => holderRemoved
        ? VerificationResult.HolderRemoved
        : status switch
        {
            CertificateStatus.Valid or CertificateStatus.Expiring => VerificationResult.Valid,
            CertificateStatus.Expired => VerificationResult.Expired,
            CertificateStatus.Suspended => VerificationResult.Suspended,
            _ => VerificationResult.Revoked,
        };

    private static string? Cap(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The one line each verification action adds: <c>await HttpContext.RecordVerificationAsync(...)</c>.</summary>
public static class VerificationRecording
{
    public static ValueTask RecordVerificationAsync(this HttpContext http, VerificationKind kind, string? typed, VerifiedCertificate? found) =>
        http.RequestServices.GetRequiredService<VerificationLog>().RecordAsync(http, kind, typed, found);

    public static ValueTask RecordVerificationAsync(this HttpContext http, string? typed, VerifiedHoursCertificate? found) =>
        http.RequestServices.GetRequiredService<VerificationLog>().RecordAsync(http, typed, found);

    public static ValueTask RecordVerificationAsync(this HttpContext http, string? pasted, BadgeCheck check) =>
        http.RequestServices.GetRequiredService<VerificationLog>().RecordAsync(http, pasted, check);

    /// <summary>One row of a bulk verification: the number and the status found (null: no such certificate).</summary>
    public static ValueTask RecordVerificationAsync(this HttpContext http, string number, CertificateStatus? status) =>
        http.RequestServices.GetRequiredService<VerificationLog>().RecordAsync(http, number, status);
}
