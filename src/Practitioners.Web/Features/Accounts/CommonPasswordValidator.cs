using System.Collections.Frozen;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Accounts;

/// <summary>
/// Refuses passwords from the lists attackers try first (embedded Resources/common-passwords.txt),
/// passwords made of the person's email name, and passwords longer than 128 characters.
/// </summary>
public sealed class CommonPasswordValidator(IStringLocalizer<SharedResource> l) : IPasswordValidator<ApplicationUser>
{
    public const int MaxLength = 128;

    private static readonly Lazy<FrozenSet<string>> Common = new(() =>
    {
        using var stream = typeof(CommonPasswordValidator).Assembly
            .GetManifestResourceStream("Practitioners.Web.Resources.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                set.Add(line.Trim());
            }
        }
        return set.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    });

    public static bool IsCommon(string password) => Common.Value.Contains(password);

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (password is null)
        {
            return Task.FromResult(IdentityResult.Success);
        }
        if (password.Length > MaxLength)
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = l["Identity.PasswordTooLong", MaxLength] }));
        }
        var local = user.Email?.Split('@')[0];
        if (IsCommon(password) || (!string.IsNullOrEmpty(local) && password.Contains(local, StringComparison.OrdinalIgnoreCase) && password.Length - local.Length < 4))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "PasswordTooCommon", Description = l["Identity.PasswordTooCommon"] }));
        }
        return Task.FromResult(IdentityResult.Success);
    }
}
