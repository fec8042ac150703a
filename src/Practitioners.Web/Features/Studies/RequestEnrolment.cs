using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Data.Sql;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

public enum RequestOutcome
{
    Requested,
    NotFound,
    OwnStudy,
    Withdrawn,
    Ended,
    NoConsentYet,
    NoValidCredential,
    AlreadyOnStudy,
    TeamFull,
    StaleText,
    NameMismatch,
}

/// <summary>What the signer saw and typed, plus where the request came from.</summary>
public sealed record StudySignatureEvidence(string Language, string TextHash, string TypedName, string? IpAddress, string? UserAgent);

/// <summary>
/// A researcher signs the study's data-use agreement and asks to join, in one step. Refused, with nothing recorded,
/// for the lead's own study, a withdrawn or ended study, one no community has approved, without a valid R credential,
/// when already on it or its team is full, when the text shown is not the study's text, or the typed name is not theirs.
/// </summary>
public sealed class RequestEnrolment(AppDbContext db, CredentialStanding credentials, StudyEmails emails, AuditLog audit, TimeProvider clock)
{
    /// <summary>Whether this person may ask to join now, before they sign: the page shows the reason instead of the form.</summary>
    public async Task<RequestOutcome> GateAsync(Study study, string userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (study.State == StudyState.Draft || study.Agreement is null)
        {
            return RequestOutcome.NotFound;
        }
        if (study.LeadUserId == userId)
        {
            return RequestOutcome.OwnStudy;
        }
        if (study.State == StudyState.Withdrawn)
        {
            return RequestOutcome.Withdrawn;
        }
        if (study.HasEnded(now))
        {
            return RequestOutcome.Ended;
        }
        if (!study.Communities.Any(c => c.Consent == ConsentState.Approved))
        {
            return RequestOutcome.NoConsentYet;
        }
        if (!await credentials.HoldsValidAsync(userId, ct))
        {
            return RequestOutcome.NoValidCredential;
        }
        if (await db.Enrolments.AnyAsync(e => e.StudyId == study.Id && e.UserId == userId && Enrolment.Open.Contains(e.State), ct))
        {
            return RequestOutcome.AlreadyOnStudy;
        }
        return await db.Enrolments.CountAsync(e => e.StudyId == study.Id && (e.State == EnrolmentState.Approved || e.State == EnrolmentState.Suspended), ct)
            >= study.MaxTeamSize ? RequestOutcome.TeamFull : RequestOutcome.Requested;
    }

    public async Task<RequestOutcome> RunAsync(string userId, int studyId, StudySignatureEvidence evidence, CancellationToken ct)
    {
        // Requests for one study are counted one after the other (SQLite: the immediate transaction; PostgreSQL: the lock).
        await using var transaction = await db.BeginWriteAsync(ct, WriteLock.Of(LockPurpose.StudyTeam, studyId));
        var study = await LoadAsync(studyId, ct);
        if (study is null)
        {
            return RequestOutcome.NotFound;
        }
        var gate = await GateAsync(study, userId, ct);
        if (gate != RequestOutcome.Requested)
        {
            return gate;
        }
        var language = Cultures.IsSupported(evidence.Language) ? evidence.Language : Cultures.Default;
        if (evidence.TextHash != AgreementRules.Hash(study.Agreement!.Text(language)))
        {
            return RequestOutcome.StaleText;
        }
        var fullName = await db.Users.Where(u => u.Id == userId).Select(u => u.FullName).SingleAsync(ct);
        if (!AgreementRules.NamesMatch(evidence.TypedName, fullName))
        {
            return RequestOutcome.NameMismatch;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var signature = new StudySignature
        {
            StudyId = studyId,
            UserId = userId,
            Language = language,
            TextHash = evidence.TextHash,
            TypedName = evidence.TypedName.Trim(),
            SignedAt = now,
            IpAddress = evidence.IpAddress,
            UserAgent = SignAgreement.Truncate(evidence.UserAgent, 512),
        };
        db.StudySignatures.Add(signature);
        await db.SaveChangesAsync(ct);
        var enrolment = Enrolment.Request(studyId, userId, signature.Id, now);
        db.Enrolments.Add(enrolment);
        await db.SaveChangesAsync(ct);
        audit.Record("study.agreement.signed", "StudySignature", signature.Id.ToString(), userId, new { study = studyId, signature.Language, signature.TextHash });
        audit.Record("enrolment.requested", "Enrolment", enrolment.Id.ToString(), userId, new { study = studyId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await emails.SendAsync(StudyEmail.Requested, study.LeadUserId, study, () => fullName, null, ct);
        return RequestOutcome.Requested;
    }

    public Task<Study?> LoadAsync(int studyId, CancellationToken ct) =>
        db.Studies.AsNoTracking().Include(s => s.Communities).Include(s => s.Agreement).SingleOrDefaultAsync(s => s.Id == studyId, ct);
}
