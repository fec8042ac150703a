using System.Net;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;

namespace Practitioners.IntegrationTests.Features.Mail;

public sealed class OutgoingMailTests : IDisposable
{
    private readonly SiteFactory _site;

    public OutgoingMailTests()
    {
        _site = new SiteFactory();
        _site.With("Email:PickupDirectory", Path.Combine(_site.Folder, "mail"));
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Admin_SeesPickedUpMail_WithItsLinks()
    {
        await _site.CreateUserAsync("admin@example.cn", roles: Roles.Admin);
        var visitor = _site.CreateBrowserClient();
        await visitor.SubmitAsync("/account/register", "/account/register",
        [
            new("FullName", "陈静"), new("Email", "picked@example.cn"),
            new("Password", People.Password), new("ConfirmPassword", People.Password),
        ]);
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync("admin@example.cn");

        var list = await admin.GetDocumentAsync("/admin/mail");
        var row = list.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("picked@example.cn"));
        var message = await admin.GetDocumentAsync(row.QuerySelector("a")!.GetAttribute("href")!);

        Assert.Equal("请确认你的邮箱地址", message.QuerySelector("h1")!.TextContent);
        Assert.Contains(message.QuerySelectorAll("a"), a => a.GetAttribute("href")!.Contains("/account/confirm?userId="));
    }

    [Fact]
    public async Task NonAdmin_IsDenied()
    {
        await _site.CreateUserAsync("volunteer@example.cn");
        var client = _site.CreateBrowserClient(followRedirects: false);
        await client.SignInAsync("volunteer@example.cn");

        var response = await client.GetAsync("/admin/mail");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Admin_CannotReadFilesOutsideThePickupFolder()
    {
        await _site.CreateUserAsync("admin2@example.cn", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync("admin2@example.cn");

        var response = await admin.GetAsync("/admin/mail/..%2F..%2Fsite");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
