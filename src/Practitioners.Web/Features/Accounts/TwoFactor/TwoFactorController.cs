using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Practitioners.Web.Infrastructure.Localization;
using QRCoder;

namespace Practitioners.Web.Features.Accounts;

/// <summary>
/// Two-factor authentication with an authenticator app (TOTP) and the person's sessions: enrol (key and QR code),
/// recovery codes, reset, disable, sign out everywhere; and the second step of signing in.
/// </summary>
[Route("account")]
[TwoFactor.AllowWithoutTwoFactor]
public sealed class TwoFactorController(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IOptionsMonitor<TwoFactor.SecurityOptions> options,
    Audit.AuditLog audit,
    Data.AppDbContext db,
    IStringLocalizer<SharedResource> l) : Controller
{
    public const string EnrolPath = "/account/security";
    private const string Issuer = "Practitioners";
    private const int RecoveryCodeCount = 10;

    [HttpGet("security")]
    [Authorize]
    public async Task<IActionResult> Security()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        return View("Security", await ModelAsync(user));
    }

    /// <summary>Creates a new authenticator key (the first, or a replacement): two-factor is off until a code from it is confirmed.</summary>
    [HttpPost("security/key")]
    [Authorize]
    public async Task<IActionResult> NewKey()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        var wasEnabled = user.TwoFactorEnabled;
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await TwoFactor.ClockedAuthenticatorTokenProvider.ForgetUsedStepsAsync(db, user);
        audit.Record(wasEnabled ? "account.2fa.reset" : "account.2fa.key-created", "Account", user.Id, user.Id);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        return Redirect(EnrolPath);
    }

    /// <summary>Confirms a code from the app: turns two-factor on (first time: with recovery codes) and marks this session as two-factor.</summary>
    [HttpPost("security/verify")]
    [Authorize]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    public async Task<IActionResult> Verify(TwoFactorCodeInput input)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        if (!ModelState.IsValid || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, input.Code))
        {
            audit.Record("account.2fa.verify-failed", "Account", user.Id, user.Id);
            await db.SaveChangesAsync();
            ModelState.AddModelError(nameof(input.Code), l["Account.TwoFactor.WrongCode"]);
            return View("Security", await ModelAsync(user));
        }
        IEnumerable<string>? codes = null;
        if (!user.TwoFactorEnabled)
        {
            await users.SetTwoFactorEnabledAsync(user, true);
            codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount);
            audit.Record("account.2fa.enabled", "Account", user.Id, user.Id);
            await db.SaveChangesAsync();
        }
        var persistent = (await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Properties?.IsPersistent ?? false;
        await signIn.SignInWithClaimsAsync(user, persistent, [new Claim("amr", "mfa")]);
        if (codes is null)
        {
            return Redirect(Url.IsLocalUrl(input.ReturnUrl) ? input.ReturnUrl : "/me");
        }
        return View("RecoveryCodes", new RecoveryCodesViewModel(codes.ToList()));
    }

    [HttpPost("security/recovery-codes")]
    [Authorize]
    public async Task<IActionResult> RecoveryCodes()
    {
        var user = await users.GetUserAsync(User);
        if (user is null || !user.TwoFactorEnabled || !TwoFactor.StaffTwoFactorFilter.SignedInWithSecondFactor(User))
        {
            return Redirect(EnrolPath);
        }
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount);
        audit.Record("account.2fa.recovery-codes", "Account", user.Id, user.Id);
        await db.SaveChangesAsync();
        return View("RecoveryCodes", new RecoveryCodesViewModel(codes!.ToList()));
    }

    /// <summary>Turns two-factor off, for people not required to have it; staff can only replace their key.</summary>
    [HttpPost("security/disable")]
    [Authorize]
    public async Task<IActionResult> Disable()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        if (Required(User))
        {
            TempData["Flash"] = l["Account.TwoFactor.RequiredCannotDisable"].Value;
            return Redirect(EnrolPath);
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await TwoFactor.ClockedAuthenticatorTokenProvider.ForgetUsedStepsAsync(db, user);
        audit.Record("account.2fa.disabled", "Account", user.Id, user.Id);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(user);
        TempData["Flash"] = l["Account.TwoFactor.Disabled"].Value;
        return Redirect(EnrolPath);
    }

    /// <summary>Ends every session of this person, on every device, this one included.</summary>
    [HttpPost("security/sign-out-everywhere")]
    [Authorize]
    public async Task<IActionResult> SignOutEverywhere()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }
        await users.UpdateSecurityStampAsync(user);
        audit.Record("account.sessions.revoked", "Account", user.Id, user.Id);
        await db.SaveChangesAsync();
        await signIn.SignOutAsync();
        return Redirect("/account/sign-in");
    }

    [HttpGet("sign-in/two-factor")]
    public async Task<IActionResult> SignInTwoFactor(string? returnUrl, bool rememberMe)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return Redirect("/account/sign-in");
        }
        return View("SignInTwoFactor", new TwoFactorCodeInput { ReturnUrl = returnUrl, RememberMe = rememberMe });
    }

    [HttpPost("sign-in/two-factor")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.WebUiSetup.AccountPolicy)]
    public async Task<IActionResult> SignInTwoFactor(TwoFactorCodeInput input,
        [FromServices] OpenIddict.Abstractions.IOpenIddictApplicationManager applications, CancellationToken ct)
    {
        await AccountController.AllowPartnerRedirectAsync(Response, input.ReturnUrl, applications, ct);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return Redirect("/account/sign-in");
        }
        if (!ModelState.IsValid)
        {
            return View("SignInTwoFactor", input);
        }
        var code = input.Code.Replace(" ", "", StringComparison.Ordinal);
        // Six digits are a code from the app; anything else is tried as a recovery code (each works once).
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, input.RememberMe, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        audit.Record(result.Succeeded ? "account.signin.succeeded" : result.IsLockedOut ? "account.signin.locked"
            : result.IsNotAllowed ? "account.signin.disabled" : "account.signin.2fa-failed",
            "Account", user.Id, user.Id, new { secondFactor = code.Length == 6 ? "authenticator" : "recovery-code" });
        await db.SaveChangesAsync();
        if (result.IsLockedOut)
        {
            return Redirect("/account/lockout");
        }
        if (result.IsNotAllowed)
        {
            // Disabled between the two steps: the password was right, so the same message as the first step.
            ModelState.AddModelError("", l["Account.SignIn.Disabled"]);
            return View("SignInTwoFactor", input);
        }
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(input.Code), l["Account.TwoFactor.WrongCode"]);
            return View("SignInTwoFactor", input);
        }
        AccountController.RememberCulture(Response, user.PreferredCulture, HttpContext.RequestServices.GetRequiredService<TimeProvider>());
        return LocalRedirect(Url.IsLocalUrl(input.ReturnUrl) ? input.ReturnUrl : "/me");
    }

    private bool Required(ClaimsPrincipal user) => options.CurrentValue.RequireTwoFactorForStaff && TwoFactor.StaffTwoFactorFilter.IsStaff(user);

    private async Task<SecurityViewModel> ModelAsync(ApplicationUser user)
    {
        string? key = null, qr = null;
        if (!user.TwoFactorEnabled && await users.GetAuthenticatorKeyAsync(user) is { Length: > 0 } raw)
        {
            // Shown only while enrolling: once confirmed, the key is never displayed again.
            key = string.Join(' ', raw.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
            var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={raw}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            qr = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5, [0, 0, 0], [255, 255, 255]));
        }
        var required = Required(User);
        return new SecurityViewModel(user.TwoFactorEnabled, required, required && !TwoFactor.StaffTwoFactorFilter.SignedInWithSecondFactor(User),
            key, qr, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0, TempData["Flash"] as string);
    }
}

public sealed class TwoFactorCodeInput
{
    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Validation.Required")]
    [System.ComponentModel.DataAnnotations.StringLength(20, ErrorMessage = "Validation.MaxLength")]
    [System.ComponentModel.DataAnnotations.Display(Name = "Account.TwoFactor.Code")]
    public string Code { get; set; } = "";

    public string? ReturnUrl { get; set; }

    public bool RememberMe { get; set; }
}

public sealed record SecurityViewModel(bool Enabled, bool Required, bool MustCompleteNow, string? SharedKey, string? QrCode,
    int RecoveryCodesLeft, string? Flash);

public sealed record RecoveryCodesViewModel(IReadOnlyList<string> Codes);
