using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Accounts;

/// <summary>Identity's errors in the person's language.</summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    private IdentityError E(string code, string key, params object[] args) =>
        new() { Code = code, Description = args.Length == 0 ? l[key] : l[key, args] };

    public override IdentityError DefaultError() => E(nameof(DefaultError), "Identity.DefaultError");
    public override IdentityError ConcurrencyFailure() => E(nameof(ConcurrencyFailure), "Identity.ConcurrencyFailure");
    public override IdentityError PasswordMismatch() => E(nameof(PasswordMismatch), "Identity.PasswordMismatch");
    public override IdentityError InvalidToken() => E(nameof(InvalidToken), "Identity.InvalidToken");
    public override IdentityError LoginAlreadyAssociated() => E(nameof(LoginAlreadyAssociated), "Identity.DefaultError");
    public override IdentityError InvalidUserName(string? userName) => E(nameof(InvalidUserName), "Identity.InvalidEmail", userName ?? "");
    public override IdentityError InvalidEmail(string? email) => E(nameof(InvalidEmail), "Identity.InvalidEmail", email ?? "");
    public override IdentityError DuplicateUserName(string userName) => E(nameof(DuplicateUserName), "Identity.DuplicateEmail", userName);
    public override IdentityError DuplicateEmail(string email) => E(nameof(DuplicateEmail), "Identity.DuplicateEmail", email);
    public override IdentityError InvalidRoleName(string? role) => E(nameof(InvalidRoleName), "Identity.DefaultError");
    public override IdentityError DuplicateRoleName(string role) => E(nameof(DuplicateRoleName), "Identity.DefaultError");
    public override IdentityError UserAlreadyHasPassword() => E(nameof(UserAlreadyHasPassword), "Identity.DefaultError");
    public override IdentityError UserLockoutNotEnabled() => E(nameof(UserLockoutNotEnabled), "Identity.DefaultError");
    public override IdentityError UserAlreadyInRole(string role) => E(nameof(UserAlreadyInRole), "Identity.DefaultError");
    public override IdentityError UserNotInRole(string role) => E(nameof(UserNotInRole), "Identity.DefaultError");
    public override IdentityError PasswordTooShort(int length) => E(nameof(PasswordTooShort), "Identity.PasswordTooShort", length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => E(nameof(PasswordRequiresUniqueChars), "Identity.PasswordRequiresUniqueChars", uniqueChars);
    public override IdentityError PasswordRequiresNonAlphanumeric() => E(nameof(PasswordRequiresNonAlphanumeric), "Identity.PasswordTooWeak");
    public override IdentityError PasswordRequiresDigit() => E(nameof(PasswordRequiresDigit), "Identity.PasswordTooWeak");
    public override IdentityError PasswordRequiresLower() => E(nameof(PasswordRequiresLower), "Identity.PasswordTooWeak");
    public override IdentityError PasswordRequiresUpper() => E(nameof(PasswordRequiresUpper), "Identity.PasswordTooWeak");
    public override IdentityError RecoveryCodeRedemptionFailed() => E(nameof(RecoveryCodeRedemptionFailed), "Identity.InvalidToken");
}
