using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Accounts.People;

public enum DisableOutcome
{
    Done,
    NotFound,
    ReasonRequired,
    Self,
    LastAdmin,
    AlreadyDisabled,
    NotDisabled,
    Erased,
}

/// <summary>
/// An admin disables or re-enables a person's account. Disabled is a status, not a deletion: the account keeps its data,
/// admissions and certificates (suspending a credential is the certificate's own action). Disabling, in one transaction:
/// the account may no longer sign in (<see cref="SiteSignInManager"/>), its new security stamp ends every session at its
/// next request (<see cref="TwoFactor.SessionLifetime"/>), the partner applications' tokens and authorizations for the
/// person are revoked, and the audit log records who, why and when. Re-enabling is audited too and brings no old
/// session back (the stamp changes again). An admin cannot disable themself or the last admin who can still sign in;
/// an erased account (PIPL) stays erased.
/// </summary>
public sealed class DisablePerson(
    AppDbContext db,
    AuditLog audit,
    TimeProvider clock,
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations)
{
    public const int ReasonMaxLength = 500;

    public async Task<DisableOutcome> DisableAsync(string userId, string? reason, string adminId, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return DisableOutcome.ReasonRequired;
        }
        if (reason.Length > ReasonMaxLength)
        {
            reason = reason[..ReasonMaxLength];
        }
        if (userId == adminId)
        {
            return DisableOutcome.Self;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return DisableOutcome.NotFound;
        }
        if (user.PersonalDataRemovedAt is not null)
        {
            return DisableOutcome.Erased;
        }
        if (user.DisabledAt is not null)
        {
            return DisableOutcome.AlreadyDisabled;
        }
        if (await IsAdminAsync(userId, ct) && !await OtherActiveAdminExistsAsync(userId, ct))
        {
            return DisableOutcome.LastAdmin;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        user.DisabledAt = now;
        user.DisabledReason = reason;
        NewStamps(user);
        await db.SaveChangesAsync(ct);
        // Partner web apps signed the person in through this site: their tokens stop working at once (the API checks
        // each token's entry) and no refresh or code from an earlier consent can be redeemed.
        var revokedTokens = await tokens.RevokeBySubjectAsync(userId, ct);
        var revokedAuthorizations = await authorizations.RevokeBySubjectAsync(userId, ct);
        audit.Record("account.disabled", "Account", userId, adminId,
            new { reason, tokensRevoked = revokedTokens, authorizationsRevoked = revokedAuthorizations });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DisableOutcome.Done;
    }

    public async Task<DisableOutcome> EnableAsync(string userId, string adminId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return DisableOutcome.NotFound;
        }
        if (user.PersonalDataRemovedAt is not null)
        {
            return DisableOutcome.Erased;
        }
        if (user.DisabledAt is null)
        {
            return DisableOutcome.NotDisabled;
        }
        var was = new { disabledAt = user.DisabledAt, reason = user.DisabledReason };
        user.DisabledAt = null;
        user.DisabledReason = null;
        // Another new stamp: nothing signed in before the account was disabled comes back.
        NewStamps(user);
        audit.Record("account.enabled", "Account", userId, adminId, was);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DisableOutcome.Done;
    }

    private static void NewStamps(ApplicationUser user)
    {
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }

    private Task<bool> IsAdminAsync(string userId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin), ct);

    private Task<bool> OtherActiveAdminExistsAsync(string userId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => ur.UserId != userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin)
            && db.Users.Any(u => u.Id == ur.UserId && u.DisabledAt == null && u.PersonalDataRemovedAt == null), ct);
}
