using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Accounts;

public sealed class RegistrationTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public RegistrationTests(SiteFactory site) => _site = site;

    private static KeyValuePair<string, string>[] Form(string email, string password = People.Password, string name = "李小雨") =>
    [
        new("FullName", name), new("Email", email), new("PhoneNumber", "13800138000"),
        new("Password", password), new("ConfirmPassword", password),
    ];

    [Fact]
    public async Task Register_SendsConfirmationInChinese_AndTheLinkConfirmsTheEmail()
    {
        var client = _site.CreateBrowserClient();
        var response = await client.SubmitAsync("/account/register", "/account/register", Form("confirm.me@example.cn"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("请查收确认邮件", await response.Content.ReadAsStringAsync());

        var mail = await _site.Smtp.WaitForAsync("confirm.me@example.cn");
        Assert.Equal("请确认你的邮箱地址", mail.Subject);
        Assert.Contains("李小雨", mail.TextBody);

        var confirmed = await client.GetStringAsync(mail.LinkTo("/account/confirm"));
        Assert.Contains("邮箱已确认", confirmed);
        Assert.True(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "confirm.me@example.cn").Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task ConfirmLink_WithATamperedCode_IsRefused()
    {
        var client = _site.CreateBrowserClient();
        await client.SubmitAsync("/account/register", "/account/register", Form("tamper@example.cn"));
        var link = (await _site.Smtp.WaitForAsync("tamper@example.cn")).LinkTo("/account/confirm");

        var html = await client.GetStringAsync(link[..^4] + "AAAA");

        Assert.Contains("确认链接无效或已过期", html);
        Assert.False(await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "tamper@example.cn").Select(u => u.EmailConfirmed).SingleAsync()));
    }

    [Fact]
    public async Task Register_WithATakenEmail_SaysSo_AndCreatesNothing()
    {
        await _site.CreateUserAsync("taken@example.cn");
        var client = _site.CreateBrowserClient();

        var response = await client.SubmitAsync("/account/register", "/account/register", Form("taken@example.cn", name: "另一个人"));
        var page = await response.ParseAsync();

        Assert.Contains(page.FieldErrors(), e => e.Contains("taken@example.cn 已经注册"));
        Assert.Equal(1, await _site.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "taken@example.cn")));
    }

    [Theory]
    [InlineData("short", "密码至少需要 8 个字符")]
    [InlineData("password123", "这个密码太常见")]
    public async Task Register_WithAWeakPassword_SaysWhy_AndCreatesNothing(string password, string message)
    {
        var client = _site.CreateBrowserClient();
        var email = $"weak-{password}@example.cn";

        var response = await client.SubmitAsync("/account/register", "/account/register", Form(email, password));
        var page = await response.ParseAsync();

        Assert.Contains(page.FieldErrors(), e => e.Contains(message));
        Assert.Equal(0, await _site.WithDbAsync(db => db.Users.CountAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task Register_WithEmptyFields_ShowsEveryFieldError_InEnglish_WhenEnglishIsChosen()
    {
        var client = _site.CreateBrowserClient();
        await client.SubmitAsync("/", "/culture", [new("culture", "en"), new("returnUrl", "/")]);

        var response = await client.SubmitAsync("/account/register", "/account/register",
            [new("FullName", ""), new("Email", "not-an-email"), new("Password", ""), new("ConfirmPassword", "")]);
        var errors = (await response.ParseAsync()).FieldErrors().ToList();

        Assert.Contains("Enter your Full legal name.", errors);
        Assert.Contains("The Email is not a valid address.", errors);
        Assert.Contains("Enter your Password.", errors);
    }

    [Fact]
    public async Task Register_WithoutTheAntiforgeryToken_IsRefusedWithAClearPage_AndCreatesNothing()
    {
        var client = _site.CreateBrowserClient();
        await client.GetAsync("/account/register");

        var response = await client.PostAsync("/account/register", new FormUrlEncodedContent(Form("forged@example.cn")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("表单已过期", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await _site.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "forged@example.cn")));
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccount()
    {
        await _site.CreateUserAsync("locked@example.cn");
        var client = _site.CreateBrowserClient();

        for (var i = 0; i < 4; i++)
        {
            var wrong = await client.SignInAsync("locked@example.cn", "wrong password " + i);
            Assert.Contains("邮箱或密码不正确", await wrong.Content.ReadAsStringAsync());
        }
        var fifth = await client.SignInAsync("locked@example.cn", "wrong password 5");
        Assert.Contains("账号已暂时锁定", await fifth.Content.ReadAsStringAsync());

        // Even the right password is refused while locked.
        var right = await client.SignInAsync("locked@example.cn");
        Assert.Contains("账号已暂时锁定", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ForgotPassword_EmailsALink_ThatSetsANewPassword()
    {
        await _site.CreateUserAsync("forgot@example.cn", culture: "en");
        var client = _site.CreateBrowserClient();

        var done = await client.SubmitAsync("/account/forgot-password", "/account/forgot-password", [new("Email", "forgot@example.cn")]);
        Assert.Contains("如果这个邮箱已注册", await done.Content.ReadAsStringAsync());

        var mail = await _site.Smtp.WaitForAsync("forgot@example.cn", m => m.Subject == "Reset your password");
        var link = mail.LinkTo("/account/reset-password");
        var reset = await client.GetDocumentAsync(link);
        var form = reset.QuerySelector("form[action='/account/reset-password']")!;
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat([new("Password", "a brand new sentence"), new("ConfirmPassword", "a brand new sentence")]);
        var result = await client.PostAsync("/account/reset-password", new FormUrlEncodedContent(fields));
        Assert.Contains("密码已重设", await result.Content.ReadAsStringAsync());

        var signedIn = await _site.CreateBrowserClient(followRedirects: false).SignInAsync("forgot@example.cn", "a brand new sentence");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/me", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ForgotPassword_ForAnUnknownEmail_AnswersTheSame_AndSendsNothing()
    {
        var client = _site.CreateBrowserClient();

        var done = await client.SubmitAsync("/account/forgot-password", "/account/forgot-password", [new("Email", "nobody@example.cn")]);

        Assert.Contains("如果这个邮箱已注册", await done.Content.ReadAsStringAsync());
        // The email is sent inside the request, so had one been sent it would be here by now.
        Assert.DoesNotContain(_site.Smtp.Messages, m => m.To.ToString().Contains("nobody@example.cn"));
    }
}
