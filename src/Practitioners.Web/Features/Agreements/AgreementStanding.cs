using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Agreements;

public sealed record AdmissionAgreement(
    Agreement Agreement,
    AgreementStatus Status,
    Signature? Pending,
    bool AwaitingCountersignature,
    bool AwaitingGuardian,
    string? DeclineReason)
{
    /// <summary>The signature requirement is met (a new signature may be due, but the grace period still runs).</summary>
    public bool Complete => Status.State is AgreementState.Valid or AgreementState.ResignDue;

    /// <summary>The person should sign now: never signed, a new signature is due, or the last one was declined.</summary>
    public bool ShouldSign => Pending is null && Status.State is not AgreementState.Valid;
}

/// <summary>Where an admission stands with its agreement: signed, waiting for a guardian or a manager, or due again.</summary>
public sealed class AgreementStanding(AppDbContext db, TimeProvider clock)
{
    public async Task<Agreement?> ForTrackAsync(RoleTrack track, CancellationToken ct)
    {
        var name = track.ToString();
        var candidates = await db.Agreements.AsNoTracking().Where(a => !a.Template && a.Roles.Contains(name)).ToListAsync(ct);
        return candidates.FirstOrDefault(a => a.AppliesTo(track));
    }

    public async Task<IReadOnlyList<VersionInfo>> VersionsAsync(string agreementId, CancellationToken ct) =>
        await db.AgreementVersions.AsNoTracking().Where(v => v.AgreementId == agreementId).OrderBy(v => v.Version)
            .Select(v => new VersionInfo(v.Version, v.EffectiveAt, v.Material)).ToListAsync(ct);

    public async Task<AdmissionAgreement?> ForAdmissionAsync(int admissionId, RoleTrack track, CancellationToken ct)
    {
        var agreement = await ForTrackAsync(track, ct);
        if (agreement is null)
        {
            return null;
        }
        var versions = await VersionsAsync(agreement.Id, ct);
        var holders = await db.Signatures.AsNoTracking()
            .Where(s => s.AdmissionId == admissionId && s.Role == SignatureRole.Holder && s.AgreementId == agreement.Id)
            .OrderByDescending(s => s.SignedAt).ThenByDescending(s => s.Id)
            .ToListAsync(ct);
        var ids = holders.Select(h => h.Id).ToList();
        var related = await db.Signatures.AsNoTracking()
            .Where(s => s.ForSignatureId != null && ids.Contains(s.ForSignatureId.Value))
            .ToListAsync(ct);

        Signature? pending = null;
        string? declined = null;
        (int, DateTime)? lastComplete = null;
        foreach (var holder in holders)
        {
            var mine = related.Where(r => r.ForSignatureId == holder.Id).ToList();
            var decline = mine.FirstOrDefault(r => r.Role == SignatureRole.Countersigner && r.Declined);
            var countersigned = mine.Any(r => r.Role == SignatureRole.Countersigner && !r.Declined);
            var guardian = mine.Any(r => r.Role == SignatureRole.Guardian);
            if (decline is not null)
            {
                declined ??= pending is null && lastComplete is null ? decline.DeclineReason : null;
                continue;
            }
            if ((!holder.NeedsCountersignature || countersigned) && (!holder.NeedsGuardian || guardian))
            {
                lastComplete = (holder.Version, holder.SignedAt);
                break;
            }
            pending ??= holder;
        }
        var status = AgreementRules.Status(versions, agreement.ReacceptanceMonths, lastComplete, AgreementRules.DefaultGrace, clock.GetUtcNow().UtcDateTime);
        if (pending is not null && lastComplete is not null && status.State == AgreementState.Valid)
        {
            pending = null;
        }
        var awaitingCountersign = pending is { NeedsCountersignature: true } && !related.Any(r => r.ForSignatureId == pending.Id && r.Role == SignatureRole.Countersigner);
        var awaitingGuardian = pending is { NeedsGuardian: true } && !related.Any(r => r.ForSignatureId == pending.Id && r.Role == SignatureRole.Guardian);
        return new AdmissionAgreement(agreement, status, pending, awaitingCountersign, awaitingGuardian, pending is null ? declined : null);
    }
}
