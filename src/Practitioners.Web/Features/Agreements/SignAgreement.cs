using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Agreements;

/// <summary>What the signer saw and typed, plus where the request came from.</summary>
public sealed record SignatureEvidence(int Version, string Language, string TextHash, string TypedName, string? IpAddress, string? UserAgent);

public sealed record GuardianDetails(string Name, string Relation, string Email);

public enum SignOutcome
{
    Signed,
    NotFound,
    NotDue,
    StaleVersion,
    NameMismatch,
    GuardianRequired,
}

/// <summary>
/// The holder signs the agreement for one admission. The signature is refused, with nothing recorded, when the
/// text changed while the page was open, the typed name does not match the profile, or a guardian is needed but missing.
/// </summary>
public sealed class SignAgreement(
    AppDbContext db,
    AgreementStanding standing,
    AdvanceAdmissions advance,
    GuardianInvitations invitations,
    AuditLog audit,
    TimeProvider clock)
{
    public async Task<SignOutcome> RunAsync(string userId, int admissionId, SignatureEvidence evidence, GuardianDetails? guardian, CancellationToken ct)
    {
        var admission = await db.Admissions.AsNoTracking()
            .Where(a => a.Id == admissionId && a.UserId == userId)
            .Select(a => new { a.Id, a.Track, a.State, a.User.FullName })
            .SingleOrDefaultAsync(ct);
        if (admission is null || admission.State == AdmissionState.Withdrawn)
        {
            return SignOutcome.NotFound;
        }
        var current = await standing.ForAdmissionAsync(admissionId, admission.Track, ct);
        if (current is null)
        {
            return SignOutcome.NotFound;
        }
        var trainingDone = admission.State is not (AdmissionState.Applied or AdmissionState.InTraining);
        if (!trainingDone || !current.ShouldSign)
        {
            return SignOutcome.NotDue;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var version = await db.AgreementVersions.AsNoTracking()
            .Where(v => v.AgreementId == current.Agreement.Id && v.EffectiveAt <= now)
            .OrderByDescending(v => v.Version).FirstAsync(ct);
        var language = Cultures.IsSupported(evidence.Language) ? evidence.Language : Cultures.Default;
        if (evidence.Version != version.Version || evidence.TextHash != AgreementRules.Hash(version.Text(language)))
        {
            return SignOutcome.StaleVersion;
        }
        if (!AgreementRules.NamesMatch(evidence.TypedName, admission.FullName))
        {
            return SignOutcome.NameMismatch;
        }
        var needsGuardian = await NeedsGuardianAsync(userId, current.Agreement, now, ct);
        if (needsGuardian && guardian is null)
        {
            return SignOutcome.GuardianRequired;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var signature = new Signature
        {
            AgreementId = version.AgreementId,
            Version = version.Version,
            Role = SignatureRole.Holder,
            UserId = userId,
            AdmissionId = admissionId,
            Language = language,
            TextHash = evidence.TextHash,
            TypedName = evidence.TypedName.Trim(),
            NeedsCountersignature = current.Agreement.Countersignature,
            NeedsGuardian = needsGuardian,
            SignedAt = now,
            IpAddress = evidence.IpAddress,
            UserAgent = Truncate(evidence.UserAgent, 512),
        };
        db.Signatures.Add(signature);
        await db.SaveChangesAsync(ct);
        audit.Record("agreement.signed", "Signature", signature.Id.ToString(), userId,
            new { signature.AgreementId, signature.Version, admissionId, needsGuardian, signature.NeedsCountersignature });
        if (needsGuardian)
        {
            await invitations.InviteAsync(signature, guardian!, language, ct);
        }
        await db.SaveChangesAsync(ct);
        await advance.RunAsync(userId, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return SignOutcome.Signed;
    }

    /// <summary>A volunteer younger than the agreement's age limit on the day they sign needs a guardian's co-signature.</summary>
    public async Task<bool> NeedsGuardianAsync(string userId, Agreement agreement, DateTime now, CancellationToken ct)
    {
        if (agreement.GuardianConsentUnderAge is not { } limit)
        {
            return false;
        }
        var birth = await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == userId).Select(p => (DateOnly?)p.DateOfBirth).SingleOrDefaultAsync(ct);
        return birth is { } dob && new VolunteerProfile { DateOfBirth = dob }.AgeOn(DateOnly.FromDateTime(now)) < limit;
    }

    internal static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

/// <summary>Creates and redeems the guardian's single-use link; the token is random and only its hash is stored.</summary>
public sealed class GuardianInvitations(AppDbContext db, GuardianEmails emails, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public async Task InviteAsync(Signature holder, GuardianDetails guardian, string language, CancellationToken ct)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        db.GuardianInvitations.Add(new GuardianInvitation
        {
            Id = Guid.NewGuid(),
            SignatureId = holder.Id,
            GuardianName = guardian.Name.Trim(),
            Relation = guardian.Relation.Trim(),
            Email = guardian.Email.Trim(),
            TokenHash = AgreementRules.Hash(token),
            Language = language,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
        await emails.SendInvitationAsync(holder, guardian, language, token, ct);
    }

    public Task<GuardianInvitation?> FindAsync(string token, CancellationToken ct)
    {
        var hash = AgreementRules.Hash(token);
        return db.GuardianInvitations.SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
    }
}
