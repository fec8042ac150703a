using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Studies;
using Practitioners.Web.Infrastructure.Email;

namespace Practitioners.Web.Features.Privacy;

public enum DeletionOutcome
{
    Done,
    WrongPassword,
    AlreadyPending,
    NotFound,
    AlreadyDecided,
    ReasonRequired,
}

/// <summary>A person asks for their personal data to be erased, confirming with their password. One pending request at a time.</summary>
public sealed class RequestDeletion(AppDbContext db, SignInManager<ApplicationUser> signIn, AuditLog audit, TimeProvider clock)
{
    public async Task<DeletionOutcome> RunAsync(ApplicationUser user, string password, CancellationToken ct)
    {
        // Wrong passwords count towards the lockout, as at sign-in.
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            audit.Record("privacy.deletion.password-failed", "Account", user.Id, user.Id);
            await db.SaveChangesAsync(ct);
            return DeletionOutcome.WrongPassword;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.DeletionRequests.AnyAsync(r => r.UserId == user.Id && r.State == DeletionRequestState.Pending, ct))
        {
            return DeletionOutcome.AlreadyPending;
        }
        var request = DeletionRequest.Ask(user.Id, clock.GetUtcNow().UtcDateTime);
        db.DeletionRequests.Add(request);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another post won the race (PostgreSQL's read-committed lets both pass the check): the unique index refused this one.
            db.Entry(request).State = EntityState.Detached;
            return DeletionOutcome.AlreadyPending;
        }
        audit.Record("privacy.deletion.requested", "DeletionRequest", request.Id.ToString(), user.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DeletionOutcome.Done;
    }
}

/// <summary>
/// An admin decides a deletion request. Approval erases the person's personal data in one transaction: the account is
/// anonymised and locked for good (its security stamp changes, so every session ends at its next check), role profiles
/// are emptied, every certificate is revoked through the ordinary revocation (history, counters and audit stay right)
/// so that verification says "holder record removed" and never "valid", open admissions are withdrawn, study
/// enrolments ended, future activity sign-ups cancelled and notifications deleted. Evidence that is append-only by
/// design (signatures, training completions, admission and certificate history, the audit log) is kept.
/// </summary>
public sealed class DecideDeletion(AppDbContext db, ChangeCertificateStatus certificates, AuditLog audit, TimeProvider clock,
    OpenIddict.Abstractions.IOpenIddictTokenManager tokens, OpenIddict.Abstractions.IOpenIddictAuthorizationManager authorizations)
{
    /// <summary>The reason recorded on every revoked certificate, withdrawn admission and ended enrolment.</summary>
    public const string Reason = "holder record removed (personal data erased at the holder's request)";

    /// <summary>The full name an erased account keeps: the same for everyone, so it identifies no one.</summary>
    public const string RemovedName = "[removed]";

    public static string RemovedEmail(string userId) => $"deleted-{userId}@deleted.invalid";

    /// <summary>"For good": a fixed far date rather than MaxValue, which PostgreSQL would store as infinity or round.</summary>
    public static readonly DateTimeOffset LockedUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<DeletionOutcome> ApproveAsync(int requestId, string adminId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = await db.DeletionRequests.SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
        {
            return DeletionOutcome.NotFound;
        }
        if (request.State != DeletionRequestState.Pending)
        {
            return DeletionOutcome.AlreadyDecided;
        }
        var userId = request.UserId;
        request.Approve(adminId, now);

        var revoked = 0;
        foreach (var certificate in await db.Certificates.Where(c => c.UserId == userId && c.RevokedAt == null).ToListAsync(ct))
        {
            revoked += await certificates.ApplyAsync(certificate, CertificateAction.Revoke, Reason, adminId, now, ct) ? 1 : 0;
        }
        // Revocation withdrew the certified admissions in memory; the rest are withdrawn here.
        var withdrawn = 0;
        foreach (var admission in (await db.Admissions.Where(a => a.UserId == userId).ToListAsync(ct)).Where(a => a.State != AdmissionState.Withdrawn))
        {
            var from = admission.State;
            admission.MoveTo(AdmissionState.Withdrawn, adminId, now, Reason);
            audit.Record("admission.state", "Admission", admission.Id.ToString(), adminId, new { from, to = AdmissionState.Withdrawn, reason = Reason });
            withdrawn++;
        }
        var ended = 0;
        foreach (var enrolment in await db.Enrolments.Where(e => e.UserId == userId && Enrolment.Open.Contains(e.State)).ToListAsync(ct))
        {
            enrolment.End(Reason, adminId, now);
            audit.Record("enrolment.ended", "Enrolment", enrolment.Id.ToString(), adminId, new { study = enrolment.StudyId, reason = Reason });
            ended++;
        }
        foreach (var signUp in await db.SignUps.Where(s => s.UserId == userId && s.CancelledAt == null && s.CheckedInAt == null && s.Activity.StartsAt > now).ToListAsync(ct))
        {
            signUp.CancelledAt = now;
        }

        if (await db.VolunteerProfiles.SingleOrDefaultAsync(p => p.UserId == userId, ct) is { } volunteer)
        {
            volunteer.School = "";
            volunteer.StudentNumber = "";
            volunteer.Major = "";
            volunteer.ExpectedGraduationYear = 0;
            volunteer.DateOfBirth = DateOnly.MinValue;
            volunteer.UpdatedAt = now;
        }
        if (await db.ProviderProfiles.SingleOrDefaultAsync(p => p.UserId == userId, ct) is { } provider)
        {
            provider.Organisation = "";
            provider.Profession = "";
            provider.LicenceType = "";
            provider.LicenceNumber = "";
            provider.UpdatedAt = now;
        }
        if (await db.ResearcherProfiles.SingleOrDefaultAsync(p => p.UserId == userId, ct) is { } researcher)
        {
            researcher.Institution = "";
            researcher.Position = "";
            researcher.Orcid = null;
            researcher.UpdatedAt = now;
        }

        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        var removed = RemovedEmail(userId);
        // Mail to the person that has not gone out is cancelled and emptied of their address, name and text, in one
        // statement; what was already sent stays as the record of what was sent. A message a sender holds this very
        // moment may still go out once, but it is not marked sent and is never retried.
        var address = user.NormalizedEmail ?? "";
        var mailCancelled = await db.OutboxMessages
            .Where(m => m.To.ToUpper() == address && m.State != OutboxState.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Cancelled)
                .SetProperty(m => m.To, removed).SetProperty(m => m.ToName, RemovedName)
                .SetProperty(m => m.Subject, RemovedName).SetProperty(m => m.Html, "").SetProperty(m => m.Text, "")
                .SetProperty(m => m.LastError, "cancelled: personal data erased").SetProperty(m => m.ClaimToken, (long?)null), ct);
        user.FullName = RemovedName;
        user.UserName = removed;
        user.NormalizedUserName = removed.ToUpperInvariant();
        user.Email = removed;
        user.NormalizedEmail = removed.ToUpperInvariant();
        user.EmailConfirmed = false;
        user.PhoneNumber = null;
        user.PhoneNumberConfirmed = false;
        user.PasswordHash = null;
        user.TwoFactorEnabled = false;
        // A new stamp ends every session at its next check; the lockout never ends.
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        user.LockoutEnabled = true;
        user.LockoutEnd = LockedUntil;
        user.AccessFailedCount = 0;
        user.PersonalDataRemovedAt = now;

        await db.SaveChangesAsync(ct);
        // The authenticator key, recovery codes, external logins and claims go with the account's secrets.
        await db.UserTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(l => l.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserClaims.Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        var notifications = await db.Notifications.Where(n => n.UserId == userId).ExecuteDeleteAsync(ct);
        // Partner applications the person signed in to lose their tokens and consents at once.
        await tokens.RevokeBySubjectAsync(userId, ct);
        await authorizations.RevokeBySubjectAsync(userId, ct);
        audit.Record("privacy.erased", "Account", userId, adminId,
            new { request = requestId, certificatesRevoked = revoked, admissionsWithdrawn = withdrawn, enrolmentsEnded = ended, notifications, mailCancelled });
        audit.Record("privacy.deletion.approved", "DeletionRequest", requestId.ToString(), adminId, new { user = userId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return DeletionOutcome.Done;
    }

    public async Task<DeletionOutcome> RejectAsync(int requestId, string? reason, string adminId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return DeletionOutcome.ReasonRequired;
        }
        var request = await db.DeletionRequests.SingleOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
        {
            return DeletionOutcome.NotFound;
        }
        if (request.State != DeletionRequestState.Pending)
        {
            return DeletionOutcome.AlreadyDecided;
        }
        request.Reject(reason, adminId, clock.GetUtcNow().UtcDateTime);
        audit.Record("privacy.deletion.rejected", "DeletionRequest", requestId.ToString(), adminId, new { user = request.UserId, reason = request.Reason });
        await db.SaveChangesAsync(ct);
        return DeletionOutcome.Done;
    }
}

public static class PrivacySetup
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RequestDeletion>();
        builder.Services.AddScoped<DecideDeletion>();
        return builder;
    }
}
