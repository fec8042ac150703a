using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.IntegrationTests.Features.Certificates;

/// <summary>Each test owns its site: they move the clock by months.</summary>
public sealed class RenewalTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    private async Task<(HttpClient Client, Certificate Certificate)> CertifiedAsync(string email, string name)
    {
        var (_, admissionId, _) = await _site.TrainedAsync(email, RoleTrack.Volunteer, name);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        await client.SignAsync(admissionId, name);
        return (client, await _site.WithDbAsync(db => db.Certificates.AsNoTracking().SingleAsync(c => c.AdmissionId == admissionId)));
    }

    private Task<Certificate> ReloadAsync(int id) => _site.WithDbAsync(db => db.Certificates.AsNoTracking().Include(c => c.Events).SingleAsync(c => c.Id == id));

    [Fact]
    public async Task VerificationPage_TellsTheTruth_AsTheCertificateAges()
    {
        var (_, certificate) = await CertifiedAsync("ages@example.cn", "李四");
        var anonymous = _site.CreateBrowserClient();
        var url = $"/verify/{certificate.VerificationCode}";

        var valid = await anonymous.GetDocumentAsync(url);
        Assert.Equal("有效", valid.QuerySelector(".status-word")!.TextContent);
        Assert.Equal("李四", valid.QuerySelector(".holder")!.TextContent);
        Assert.Contains(certificate.Number, valid.QuerySelector(".facts")!.TextContent);
        Assert.DoesNotContain("ages@example.cn", valid.DocumentElement.OuterHtml);

        _site.Clock.Advance(TimeSpan.FromDays(300));
        Assert.Equal("即将到期", (await anonymous.GetDocumentAsync(url)).QuerySelector(".status-word")!.TextContent);

        _site.Clock.Advance(TimeSpan.FromDays(70));
        Assert.Equal("已过期", (await anonymous.GetDocumentAsync(url)).QuerySelector(".status-word")!.TextContent);
    }

    [Fact]
    public async Task RefresherInsideTheWindow_ExtendsFromTheOldExpiry()
    {
        var (client, certificate) = await CertifiedAsync("renew@example.cn", "冯八");

        _site.Clock.Advance(TimeSpan.FromDays(300));
        await client.SignInAsync("renew@example.cn");
        Assert.Contains("通过！", await client.PassModuleAsync(_site, "refresher-volunteer"));

        var renewed = await ReloadAsync(certificate.Id);
        Assert.Equal(certificate.ExpiresAt.AddMonths(12), renewed.ExpiresAt);
        Assert.Equal([CertificateEventKind.Issued, CertificateEventKind.Renewed], renewed.Events.OrderBy(e => e.Id).Select(e => e.Kind));
        var page = await _site.CreateBrowserClient().GetDocumentAsync($"/verify/{certificate.VerificationCode}");
        Assert.Equal("有效", page.QuerySelector(".status-word")!.TextContent);
        Assert.Contains("续期", page.QuerySelector(".history")!.TextContent);
    }

    [Fact]
    public async Task RefresherBeforeTheWindow_DoesNotRenew()
    {
        var (client, certificate) = await CertifiedAsync("too-early@example.cn", "陈九");

        _site.Clock.Advance(TimeSpan.FromDays(100));
        await client.SignInAsync("too-early@example.cn");
        await client.PassModuleAsync(_site, "refresher-volunteer");

        Assert.Equal(certificate.ExpiresAt, (await ReloadAsync(certificate.Id)).ExpiresAt);
    }

    [Fact]
    public async Task ExpiredCertificate_LapsesTheAdmission_AndARefresherInTheGracePeriodRestoresIt()
    {
        var (client, certificate) = await CertifiedAsync("lapse@example.cn", "褚十");

        _site.Clock.Advance(certificate.ExpiresAt - _site.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromDays(5));
        var lapsed = 0;
        await _site.WithScopeAsync(async sp => lapsed = await sp.GetRequiredService<LapseExpiredAdmissions>().RunAsync(CancellationToken.None));
        Assert.Equal(1, lapsed);
        Assert.Equal(AdmissionState.Lapsed, await _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == certificate.AdmissionId).Select(a => a.State).SingleAsync()));

        await client.SignInAsync("lapse@example.cn");
        await client.PassModuleAsync(_site, "refresher-volunteer");

        var renewed = await ReloadAsync(certificate.Id);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime.AddMonths(12), renewed.ExpiresAt);
        Assert.Equal(AdmissionState.Active, await _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == certificate.AdmissionId).Select(a => a.State).SingleAsync()));
    }

    [Fact]
    public async Task Verification_IsRateLimitedPerAddress_With429AndRetryAfter()
    {
        using var site = new SiteFactory().With("RateLimits:VerificationPerMinute", "3");
        var client = site.CreateBrowserClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/verify/" + CertificateCodes.NewVerificationCode())).StatusCode);
        }
        var limited = await client.GetAsync("/verify/" + CertificateCodes.NewVerificationCode());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Contains("请求过于频繁", await limited.Content.ReadAsStringAsync());
    }
}
