using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Security;

/// <summary>A failure inside the site shows a friendly page in the reader's language, never a stack trace or an exception's name.</summary>
public sealed class ErrorTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("zh-CN", "出错了")]
    [InlineData("en", "Something went wrong")]
    public async Task ADatabaseFailure_ShowsTheFriendlyPage_WithoutAStackTrace(string culture, string title)
    {
        await _site.CreateUserAsync($"broken-{culture}@example.cn", culture: culture);
        var client = _site.CreateBrowserClient(followRedirects: false);
        await client.SignInAsync($"broken-{culture}@example.cn");
        client.DefaultRequestHeaders.Add("Cookie", $".AspNetCore.Culture=c={culture}|uic={culture}");
        // The notices table is gone: the next query fails inside the site.
        await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""DROP TABLE "Notifications" """));

        var response = await client.GetAsync("/notifications");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(title, body);
        foreach (var leak in new[] { "SqliteException", "no such table", "   at ", "Practitioners.Web.", "StackTrace", ".cs:line" })
        {
            Assert.DoesNotContain(leak, body);
        }
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task RegisteringWhileTheMailServerIsDown_LeavesAWholeAccount_WhoseConfirmationWaitsInTheOutbox()
    {
        _site.Smtp.Stop();
        var client = _site.CreateBrowserClient();
        var response = await client.SubmitAsync("/account/register", "/account/register",
        [
            new("FullName", "邮件停机"), new("Email", "smtp-down@example.cn"),
            new("Password", "quiet river evening"), new("ConfirmPassword", "quiet river evening"),
        ]);

        // The person is told to check their email, and the account and its message were written together.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/account/register/done", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(await _site.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "smtp-down@example.cn")));
        var pending = await _site.WithDbAsync(db => db.OutboxMessages.Where(m => m.To.Contains("smtp-down@example.cn")).ToListAsync());
        Assert.Single(pending);
        Assert.Null(pending[0].SentAt);
        Assert.Empty(_site.Smtp.Messages);
    }
}
