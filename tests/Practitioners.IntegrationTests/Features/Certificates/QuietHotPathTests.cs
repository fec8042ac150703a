using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Certificates;

/// <summary>
/// The verification page is the busiest page of the site: a warning logged per view would flood the log and, behind the
/// console logger's lock, throttle the page (found by profiling it under load).
/// </summary>
public sealed class QuietHotPathTests : IClassFixture<QuietHotPathTests.Site>
{
    public sealed class Site : SiteFactory
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public Site() => WithServices(s => s.AddSingleton<ILoggerProvider>(new Capture(Warnings)));
    }

    private sealed class Capture(ConcurrentQueue<string> warnings) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                warnings.Enqueue($"{logLevel} {eventId.Name}: {formatter(state, exception)}");
            }
        }

        public void Dispose()
        {
        }
    }

    private readonly Site _site;

    public QuietHotPathTests(Site site) => _site = site;

    [Fact]
    public async Task VerifyingACertificate_LogsNoWarning()
    {
        var (_, admissionId, _) = await _site.TrainedAsync("quiet@example.cn", RoleTrack.Volunteer, "安静");
        var holder = _site.CreateBrowserClient();
        await holder.SignInAsync("quiet@example.cn");
        await holder.SignAsync(admissionId, "安静");
        var code = await _site.WithDbAsync(db => db.Certificates.Where(c => c.AdmissionId == admissionId).Select(c => c.VerificationCode).SingleAsync());
        var anonymous = _site.CreateBrowserClient();
        _site.Warnings.Clear();

        var found = await anonymous.GetAsync($"/verify/{code}");
        var missing = await anonymous.GetAsync("/verify/ABCDEFGHJKMNPQRSTVWX");
        var signedIn = await holder.GetAsync($"/verify/{code}");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.All([found, missing, signedIn], r => Assert.Contains("no-store", r.Headers.CacheControl!.ToString()));
        Assert.Empty(_site.Warnings);
    }
}
