using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace Practitioners.Web.Features.Accounts.TwoFactor;

public sealed class SecurityOptions
{
    /// <summary>Managers and admins must sign in with an authenticator app; until they enrol they can reach nothing else.</summary>
    public bool RequireTwoFactorForStaff { get; set; } = true;

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Where to report a security problem (a mailto: or https: URI), published in /.well-known/security.txt.</summary>
    public string Contact { get; set; } = "";
}

/// <summary>Marks an action a staff member may reach before completing two-factor sign-in (sign-out, the 2FA pages, errors).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowWithoutTwoFactorAttribute : Attribute;

/// <summary>
/// The rule "staff sign in with two factors": a signed-in manager or admin whose session was not established with a
/// second factor (claim amr=mfa) is sent to the two-factor page, whatever they asked for.
/// </summary>
public sealed class StaffTwoFactorFilter(IOptionsMonitor<SecurityOptions> options) : IAsyncAuthorizationFilter
{
    public static readonly string[] StaffRoles = [Roles.CommunityManager, Roles.Admin, Roles.TrainingAdmin];

    public static bool IsStaff(ClaimsPrincipal user) => StaffRoles.Any(user.IsInRole);

    public static bool SignedInWithSecondFactor(ClaimsPrincipal user) => user.HasClaim("amr", "mfa");

    public Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var user = context.HttpContext.User;
        if (options.CurrentValue.RequireTwoFactorForStaff && user.Identity?.IsAuthenticated == true && IsStaff(user)
            && !SignedInWithSecondFactor(user)
            && context.ActionDescriptor.EndpointMetadata.OfType<AllowWithoutTwoFactorAttribute>().FirstOrDefault() is null)
        {
            context.Result = new Microsoft.AspNetCore.Mvc.RedirectResult(TwoFactorController.EnrolPath);
        }
        return Task.CompletedTask;
    }
}
