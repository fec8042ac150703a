using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Reminders;

public sealed class NotificationTests : IDisposable
{
    private readonly SiteFactory _site = ReminderSteps.NewSite();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Reminder_ShowsUnderTheBell_InTheHoldersLanguage_UntilMarkedRead()
    {
        var (client, certificate) = await _site.CertifiedAsync("bell@example.cn", "Lin Qi", culture: "en");
        var home = await client.GetDocumentAsync("/");
        Assert.Null(home.QuerySelector(".unread-count"));

        _site.Clock.Advance(certificate.ExpiresAt.AddDays(-30) - _site.Clock.GetUtcNow().UtcDateTime);
        await _site.PlanAsync();
        await client.SignInAsync("bell@example.cn");

        var page = await client.GetDocumentAsync("/notifications");
        Assert.Equal("1", page.QuerySelector(".unread-count")!.TextContent.Trim());
        var item = Assert.Single(page.QuerySelectorAll("li.notification"));
        Assert.Equal($"Your certificate {certificate.Number} expires on {certificate.ExpiresAt.AddHours(8):yyyy-MM-dd}", item.QuerySelector("h2 a")!.TextContent);
        Assert.Equal("/training", item.QuerySelector("h2 a")!.GetAttribute("href"));

        // Someone else cannot mark it read.
        var id = await _site.WithDbAsync(db => db.Notifications.Select(n => n.Id).SingleAsync());
        await _site.CreateUserAsync("other@example.cn");
        var other = _site.CreateBrowserClient();
        await other.SignInAsync("other@example.cn");
        var otherPage = await other.GetDocumentAsync("/notifications");
        await other.PostAsync($"/notifications/{id}/read", new FormUrlEncodedContent([new("__RequestVerificationToken", otherPage.AntiforgeryToken())]));
        Assert.Null(await _site.WithDbAsync(db => db.Notifications.Select(n => n.ReadAt).SingleAsync()));

        var read = await client.PostAsync(item.QuerySelector("form")!.GetAttribute("action"),
            new FormUrlEncodedContent([new("__RequestVerificationToken", page.AntiforgeryToken())]));
        var after = await read.ParseAsync();
        Assert.Null(after.QuerySelector(".unread-count"));
        Assert.Contains("read", after.QuerySelector("li.notification")!.ClassList);
    }
}
