using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Accounts;

[Route("account")]
public sealed class AccountController(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    AccountEmails emails,
    TimeProvider clock,
    Audit.AuditLog audit,
    Data.AppDbContext db,
    IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("register")]
    public async Task<IActionResult> Register(string? invite, [FromServices] Manage.InviteVolunteers invitations, CancellationToken ct)
    {
        var invitation = await invitations.FindOpenAsync(invite, ct);
        return View(invitation is null ? new RegisterInput()
            : new RegisterInput { FullName = invitation.FullName, Email = invitation.Email, Invite = invite });
    }

    [HttpPost("register")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    public async Task<IActionResult> Register(RegisterInput input, [FromServices] Manage.InviteVolunteers invitations, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(input);
        }
        var user = new ApplicationUser
        {
            UserName = input.Email.Trim(),
            Email = input.Email.Trim(),
            FullName = input.FullName.Trim(),
            PhoneNumber = string.IsNullOrWhiteSpace(input.PhoneNumber) ? null : input.PhoneNumber.Trim(),
            PreferredCulture = Cultures.Current,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        // CreateAsync validates the email, the password and uniqueness before it writes anything.
        var result = await users.CreateAsync(user, input.Password);
        if (!result.Succeeded)
        {
            AddErrors(result);
            return View(input);
        }
        // Following an invitation that was emailed to this very address proves the address: no confirmation needed.
        var invitation = await invitations.FindOpenAsync(input.Invite, ct);
        if (invitation is not null)
        {
            invitation.AcceptedByUserId = user.Id;
            invitation.AcceptedAt = clock.GetUtcNow().UtcDateTime;
            if (string.Equals(invitation.Email, user.Email, StringComparison.OrdinalIgnoreCase))
            {
                user.EmailConfirmed = true;
            }
            await users.UpdateAsync(user);
        }
        if (!user.EmailConfirmed)
        {
            await SendConfirmationAsync(user, ct);
        }
        await signIn.SignInAsync(user, isPersistent: false);
        return invitation is null
            ? RedirectToAction(nameof(RegisterDone))
            : LocalRedirect($"/tracks/volunteer?community={invitation.CommunityId}");
    }

    [HttpGet("register/done")]
    [Authorize]
    public IActionResult RegisterDone() => View();

    [HttpGet("confirm")]
    public async Task<IActionResult> ConfirmEmail(string? userId, string? code)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || code is null || DecodeToken(code) is not { } token)
        {
            return View(false);
        }
        var result = await users.ConfirmEmailAsync(user, token);
        return View(result.Succeeded);
    }

    [HttpPost("confirm/resend")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    [Authorize]
    public async Task<IActionResult> ResendConfirmation(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is not null && !user.EmailConfirmed)
        {
            await SendConfirmationAsync(user, ct);
        }
        return RedirectToAction(nameof(RegisterDone));
    }

    [HttpGet("sign-in")]
    [TwoFactor.AllowWithoutTwoFactor]
    public async Task<IActionResult> SignIn(string? returnUrl,
        [FromServices] OpenIddict.Abstractions.IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        await AllowPartnerRedirectAsync(Response, returnUrl, applications, ct);
        return View(new SignInInput { ReturnUrl = returnUrl });
    }

    /// <summary>
    /// Signing in on the way to a partner application (returnUrl is our authorization endpoint) ends in a redirect to the
    /// partner's registered callback. Only for a registered client and redirect URI does the page allow that origin.
    /// </summary>
    internal static async Task AllowPartnerRedirectAsync(HttpResponse response, string? returnUrl,
        OpenIddict.Abstractions.IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        if (returnUrl is null || !returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal))
        {
            return;
        }
        var query = QueryHelpers.ParseQuery(returnUrl[returnUrl.IndexOf('?', StringComparison.Ordinal)..]);
        if (!query.TryGetValue("client_id", out var clientId) || !query.TryGetValue("redirect_uri", out var redirect)
            || !Uri.TryCreate(redirect.ToString(), UriKind.Absolute, out var target)
            || await applications.FindByClientIdAsync(clientId.ToString(), ct) is not { } application
            || !await applications.ValidateRedirectUriAsync(application, redirect.ToString(), ct))
        {
            return;
        }
        response.Headers.ContentSecurityPolicy = Infrastructure.Web.WebUiSetup.ContentSecurityPolicyAllowingFormsTo(target);
    }

    [HttpPost("sign-in")]
    [TwoFactor.AllowWithoutTwoFactor]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    public async Task<IActionResult> SignIn(SignInInput input,
        [FromServices] OpenIddict.Abstractions.IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        await AllowPartnerRedirectAsync(Response, input.ReturnUrl, applications, ct);
        if (!ModelState.IsValid)
        {
            return View(input);
        }
        var result = await signIn.PasswordSignInAsync(input.Email.Trim(), input.Password, input.RememberMe, lockoutOnFailure: true);
        // Every sign-in attempt is audited, with the address it came from (the email is kept for failures too).
        var account = await users.FindByEmailAsync(input.Email.Trim());
        // A disabled account is refused before its password is checked; only with the right password does the page say
        // it is disabled, so the form tells a stranger nothing about whose account exists or is disabled.
        var disabled = result.IsNotAllowed && account?.DisabledAt is not null && await users.CheckPasswordAsync(account, input.Password);
        audit.Record(result.Succeeded ? "account.signin.succeeded" : result.IsLockedOut ? "account.signin.locked"
            : result.RequiresTwoFactor ? "account.signin.password-verified" : disabled ? "account.signin.disabled" : "account.signin.failed",
            "Account", account?.Id ?? "unknown", account?.Id, result.Succeeded || result.RequiresTwoFactor ? null : new { email = input.Email.Trim() });
        await db.SaveChangesAsync();
        if (result.RequiresTwoFactor)
        {
            // The password was right; the second step (authenticator code) completes the sign-in.
            return LocalRedirect($"/account/sign-in/two-factor?returnUrl={Uri.EscapeDataString(input.ReturnUrl ?? "")}&rememberMe={input.RememberMe}");
        }
        if (result.IsLockedOut)
        {
            return RedirectToAction(nameof(Lockout));
        }
        if (disabled)
        {
            ModelState.AddModelError("", l["Account.SignIn.Disabled"]);
            return View(input);
        }
        if (!result.Succeeded)
        {
            // One message whether the email exists or not, so the form does not reveal who has an account.
            ModelState.AddModelError("", l["Account.SignIn.Failed"]);
            return View(input);
        }
        var user = await users.FindByEmailAsync(input.Email.Trim());
        if (user is not null)
        {
            RememberCulture(user.PreferredCulture);
        }
        return LocalRedirect(Url.IsLocalUrl(input.ReturnUrl) ? input.ReturnUrl : "/me");
    }

    [HttpPost("sign-out")]
    [TwoFactor.AllowWithoutTwoFactor]
    public async Task<IActionResult> SignOutNow()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }

    [HttpGet("lockout")]
    [TwoFactor.AllowWithoutTwoFactor]
    public IActionResult Lockout() => View();

    [HttpGet("denied")]
    [TwoFactor.AllowWithoutTwoFactor]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    [HttpGet("forgot-password")]
    public IActionResult ForgotPassword() => View(new EmailInput());

    [HttpPost("forgot-password")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    public async Task<IActionResult> ForgotPassword(EmailInput input, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return View(input);
        }
        var user = await users.FindByEmailAsync(input.Email.Trim());
        if (user is not null)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = AbsoluteLink(nameof(ResetPassword), new { userId = user.Id, code = EncodeToken(token) });
            await emails.SendPasswordResetAsync(user, link, ct);
        }
        // The same answer whether or not the address is registered.
        return View("ForgotPasswordDone");
    }

    [HttpGet("reset-password")]
    public IActionResult ResetPassword(string? userId, string? code) =>
        userId is null || code is null
            ? View("ResetPasswordInvalid")
            : View(new ResetPasswordInput { UserId = userId, Code = code });

    [HttpPost("reset-password")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    public async Task<IActionResult> ResetPassword(ResetPasswordInput input)
    {
        if (!ModelState.IsValid)
        {
            return View(input);
        }
        var user = await users.FindByIdAsync(input.UserId);
        if (user is null || DecodeToken(input.Code) is not { } token)
        {
            return View("ResetPasswordInvalid");
        }
        var result = await users.ResetPasswordAsync(user, token, input.Password);
        if (!result.Succeeded)
        {
            AddErrors(result);
            return View(input);
        }
        await users.SetLockoutEndDateAsync(user, null);
        return View("ResetPasswordDone");
    }

    [HttpGet("change-password")]
    [Authorize]
    public IActionResult ChangePassword() => View(new ChangePasswordInput());

    [HttpPost("change-password")]
    [Authorize]
    public async Task<IActionResult> ChangePassword(ChangePasswordInput input)
    {
        if (!ModelState.IsValid)
        {
            return View(input);
        }
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var result = await users.ChangePasswordAsync(user, input.CurrentPassword, input.Password);
        if (!result.Succeeded)
        {
            AddErrors(result);
            return View(input);
        }
        // The security stamp changed: refresh this session, other sessions end at their next check.
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = l["Account.ChangePassword.Done"].Value;
        return RedirectToAction(nameof(Profile));
    }

    [HttpGet("profile")]
    [Authorize]
    public async Task<IActionResult> Profile()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var input = new ProfileInput { FullName = user.FullName, PhoneNumber = user.PhoneNumber, PreferredCulture = user.PreferredCulture };
        return View(new ProfileViewModel(input, user.Email!, user.EmailConfirmed, TempData["Flash"] is not null));
    }

    [HttpPost("profile")]
    [Authorize]
    public async Task<IActionResult> Profile([Bind(Prefix = "Input")] ProfileInput input)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid)
        {
            return View(new ProfileViewModel(input, user.Email!, user.EmailConfirmed, false));
        }
        user.FullName = input.FullName.Trim();
        user.PhoneNumber = string.IsNullOrWhiteSpace(input.PhoneNumber) ? null : input.PhoneNumber.Trim();
        user.PreferredCulture = input.PreferredCulture;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            AddErrors(result);
            return View(new ProfileViewModel(input, user.Email!, user.EmailConfirmed, false));
        }
        RememberCulture(user.PreferredCulture);
        TempData["Flash"] = "saved";
        return RedirectToAction(nameof(Profile));
    }

    private async Task SendConfirmationAsync(ApplicationUser user, CancellationToken ct)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = AbsoluteLink(nameof(ConfirmEmail), new { userId = user.Id, code = EncodeToken(token) });
        await emails.SendConfirmationAsync(user, link, ct);
    }

    private string AbsoluteLink(string action, object values) =>
        Url.Action(action, "Account", values, Request.Scheme, Request.Host.Value)!;

    private void RememberCulture(string culture) => RememberCulture(Response, culture, clock);

    internal static void RememberCulture(HttpResponse response, string culture, TimeProvider clock) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, LocalizationSetup.CookieValue(culture),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });

    private static string EncodeToken(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private static string? DecodeToken(string code)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private void AddErrors(IdentityResult result)
    {
        // The email is also the user name: show one duplicate message, not two.
        foreach (var error in result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.DuplicateUserName)))
        {
            var field = error.Code switch
            {
                nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.InvalidEmail) => "Email",
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) && error.Code != nameof(IdentityErrorDescriber.PasswordMismatch) => "Password",
                nameof(IdentityErrorDescriber.PasswordMismatch) => "CurrentPassword",
                _ => "",
            };
            ModelState.AddModelError(field, error.Description);
        }
    }
}
