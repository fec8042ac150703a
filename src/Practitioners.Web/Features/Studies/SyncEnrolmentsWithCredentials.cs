using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Studies;

public sealed record EnrolmentSyncResult(int Ended, int Suspended, int Resumed, int Reminded);

/// <summary>
/// Keeps every enrolment in step with its researcher's credential and its study's dates, for the daily job:
/// <list type="bullet">
/// <item>open enrolments of a study that ended or was withdrawn → Ended;</item>
/// <item>Approved without a valid R credential (expired, suspended, revoked) → Suspended;</item>
/// <item>Suspended with a valid R credential again, study still open → Approved;</item>
/// <item>Approved members whose credential expires before the study ends are told once per expiry date.</item>
/// </list>
/// Each set is found with one query (the credential test is <see cref="ResearcherCredentials.ValidResearcher"/> in SQL) and
/// only those enrolments are loaded, to record each change in their history. Idempotent: a second run changes nothing.
/// Pages do not wait for it: the roster shows an Approved member without a valid credential as suspended at once.
/// </summary>
public sealed class SyncEnrolmentsWithCredentials(
    AppDbContext db,
    StudyEmails emails,
    AuditLog audit,
    TimeProvider clock,
    ILogger<SyncEnrolmentsWithCredentials> logger)
{
    public async Task<EnrolmentSyncResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var valid = db.Certificates.ValidResearcher(now);

        var ending = await db.Enrolments.Include(e => e.Study)
            .Where(e => Enrolment.Open.Contains(e.State) && (e.Study.State == StudyState.Withdrawn || e.Study.EndDate < today))
            .ToListAsync(ct);
        foreach (var enrolment in ending)
        {
            var reason = enrolment.Study.State == StudyState.Withdrawn ? "study withdrawn" : "study ended";
            Record(enrolment, enrolment.State, EnrolmentState.Ended, reason);
            enrolment.End(reason, null, now);
        }
        // Saved before the next query, which would otherwise find the same rows still Approved in the database.
        await db.SaveChangesAsync(ct);

        var suspending = await db.Enrolments.Include(e => e.Study)
            .Where(e => e.State == EnrolmentState.Approved && !valid.Any(c => c.UserId == e.UserId))
            .ToListAsync(ct);
        foreach (var enrolment in suspending)
        {
            Record(enrolment, EnrolmentState.Approved, EnrolmentState.Suspended, "credential not valid");
            enrolment.Suspend("credential not valid", now);
        }
        await db.SaveChangesAsync(ct);

        var resuming = await db.Enrolments.Include(e => e.Study)
            .Where(e => e.State == EnrolmentState.Suspended && e.Study.State == StudyState.Published && e.Study.EndDate >= today
                && valid.Any(c => c.UserId == e.UserId))
            .ToListAsync(ct);
        foreach (var enrolment in resuming)
        {
            Record(enrolment, EnrolmentState.Suspended, EnrolmentState.Approved, "credential valid again");
            enrolment.Resume("credential valid again", now);
        }
        await db.SaveChangesAsync(ct);

        foreach (var enrolment in suspending)
        {
            await TellAsync(StudyEmail.Suspended, enrolment, null, ct);
        }
        foreach (var enrolment in resuming)
        {
            await TellAsync(StudyEmail.Resumed, enrolment, null, ct);
        }
        var reminded = await RemindAsync(now, ct);
        return new EnrolmentSyncResult(ending.Count, suspending.Count, resuming.Count, reminded);
    }

    /// <summary>
    /// Approved members whose longest-running valid credential expires before the study's last day ends, and who have
    /// not been told about that expiry yet. The reminder is recorded on the enrolment only once it was handed to the sender.
    /// </summary>
    private async Task<int> RemindAsync(DateTime now, CancellationToken ct)
    {
        var candidates = await db.Enrolments.Include(e => e.Study)
            .Where(e => e.State == EnrolmentState.Approved)
            .Select(e => new { Enrolment = e, Expiry = db.Certificates.ValidResearcher(now).Where(c => c.UserId == e.UserId).Max(c => (DateTime?)c.ExpiresAt) })
            .Where(x => x.Expiry != null && (x.Enrolment.RemindedForExpiry == null || x.Enrolment.RemindedForExpiry != x.Expiry))
            .ToListAsync(ct);
        var reminded = 0;
        foreach (var x in candidates.Where(x => x.Expiry < x.Enrolment.Study.EndsAt))
        {
            if (await TellAsync(StudyEmail.ExpiresBeforeEnd, x.Enrolment, x.Expiry!.Value.ToString("yyyy-MM-dd"), ct))
            {
                x.Enrolment.Reminded(x.Expiry.Value);
                audit.Record("enrolment.reminded", "Enrolment", x.Enrolment.Id.ToString(), null, new { expires = x.Expiry });
                await db.SaveChangesAsync(ct);
                reminded++;
            }
        }
        return reminded;
    }

    private void Record(Enrolment enrolment, EnrolmentState from, EnrolmentState to, string reason) =>
        audit.Record("enrolment.state", "Enrolment", enrolment.Id.ToString(), null, new { from, to, reason });

    /// <summary>One undeliverable address must not stop the sweep; the state change stands either way.</summary>
    private async Task<bool> TellAsync(StudyEmail kind, Enrolment enrolment, string? detail, CancellationToken ct)
    {
        try
        {
            await emails.SendAsync(kind, enrolment.UserId, enrolment.Study, null, detail, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not send the {Kind} email for enrolment {Enrolment}", kind, enrolment.Id);
            return false;
        }
    }
}
