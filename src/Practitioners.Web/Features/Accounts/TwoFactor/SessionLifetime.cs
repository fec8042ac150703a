using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Practitioners.Web.Features.Accounts.TwoFactor;

/// <summary>
/// Checks every request's session. The person's security stamp and status are read on every request (one lookup by
/// primary key), so a disabled account, "sign out everywhere", a password or two-factor change end the other sessions
/// at their very next request rather than at Identity's periodic check (which still runs every 5 minutes to refresh
/// roles). The absolute lifetime: the moment of sign-in is kept in the cookie's properties (sliding renewal keeps it),
/// and a cookie older than Security:AbsoluteTimeout is refused.
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
        var services = context.HttpContext.RequestServices;
        if (!await StampStillValidAsync(context.Principal, services))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is null)
        {
            return;
        }
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

    /// <summary>The session's stamp is the account's current one and the account is not disabled.</summary>
    private static async Task<bool> StampStillValidAsync(System.Security.Claims.ClaimsPrincipal? principal, IServiceProvider services)
    {
        var claims = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var id = principal?.FindFirst(claims.UserIdClaimType)?.Value;
        if (id is null)
        {
            return false;
        }
        var stamp = principal!.FindFirst(claims.SecurityStampClaimType)?.Value;
        var current = await CurrentStamp(services.GetRequiredService<Data.AppDbContext>(), id);
        return current is not null && current.DisabledAt is null && current.SecurityStamp == stamp;
    }

    private sealed record Stamp(string? SecurityStamp, DateTime? DisabledAt);

    // Every signed-in request runs it: compiled, no tracking.
    private static readonly Func<Data.AppDbContext, string, Task<Stamp?>> CurrentStamp = EF.CompileAsyncQuery(
        (Data.AppDbContext db, string id) => db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new Stamp(u.SecurityStamp, u.DisabledAt)).SingleOrDefault());
}
