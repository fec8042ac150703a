using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Practitioners.Web.Features.Accounts.TwoFactor;

/// <summary>
/// The absolute lifetime of a session: the moment of sign-in is kept in the cookie's properties (sliding renewal keeps
/// it), and a cookie older than Security:AbsoluteTimeout is refused, after the security stamp check has run.
/// </summary>
internal static class SessionLifetime
{
    private const string SignedInAt = "pr.signed-in-at";

    public static Task StampSignInTimeAsync(CookieSigningInContext context)
    {
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        context.Properties.Items[SignedInAt] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is null)
        {
            return;
        }
        var services = context.HttpContext.RequestServices;
        var limit = services.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.AbsoluteTimeout;
        // The cookie's own clock: the site's clock, except in Development where moving the demo clock keeps sessions on real time.
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (!context.Properties.Items.TryGetValue(SignedInAt, out var value) || !long.TryParse(value, out var seconds)
            || now - DateTimeOffset.FromUnixTimeSeconds(seconds) > limit)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
