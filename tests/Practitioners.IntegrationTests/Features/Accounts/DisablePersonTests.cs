using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Accounts.People;
using Practitioners.Web.Features.Privacy;

namespace Practitioners.IntegrationTests.Features.Accounts;

/// <summary>
/// An admin disables a person: their sessions end at the very next request, they cannot sign in (one message, shown only
/// with the right password), partner tokens are revoked, it is audited; re-enabling lets them sign in again without
/// bringing old sessions back. Nobody disables themself or the last admin; an erased account stays as it is.
/// </summary>
public sealed class DisablePersonTests : IDisposable
{
    private const string DisabledMessage = "此账户已停用，请联系您所在的社区办公室。";

    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<(HttpClient Client, ApplicationUser User)> AdminAsync(string email)
    {
        var user = await _site.CreateUserAsync(email, "系统管理员", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient(followRedirects: false);
        await admin.SignInAsync(email);
        return (admin, user);
    }

    private async Task<HttpClient> SignedInAsync(string email)
    {
        var client = _site.CreateBrowserClient(followRedirects: false);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/me")).StatusCode);
        return client;
    }

    private static Task<HttpResponseMessage> DisableAsync(HttpClient admin, string userId, string reason) =>
        admin.SubmitAsync($"/admin/people/{userId}", $"/admin/people/{userId}/disable", [new("Reason", reason)]);

    private static Task<HttpResponseMessage> EnableAsync(HttpClient admin, string userId, string tokenPage) =>
        admin.SubmitAsync(tokenPage, $"/admin/people/{userId}/enable", []);

    private Task<ApplicationUser> UserAsync(string id) => _site.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id));

    private static async Task<string> SignInPageTextAsync(HttpResponseMessage response) => (await response.ParseAsync()).Body!.TextContent;

    [Fact]
    public async Task Disabling_EndsTheSessionAtTheNextRequest_RefusesSignIn_AndReEnablingBringsNoOldSessionBack()
    {
        var volunteer = await _site.CreateUserAsync("dis-vol@example.cn", "周一");
        var laptop = await SignedInAsync("dis-vol@example.cn");
        var phone = await SignedInAsync("dis-vol@example.cn");
        var (admin, adminUser) = await AdminAsync("dis-admin@example.cn");

        // The admin finds the person by email and by name, and sees the account's status.
        var found = await admin.GetDocumentAsync("/admin/people?q=DIS-VOL");
        Assert.Contains("正常", found.QuerySelector($"[data-person='{volunteer.Id}']")!.TextContent);
        Assert.NotNull((await admin.GetDocumentAsync($"/admin/people?q={Uri.EscapeDataString("周一")}")).QuerySelector($"[data-person='{volunteer.Id}']"));
        var page = await admin.GetDocumentAsync($"/admin/people/{volunteer.Id}");
        Assert.NotNull(page.QuerySelector($"form[action='/admin/people/{volunteer.Id}/disable'] input[name='Reason'][required]"));
        Assert.Contains("不影响证书", page.Body!.TextContent);

        // A reason is required: without one nothing changes.
        await DisableAsync(admin, volunteer.Id, " ");
        Assert.Null((await UserAsync(volunteer.Id)).DisabledAt);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/me")).StatusCode);

        var stampBefore = (await UserAsync(volunteer.Id)).SecurityStamp;
        var disabled = await DisableAsync(admin, volunteer.Id, "多次无故缺席服务，暂停账户");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        var stored = await UserAsync(volunteer.Id);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, stored.DisabledAt);
        Assert.Equal("多次无故缺席服务，暂停账户", stored.DisabledReason);
        Assert.NotEqual(stampBefore, stored.SecurityStamp);
        Assert.Contains("已停用", (await admin.GetDocumentAsync($"/admin/people/{volunteer.Id}")).QuerySelector(".person-status")!.TextContent);

        // The very next request with the old cookie is sent to sign in: no clock moved, no 5-minute wait.
        var next = await laptop.GetAsync("/me");
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith("/account/sign-in", next.Headers.Location!.PathAndQuery);

        // Signing in is refused with one plain message; with a wrong password the page says only what it always says.
        var again = _site.CreateBrowserClient(followRedirects: false);
        var refused = await again.SignInAsync("dis-vol@example.cn");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(DisabledMessage, await SignInPageTextAsync(refused));
        Assert.NotEqual(HttpStatusCode.OK, (await again.GetAsync("/me")).StatusCode);
        var guessed = await again.SignInAsync("dis-vol@example.cn", "not the password 9");
        var guessedText = await SignInPageTextAsync(guessed);
        Assert.DoesNotContain(DisabledMessage, guessedText);
        Assert.Contains("邮箱或密码不正确。", guessedText);

        // Audited: who, why, when, and the refused sign-in.
        var disabledEvent = await _site.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "account.disabled" && e.SubjectId == volunteer.Id));
        Assert.Equal(adminUser.Id, disabledEvent.ActorUserId);
        Assert.Contains("多次无故缺席服务", System.Text.RegularExpressions.Regex.Unescape(disabledEvent.Data!));
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, disabledEvent.At);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.signin.disabled" && e.SubjectId == volunteer.Id)));

        // Re-enabled: the person signs in again; the phone's session from before stays ended.
        _site.Clock.Advance(TimeSpan.FromMinutes(1));
        var enabled = await EnableAsync(admin, volunteer.Id, $"/admin/people/{volunteer.Id}");
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Null((await UserAsync(volunteer.Id)).DisabledAt);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "account.enabled" && e.SubjectId == volunteer.Id && e.ActorUserId == adminUser.Id)));
        Assert.NotEqual(HttpStatusCode.OK, (await phone.GetAsync("/me")).StatusCode);
        await SignedInAsync("dis-vol@example.cn");
    }

    [Fact]
    public async Task AStaffMember_DisabledBetweenTheTwoSteps_GetsTheSameMessage_AtTheSecondStep()
    {
        var manager = await _site.CreateUserAsync("dis-mgr@example.cn", "吴二", roles: Roles.CommunityManager);
        var (admin, _) = await AdminAsync("dis-admin2@example.cn");
        var client = _site.CreateBrowserClient(followRedirects: false);
        var first = await client.SubmitAsync("/account/sign-in", "/account/sign-in", [new("Email", "dis-mgr@example.cn"), new("Password", People.Password)]);
        Assert.StartsWith("/account/sign-in/two-factor", first.Headers.Location!.OriginalString);
        var step = await client.GetDocumentAsync(first.Headers.Location.OriginalString);

        await DisableAsync(admin, manager.Id, "调离岗位");

        var second = await client.PostAsync("/account/sign-in/two-factor", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", step.AntiforgeryToken()), new("Code", await _site.AuthenticatorCodeAsync("dis-mgr@example.cn"))]));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains(DisabledMessage, await SignInPageTextAsync(second));
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/manage/verify")).StatusCode);
    }

    [Fact]
    public async Task Disabling_RevokesThePersonsPartnerTokensAndAuthorizations()
    {
        var volunteer = await _site.CreateUserAsync("dis-partner@example.cn");
        var bystander = await _site.CreateUserAsync("dis-bystander@example.cn");
        var (admin, _) = await AdminAsync("dis-admin3@example.cn");
        var ids = new Dictionary<string, (string Token, string Authorization)>();
        await _site.WithScopeAsync(async sp =>
        {
            var tokens = sp.GetRequiredService<IOpenIddictTokenManager>();
            var authorizations = sp.GetRequiredService<IOpenIddictAuthorizationManager>();
            foreach (var subject in new[] { volunteer.Id, bystander.Id })
            {
                var authorization = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
                {
                    Subject = subject, Status = OpenIddictConstants.Statuses.Valid, Type = OpenIddictConstants.AuthorizationTypes.Permanent,
                    CreationDate = _site.Clock.GetUtcNow(),
                });
                var token = await tokens.CreateAsync(new OpenIddictTokenDescriptor
                {
                    Subject = subject, Status = OpenIddictConstants.Statuses.Valid, Type = OpenIddictConstants.TokenTypeHints.AccessToken,
                    AuthorizationId = await authorizations.GetIdAsync(authorization),
                    CreationDate = _site.Clock.GetUtcNow(), ExpirationDate = _site.Clock.GetUtcNow().AddHours(1),
                });
                ids[subject] = ((await tokens.GetIdAsync(token))!, (await authorizations.GetIdAsync(authorization))!);
            }
        });

        await DisableAsync(admin, volunteer.Id, "账户被盗用");

        async Task<(string? Token, string? Authorization)> StatusesAsync(string subject)
        {
            (string?, string?) result = default;
            await _site.WithScopeAsync(async sp =>
            {
                var tokens = sp.GetRequiredService<IOpenIddictTokenManager>();
                var authorizations = sp.GetRequiredService<IOpenIddictAuthorizationManager>();
                result = (await tokens.GetStatusAsync((await tokens.FindByIdAsync(ids[subject].Token))!),
                    await authorizations.GetStatusAsync((await authorizations.FindByIdAsync(ids[subject].Authorization))!));
            });
            return result;
        }
        Assert.Equal((OpenIddictConstants.Statuses.Revoked, OpenIddictConstants.Statuses.Revoked), await StatusesAsync(volunteer.Id));
        Assert.Equal((OpenIddictConstants.Statuses.Valid, OpenIddictConstants.Statuses.Valid), await StatusesAsync(bystander.Id));
    }

    [Fact]
    public async Task NobodyDisablesThemselfOrTheLastAdmin_AndAnErasedAccountCannotBeChanged()
    {
        var (admin, first) = await AdminAsync("dis-admin-a@example.cn");
        await DisableAsync(admin, first.Id, "测试");
        Assert.Null((await UserAsync(first.Id)).DisabledAt);
        Assert.Null((await admin.GetDocumentAsync($"/admin/people/{first.Id}")).QuerySelector("form[action$='/disable']"));

        // Two admins disabling each other at once: the second request finds no other admin left and is refused.
        var second = await _site.CreateUserAsync("dis-admin-b@example.cn", roles: Roles.Admin);
        var outcomes = new List<DisableOutcome>();
        await _site.WithScopeAsync(async sp => outcomes.Add(await sp.GetRequiredService<DisablePerson>().DisableAsync(second.Id, "离职", first.Id, CancellationToken.None)));
        await _site.WithScopeAsync(async sp => outcomes.Add(await sp.GetRequiredService<DisablePerson>().DisableAsync(first.Id, "离职", second.Id, CancellationToken.None)));
        Assert.Equal([DisableOutcome.Done, DisableOutcome.LastAdmin], outcomes);
        Assert.Null((await UserAsync(first.Id)).DisabledAt);

        // An erased account (PIPL) is neither disabled nor re-enabled: it stays erased.
        var erased = await _site.CreateUserAsync("dis-erased@example.cn");
        await _site.WithScopeAsync(async sp =>
        {
            var user = await sp.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(erased.Id);
            Assert.Equal(DeletionOutcome.Done, await sp.GetRequiredService<RequestDeletion>().RunAsync(user!, People.Password, CancellationToken.None));
        });
        var requestId = await _site.WithDbAsync(db => db.DeletionRequests.Where(r => r.UserId == erased.Id).Select(r => r.Id).SingleAsync());
        await _site.WithScopeAsync(async sp => await sp.GetRequiredService<DecideDeletion>().ApproveAsync(requestId, first.Id, CancellationToken.None));
        var erasedPage = await admin.GetDocumentAsync($"/admin/people/{erased.Id}");
        Assert.Contains("个人信息已删除", erasedPage.QuerySelector(".person-status")!.TextContent);
        Assert.Null(erasedPage.QuerySelector("form[action$='/disable'], form[action$='/enable']"));
        await DisableAsync(admin, erased.Id, "测试");
        await EnableAsync(admin, erased.Id, $"/admin/people/{erased.Id}");
        var after = await UserAsync(erased.Id);
        Assert.Null(after.DisabledAt);
        Assert.Equal(DecideDeletion.LockedUntil, after.LockoutEnd);
        Assert.False(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => (e.Action == "account.disabled" || e.Action == "account.enabled") && e.SubjectId == erased.Id)));
    }

    [Fact]
    public async Task APersonPageForNoOne_Is404()
    {
        var (admin, _) = await AdminAsync("dis-admin-404@example.cn");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/people/no-such-person")).StatusCode);
    }
}
