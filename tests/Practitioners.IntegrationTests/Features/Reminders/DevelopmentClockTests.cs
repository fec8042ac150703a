using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Clock;

namespace Practitioners.IntegrationTests.Features.Reminders;

public sealed class DevelopmentClockTests
{
    /// <summary>The site as `dotnet run` starts it: Development, with the shiftable clock instead of the test's fake one.</summary>
    private sealed class DevelopmentSite : SiteFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Development");
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ShiftedTimeProvider>());
            });
        }
    }

    [Fact]
    public async Task FastForward_InDevelopment_ShowsTheRemindersOnTheOutgoingMailPage_InTheHoldersLanguage()
    {
        using var site = new DevelopmentSite();
        site.With("Site:PublicBaseUrl", ReminderSteps.BaseUrl).With("Email:PickupDirectory", Path.Combine(site.Folder, "mail"))
            .With("Credentials:V:ValidityMonths", "2");
        // Arrange on the same day as the site's real clock.
        site.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var (_, certificate) = await site.CertifiedAsync("dev.holder@example.cn", "Gao Ba", culture: "en");
        await site.CreateUserAsync("dev.admin@example.cn", roles: Roles.Admin);
        var admin = site.CreateBrowserClient();
        await admin.SignInAsync("dev.admin@example.cn");

        var clock = await admin.GetDocumentAsync("/admin/clock");
        Assert.Equal(["1", "7", "30"], clock.QuerySelectorAll("form[action='/admin/clock/advance'] input[name=days]").Select(i => i.GetAttribute("value")));
        var moved = await admin.PostAsync("/admin/clock/advance",
            new FormUrlEncodedContent([new("days", "7"), new("__RequestVerificationToken", clock.AntiforgeryToken())]));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var mail = await admin.GetDocumentAsync("/admin/mail");
        var row = Assert.Single(mail.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains("dev.holder@example.cn") && r.TextContent.Contains(certificate.Number));
        Assert.StartsWith($"Your certificate {certificate.Number} expires on", row.QuerySelector("a")!.TextContent);
        var message = await admin.GetDocumentAsync(row.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Contains(message.QuerySelectorAll("a"), a => a.GetAttribute("href") == ReminderSteps.BaseUrl + "/training");
    }

    [Fact]
    public async Task ClockControl_DoesNotExistOutsideDevelopment()
    {
        using var site = new SiteFactory();
        await site.CreateUserAsync("admin.clock@example.cn", roles: Roles.Admin);
        var admin = site.CreateBrowserClient();
        await admin.SignInAsync("admin.clock@example.cn");

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/clock")).StatusCode);
        Assert.Null(site.Services.GetService<ShiftedTimeProvider>());
    }
}
