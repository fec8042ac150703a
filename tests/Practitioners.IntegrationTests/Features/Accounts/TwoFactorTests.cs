using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Accounts.TwoFactor;

namespace Practitioners.IntegrationTests.Features.Accounts;

public sealed class TwoFactorTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    /// <summary>A manager created without an authenticator, as an admin would assign the role to an existing person.</summary>
    private async Task<ApplicationUser> StaffWithoutTwoFactorAsync(string email)
    {
        var user = await _site.CreateUserAsync(email, "新管理员");
        await _site.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync(email))!, Roles.CommunityManager);
        });
        return user;
    }

    private Task<string?> KeyAsync(string email) => _site.WithDbAsync(db =>
        db.UserTokens.Where(t => t.UserId == db.Users.Single(u => u.Email == email).Id && t.Name == "AuthenticatorKey").Select(t => t.Value).SingleOrDefaultAsync());

    [Fact]
    public async Task Staff_WithoutTwoFactor_ReachNothingButEnrolment_ThenEnrolWithTheQrKey_AndGetRecoveryCodes()
    {
        await StaffWithoutTwoFactorAsync("new-mgr@example.cn");
        var client = _site.CreateBrowserClient(followRedirects: false);

        var signIn = await client.SignInAsync("new-mgr@example.cn");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        foreach (var path in new[] { "/manage", "/me", "/account/profile", "/studies", "/training", "/manage/verify" })
        {
            var blocked = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, blocked.StatusCode);
            Assert.Equal("/account/security", blocked.Headers.Location!.OriginalString);
        }
        var page = await client.GetDocumentAsync("/account/security");
        Assert.Contains("必须开启两步验证", page.Body!.TextContent);

        // Start: a key is made and shown with its QR code (a PNG inside the page, no script).
        var start = await client.PostAsync("/account/security/key", new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        Assert.Equal("/account/security", start.Headers.Location!.OriginalString);
        var enrol = await client.GetDocumentAsync("/account/security");
        var key = await KeyAsync("new-mgr@example.cn");
        Assert.NotNull(key);
        Assert.Equal(key.ToLowerInvariant(), enrol.QuerySelector(".shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal));
        Assert.StartsWith("data:image/png;base64,", enrol.QuerySelector("img.qr")!.GetAttribute("src"));
        Assert.Empty(enrol.QuerySelectorAll("script:not([src])"));

        // A wrong code is refused; the code the app shows is accepted.
        var token = enrol.AntiforgeryToken();
        var wrong = await client.PostAsync("/account/security/verify", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Code", "000000")]));
        Assert.Contains("验证码不正确", await wrong.Content.ReadAsStringAsync());
        var right = await client.PostAsync("/account/security/verify", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Code", Totp.CodeAt(key, _site.Clock.GetUtcNow()))]));
        var codes = (await right.ParseAsync()).QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());

        // Now the console opens, and the enrolment is audited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/manage/verify")).StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.2fa.enabled")));
        Assert.True(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "new-mgr@example.cn").Select(u => u.TwoFactorEnabled).SingleAsync()));
    }

    [Fact]
    public async Task SigningIn_AsksForTheCode_RefusesAWrongOne_AcceptsTheAppsCode_AndARecoveryCodeOnce()
    {
        await _site.CreateUserAsync("mgr2@example.cn", "管理员二", roles: Roles.CommunityManager);
        var key = (await KeyAsync("mgr2@example.cn"))!;
        var client = _site.CreateBrowserClient(followRedirects: false);

        var first = await client.SubmitAsync("/account/sign-in", "/account/sign-in", [new("Email", "mgr2@example.cn"), new("Password", People.Password)]);
        Assert.StartsWith("/account/sign-in/two-factor", first.Headers.Location!.OriginalString);
        // The password alone signs nobody in.
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/me")).StatusCode);
        Assert.Contains("/account/sign-in", (await client.GetAsync("/me")).Headers.Location!.OriginalString);

        var step = await client.GetDocumentAsync(first.Headers.Location.OriginalString);
        var token = step.AntiforgeryToken();
        var wrong = await client.PostAsync("/account/sign-in/two-factor", new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Code", "123456")]));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.signin.2fa-failed")));
        // A code from a step long past is refused too.
        var stale = Totp.Compute(Totp.FromBase32(key), Totp.StepAt(_site.Clock.GetUtcNow()) - 3).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/account/sign-in/two-factor",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("Code", stale)]))).StatusCode);

        var right = await client.PostAsync("/account/sign-in/two-factor", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Code", Totp.CodeAt(key, _site.Clock.GetUtcNow()))]));
        Assert.Equal("/me", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/manage/verify")).StatusCode);

        // Recovery codes: each works once.
        var security = await client.GetDocumentAsync("/account/security");
        var codes = (await (await client.PostAsync("/account/security/recovery-codes",
            new FormUrlEncodedContent([new("__RequestVerificationToken", security.AntiforgeryToken())]))).ParseAsync())
            .QuerySelectorAll(".recovery-codes code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, codes.Count);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var other = _site.CreateBrowserClient(followRedirects: false);
            var pw = await other.SubmitAsync("/account/sign-in", "/account/sign-in", [new("Email", "mgr2@example.cn"), new("Password", People.Password)]);
            var page = await other.GetDocumentAsync(pw.Headers.Location!.OriginalString);
            var result = await other.PostAsync("/account/sign-in/two-factor",
                new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken()), new("Code", codes[0])]));
            Assert.Equal(attempt == 0 ? HttpStatusCode.Redirect : HttpStatusCode.OK, result.StatusCode);
        }
    }

    [Fact]
    public async Task TheTestHelper_CompletesTheSecondStep_ForEnrolledStaff()
    {
        var community = await _site.CreateCommunityAsync("tf-help");
        var manager = await _site.ManagerOfAsync("tf-helper@example.cn", community.Id);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/manage/verify")).StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.signin.password-verified")));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.signin.succeeded")));
    }

    [Fact]
    public async Task AVolunteer_MayTurnTwoFactorOnAndOff_AStaffMemberMayNotTurnItOff()
    {
        await _site.CreateUserAsync("tf-vol@example.cn");
        var volunteer = _site.CreateBrowserClient(followRedirects: false);
        await volunteer.SignInAsync("tf-vol@example.cn");
        var page = await volunteer.GetDocumentAsync("/account/security");
        await volunteer.PostAsync("/account/security/key", new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        var key = (await KeyAsync("tf-vol@example.cn"))!;
        page = await volunteer.GetDocumentAsync("/account/security");
        await volunteer.PostAsync("/account/security/verify", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", page.AntiforgeryToken()), new("Code", Totp.CodeAt(key, _site.Clock.GetUtcNow()))]));
        Assert.True(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "tf-vol@example.cn").Select(u => u.TwoFactorEnabled).SingleAsync()));
        page = await volunteer.GetDocumentAsync("/account/security");
        await volunteer.PostAsync("/account/security/disable", new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        Assert.False(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "tf-vol@example.cn").Select(u => u.TwoFactorEnabled).SingleAsync()));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.2fa.disabled")));

        await _site.CreateUserAsync("tf-admin@example.cn", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient(followRedirects: false);
        await admin.SignInAsync("tf-admin@example.cn");
        page = await admin.GetDocumentAsync("/account/security");
        Assert.Empty(page.QuerySelectorAll("form[action='/account/security/disable']"));
        await admin.PostAsync("/account/security/disable", new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        Assert.True(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "tf-admin@example.cn").Select(u => u.TwoFactorEnabled).SingleAsync()));
    }

    [Fact]
    public async Task WithTheRuleOff_StaffWithoutTwoFactor_ReachTheConsole()
    {
        using var site = new SiteFactory().With("Security:RequireTwoFactorForStaff", "false");
        await site.CreateUserAsync("off-mgr@example.cn");
        await site.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            await users.AddToRoleAsync((await users.FindByEmailAsync("off-mgr@example.cn"))!, Roles.Admin);
        });
        var client = site.CreateBrowserClient(followRedirects: false);
        await client.SignInAsync("off-mgr@example.cn");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/outbox")).StatusCode);
    }

    [Fact]
    public void TheTotpAlgorithm_MatchesTheRfc6238TestVector()
    {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → the last six.
        var key = System.Text.Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal(287082, Totp.Compute(key, 59 / 30));
        Assert.Equal(key, Totp.FromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        Assert.Matches(new Regex("^[0-9]{6}$"), Totp.CodeAt("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(1111111109)));
        Assert.Equal("081804", Totp.CodeAt("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(1111111109)));
    }

    private static string CodeForStep(string key, long step) =>
        Totp.Compute(Totp.FromBase32(key), step).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The password step on a new client, and the second step answered with the given code.</summary>
    private async Task<HttpResponseMessage> SecondStepAsync(string email, string code)
    {
        var client = _site.CreateBrowserClient(followRedirects: false);
        var first = await client.SubmitAsync("/account/sign-in", "/account/sign-in", [new("Email", email), new("Password", People.Password)]);
        var step = await client.GetDocumentAsync(first.Headers.Location!.OriginalString);
        return await client.PostAsync("/account/sign-in/two-factor",
            new FormUrlEncodedContent([new("__RequestVerificationToken", step.AntiforgeryToken()), new("Code", code)]));
    }

    [Fact]
    public async Task AnAuthenticatorCode_SignsInOnce_ThenThatStepAndEarlierOnesAreRefused_TheNextWindowsCodeWorks()
    {
        await _site.CreateUserAsync("reuse@example.cn", "管理员三", roles: Roles.CommunityManager);
        var key = (await KeyAsync("reuse@example.cn"))!;
        var now = Totp.StepAt(_site.Clock.GetUtcNow());
        var code = CodeForStep(key, now);

        Assert.Equal(HttpStatusCode.Redirect, (await SecondStepAsync("reuse@example.cn", code)).StatusCode);
        // The same code again, in the same 30 seconds (the clock has not moved): refused, and audited as a failure.
        var replay = await SecondStepAsync("reuse@example.cn", code);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Contains("验证码不正确", await replay.Content.ReadAsStringAsync());
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.signin.2fa-failed")));
        // The previous step's code would still be inside the tolerance window, but it is older than the one used.
        Assert.Equal(HttpStatusCode.OK, (await SecondStepAsync("reuse@example.cn", CodeForStep(key, now - 1))).StatusCode);
        Assert.Equal(now, await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "reuse@example.cn").Select(u => u.AuthenticatorLastStep).SingleAsync()));

        // The next window's code is new, and works once.
        _site.Clock.Advance(Totp.Step);
        var next = Totp.CodeAt(key, _site.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.Redirect, (await SecondStepAsync("reuse@example.cn", next)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SecondStepAsync("reuse@example.cn", next)).StatusCode);
    }

    [Fact]
    public async Task TheCodeThatConfirmedEnrolment_CannotSignIn_OrConfirmAgain()
    {
        await StaffWithoutTwoFactorAsync("reuse-enrol@example.cn");
        var client = _site.CreateBrowserClient(followRedirects: false);
        await client.SignInAsync("reuse-enrol@example.cn");
        var page = await client.GetDocumentAsync("/account/security");
        await client.PostAsync("/account/security/key", new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        var key = (await KeyAsync("reuse-enrol@example.cn"))!;
        var code = Totp.CodeAt(key, _site.Clock.GetUtcNow());
        page = await client.GetDocumentAsync("/account/security");
        var confirmed = await client.PostAsync("/account/security/verify",
            new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken()), new("Code", code)]));
        Assert.Equal(10, (await confirmed.ParseAsync()).QuerySelectorAll(".recovery-codes code").Length);

        // Confirming a session with the same code again is refused, and so is signing in with it elsewhere.
        page = await client.GetDocumentAsync("/account/security");
        var again = await client.PostAsync("/account/security/verify",
            new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken()), new("Code", code)]));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.2fa.verify-failed")));
        Assert.Equal(HttpStatusCode.OK, (await SecondStepAsync("reuse-enrol@example.cn", code)).StatusCode);
        _site.Clock.Advance(Totp.Step);
        Assert.Equal(HttpStatusCode.Redirect, (await SecondStepAsync("reuse-enrol@example.cn", Totp.CodeAt(key, _site.Clock.GetUtcNow()))).StatusCode);
    }
}
