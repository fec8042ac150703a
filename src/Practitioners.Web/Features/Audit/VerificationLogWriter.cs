using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;

namespace Practitioners.Web.Features.Audit;

/// <summary>
/// Drains <see cref="VerificationLog"/>: when an entry arrives it waits a moment for more, takes what is queued (up to a
/// batch), writes it to the audit table in one short transaction (immediate on SQLite, like every write here), and loops. A failed write (the database busy or
/// down) is retried with back-off while the entries stay queued, so the verification pages keep answering. On stop it
/// writes everything still queued; the server has stopped taking requests by then.
/// </summary>
public sealed class VerificationLogWriter(
    VerificationLog log, IServiceScopeFactory scopes, IOptions<VerificationLogOptions> options, ILogger<VerificationLogWriter> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _abort = new();
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        log.Complete();
        if (_loop is null)
        {
            return;
        }
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out while the database still refused the writes.
            await _abort.CancelAsync();
            logger.LogError("Stopped with {Count} verification audit entries not written", log.Pending);
        }
    }

    public void Dispose() => _abort.Dispose();

    private async Task RunAsync(CancellationToken abort)
    {
        var reader = log.Reader;
        var size = Math.Max(1, options.Value.BatchSize);
        var batch = new List<VerificationEntry>(size);
        try
        {
            var gather = TimeSpan.FromMilliseconds(Math.Max(0, options.Value.GatherMilliseconds));
            while (await reader.WaitToReadAsync(abort))
            {
                if (gather > TimeSpan.Zero)
                {
                    await Task.Delay(gather, abort);
                }
                while (batch.Count < size && reader.TryRead(out var entry))
                {
                    batch.Add(entry);
                }
                await WriteWithRetriesAsync(batch, abort);
                log.MarkWritten(batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
    }

    private async Task WriteWithRetriesAsync(List<VerificationEntry> batch, CancellationToken abort)
    {
        var wait = TimeSpan.FromMilliseconds(Math.Max(1, options.Value.RetryFirstMilliseconds));
        var longest = TimeSpan.FromSeconds(Math.Max(1, options.Value.RetryMaxSeconds));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(batch, abort);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !abort.IsCancellationRequested)
            {
                logger.LogError(e, "Writing {Count} verification audit entries failed (attempt {Attempt}); {Pending} queued; retrying in {Wait}",
                    batch.Count, attempt, log.Pending, wait);
                await Task.Delay(wait, abort);
                wait = TimeSpan.FromTicks(Math.Min(longest.Ticks, wait.Ticks * 2));
            }
        }
    }

    private async Task WriteAsync(List<VerificationEntry> batch, CancellationToken abort)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = batch.Select(Row).ToList();
        // Measured with 500-row batches (see README, "Audit"): on SQLite AddRange + SaveChanges was the cheaper, on
        // PostgreSQL one multi-row INSERT (no RETURNING per row, one statement) took about a third of the time.
        if (db.Database.IsSqlite())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AuditEvents.AddRange(rows);
            // One implicit transaction for the batch: BEGIN IMMEDIATE on SQLite.
            await db.SaveChangesAsync(abort);
        }
        else
        {
            await InsertAsync(db, rows, abort);
        }
    }

    /// <summary>The batch as one multi-row INSERT in one transaction; provider-neutral SQL (quoted names, @ parameters).</summary>
    internal static async Task InsertAsync(AppDbContext db, IReadOnlyList<AuditEvent> rows, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        var sql = new StringBuilder(
            "INSERT INTO \"AuditEvents\" (\"At\", \"ActorUserId\", \"Action\", \"SubjectType\", \"SubjectId\", \"Data\", \"IpAddress\") VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            sql.Append(i == 0 ? "(" : ", (");
            object?[] values = [r.At, r.ActorUserId, r.Action, r.SubjectType, r.SubjectId, r.Data, r.IpAddress];
            for (var column = 0; column < values.Length; column++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}_{column}";
                parameter.Value = values[column] ?? DBNull.Value;
                command.Parameters.Add(parameter);
                sql.Append(column == 0 ? "" : ", ").Append(parameter.ParameterName);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    internal static AuditEvent Row(VerificationEntry e) => new()
    {
        At = e.At,
        ActorUserId = e.Verifier,
        Action = Action(e.Result),
        SubjectType = e.Kind == VerificationKind.Hours ? "HoursCertificate" : "Certificate",
        SubjectId = e.Subject,
        Data = JsonSerializer.Serialize(new { via = Word(e.Kind), ua = e.UserAgent }),
        IpAddress = e.IpAddress is { Length: > 64 } ip ? ip[..64] : e.IpAddress,
    };

    /// <summary>verification.valid, verification.not-found, ...: the audit viewer's "what" filter finds a result by it.</summary>
    public static string Action(VerificationResult result) => "verification." + Word(result);

    public static string Word<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
