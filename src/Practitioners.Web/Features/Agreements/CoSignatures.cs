using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Communities;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Agreements;

public enum GuardianOutcome
{
    Signed,
    InvalidLink,
    UsedLink,
    ExpiredLink,
    StaleText,
    NameMismatch,
}

/// <summary>A guardian co-signs from the emailed link, without an account: the same evidence as any signature.</summary>
public sealed class GuardianCoSign(AppDbContext db, GuardianInvitations invitations, AdvanceAdmissions advance, AuditLog audit, TimeProvider clock)
{
    public async Task<GuardianOutcome> RunAsync(string token, SignatureEvidence evidence, CancellationToken ct)
    {
        var invitation = await invitations.FindAsync(token, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (invitation is null)
        {
            return GuardianOutcome.InvalidLink;
        }
        if (invitation.UsedAt is not null)
        {
            return GuardianOutcome.UsedLink;
        }
        if (invitation.ExpiresAt <= now)
        {
            return GuardianOutcome.ExpiredLink;
        }
        var holder = await db.Signatures.AsNoTracking().SingleAsync(s => s.Id == invitation.SignatureId, ct);
        var version = await db.AgreementVersions.AsNoTracking().SingleAsync(v => v.AgreementId == holder.AgreementId && v.Version == holder.Version, ct);
        var language = Cultures.IsSupported(evidence.Language) ? evidence.Language : Cultures.Default;
        if (evidence.TextHash != AgreementRules.Hash(version.Text(language)))
        {
            return GuardianOutcome.StaleText;
        }
        if (!AgreementRules.NamesMatch(evidence.TypedName, invitation.GuardianName))
        {
            return GuardianOutcome.NameMismatch;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Claim the link first: of two concurrent posts only one updates the row.
        var claimed = await db.GuardianInvitations.Where(i => i.Id == invitation.Id && i.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), ct);
        if (claimed == 0)
        {
            return GuardianOutcome.UsedLink;
        }
        var signature = new Signature
        {
            AgreementId = holder.AgreementId,
            Version = holder.Version,
            Role = SignatureRole.Guardian,
            ForSignatureId = holder.Id,
            Language = language,
            TextHash = evidence.TextHash,
            TypedName = evidence.TypedName.Trim(),
            GuardianRelation = invitation.Relation,
            GuardianEmail = invitation.Email,
            SignedAt = now,
            IpAddress = evidence.IpAddress,
            UserAgent = SignAgreement.Truncate(evidence.UserAgent, 512),
        };
        db.Signatures.Add(signature);
        await db.SaveChangesAsync(ct);
        audit.Record("agreement.guardian-signed", "Signature", signature.Id.ToString(), null, new { holder = holder.Id, invitation.Relation });
        await advance.RunAsync(holder.UserId!, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return GuardianOutcome.Signed;
    }
}

public enum CountersignOutcome
{
    Done,
    NotFound,
    Forbidden,
    AlreadyDecided,
    NameMismatch,
    ReasonRequired,
}

/// <summary>
/// The manager of the admission's community countersigns a holder's signature, or declines it with a reason.
/// A manager of another community is refused; the signer is told either way.
/// </summary>
public sealed class Countersign(
    AppDbContext db,
    CommunityAccess access,
    AdvanceAdmissions advance,
    GuardianEmails emails,
    AuditLog audit,
    TimeProvider clock)
{
    public async Task<CountersignOutcome> RunAsync(System.Security.Claims.ClaimsPrincipal manager, string managerId, long signatureId,
        bool approve, string typedName, string? reason, SignatureEvidence evidence, CancellationToken ct)
    {
        var holder = await db.Signatures.AsNoTracking()
            .Where(s => s.Id == signatureId && s.Role == SignatureRole.Holder && s.NeedsCountersignature)
            .Select(s => new { s.Id, s.AgreementId, s.Version, s.UserId, s.Language, CommunityId = db.Admissions.Where(a => a.Id == s.AdmissionId).Select(a => a.CommunityId).Single() })
            .SingleOrDefaultAsync(ct);
        if (holder is null)
        {
            return CountersignOutcome.NotFound;
        }
        if (!await access.CanManageAsync(manager, holder.CommunityId, ct))
        {
            return CountersignOutcome.Forbidden;
        }
        if (await db.Signatures.AnyAsync(s => s.ForSignatureId == signatureId && s.Role == SignatureRole.Countersigner, ct))
        {
            return CountersignOutcome.AlreadyDecided;
        }
        var managerName = await db.Users.Where(u => u.Id == managerId).Select(u => u.FullName).SingleAsync(ct);
        if (!AgreementRules.NamesMatch(typedName, managerName))
        {
            return CountersignOutcome.NameMismatch;
        }
        if (!approve && string.IsNullOrWhiteSpace(reason))
        {
            return CountersignOutcome.ReasonRequired;
        }
        var version = await db.AgreementVersions.AsNoTracking().SingleAsync(v => v.AgreementId == holder.AgreementId && v.Version == holder.Version, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var signature = new Signature
        {
            AgreementId = holder.AgreementId,
            Version = holder.Version,
            Role = SignatureRole.Countersigner,
            UserId = managerId,
            ForSignatureId = holder.Id,
            Language = holder.Language,
            TextHash = AgreementRules.Hash(version.Text(holder.Language)),
            TypedName = typedName.Trim(),
            Declined = !approve,
            DeclineReason = approve ? null : reason!.Trim(),
            SignedAt = now,
            IpAddress = evidence.IpAddress,
            UserAgent = SignAgreement.Truncate(evidence.UserAgent, 512),
        };
        db.Signatures.Add(signature);
        await db.SaveChangesAsync(ct);
        audit.Record(approve ? "agreement.countersigned" : "agreement.countersign-declined", "Signature", holder.Id.ToString(), managerId,
            new { signature = signature.Id, reason = signature.DeclineReason });
        await advance.RunAsync(holder.UserId!, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await emails.SendSignerNewsAsync(holder.Id, approve, signature.DeclineReason, ct);
        return CountersignOutcome.Done;
    }
}
