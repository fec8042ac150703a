using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.IntegrationTests.Data;
using Practitioners.IntegrationTests.Features.Partners;
using Practitioners.TestSupport;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Features.Hours;
using Practitioners.Web.Features.Partners;

namespace Practitioners.IntegrationTests.Features.Audit;

/// <summary>
/// Every verification leaves exactly one audit row (who, what, when, from where, and what the verifier was told),
/// written after the response by the background writer. Tests await <see cref="VerificationLog.FlushAsync"/>, never sleep.
/// </summary>
public sealed class VerificationAuditTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public VerificationAuditTests(SiteFactory site) => _site = site;

    private Task FlushAsync() => _site.Services.GetRequiredService<VerificationLog>().FlushAsync();

    private Task<List<AuditEvent>> RowsAsync(string subject) =>
        _site.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action.StartsWith("verification.") && e.SubjectId == subject).ToListAsync());

    [Fact]
    public async Task PublicPage_Anonymous_OneRowWithTheResult_TheAddress_TheUserAgent_AndTheTimeInUtc()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("va-page@example.cn", "审计甲");
        var anonymous = _site.CreateClient();
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd("SchoolChecker/1.0");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/verify/{certificate.VerificationCode}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/verify/  ZZZZZZZZZZZZZZZZZZZZ  ")).StatusCode);
        await FlushAsync();

        var row = Assert.Single(await RowsAsync(certificate.Number));
        Assert.Equal("verification.valid", row.Action);
        Assert.Equal("Certificate", row.SubjectType);
        Assert.Null(row.ActorUserId);
        Assert.Equal("203.0.113.7", row.IpAddress);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, row.At);
        Assert.Equal(DateTimeKind.Utc, row.At.Kind);
        Assert.Contains("\"via\":\"page\"", row.Data);
        Assert.Contains("SchoolChecker/1.0", row.Data);
        // The code as typed, trimmed: a miss is on the record too.
        var miss = Assert.Single(await RowsAsync("ZZZZZZZZZZZZZZZZZZZZ"));
        Assert.Equal("verification.not-found", miss.Action);

        // By number and name: a miss is one row; a hit is recorded once, by the page the redirect leads to.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/verify/find?number=CFC-V-2026-876543&name=某人")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/verify/find?number={certificate.Number}&name=审计甲")).StatusCode);
        await FlushAsync();
        Assert.Equal("verification.not-found", Assert.Single(await RowsAsync("CFC-V-2026-876543")).Action);
        Assert.Equal(2, (await RowsAsync(certificate.Number)).Count(r => r.Action == "verification.valid"));
    }

    [Fact]
    public async Task PublicPage_SignedInPerson_IsTheVerifier_AndAnExpiredCertificateIsRecordedAsExpired()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("va-expired@example.cn", "审计乙");
        var checker = await _site.CreateUserAsync("va-checker@example.cn", "核验人");
        // The clock first: a session cookie from before would have expired.
        _site.Clock.SetUtcNow(certificate.ExpiresAt.AddDays(1));
        var browser = _site.CreateBrowserClient();
        await browser.SignInAsync("va-checker@example.cn");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/verify/{certificate.VerificationCode}")).StatusCode);
        await FlushAsync();

        var row = Assert.Single(await RowsAsync(certificate.Number));
        Assert.Equal("verification.expired", row.Action);
        Assert.Equal(checker.Id, row.ActorUserId);
    }

    [Fact]
    public async Task PartnerApi_TheClientIsTheVerifier_FoundAndNotFound()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("va-api@example.cn", "审计丙");
        var secret = await _site.RegisterMachineAsync("va-verifier", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("va-verifier", secret, PartnerScopes.CredentialsVerify);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/credentials/{certificate.Number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/credentials/CFC-V-2026-987654")).StatusCode);
        await FlushAsync();

        var row = Assert.Single(await RowsAsync(certificate.Number));
        Assert.Equal("verification.valid", row.Action);
        Assert.Equal("client:va-verifier", row.ActorUserId);
        Assert.Contains("\"via\":\"api\"", row.Data);
        var miss = Assert.Single(await RowsAsync("CFC-V-2026-987654"));
        Assert.Equal(("verification.not-found", "client:va-verifier"), (miss.Action, miss.ActorUserId));
    }

    [Fact]
    public async Task HoursCertificatePage_OneRowPerVerification()
    {
        var holder = await _site.CreateUserAsync("va-hours@example.cn", "审计丁");
        var now = _site.Clock.GetUtcNow().UtcDateTime;
        await _site.WithDbAsync(async db =>
        {
            db.HoursCertificates.Add(new HoursCertificate
            {
                Number = "SH-2026-777001", VerificationCode = "HVRSAVD1TTEST0000001", UserId = holder.Id, From = new DateOnly(2026, 1, 1),
                To = new DateOnly(2026, 2, 1), TotalMinutes = 120, RecordCount = 1, ActivityCount = 1, CommunitiesZh = "测试社区",
                CommunitiesEn = "Test", StreetsZh = "测试街道", StreetsEn = "Test", RecordIds = "", IssuedAt = now,
            });
            return await db.SaveChangesAsync();
        });
        var school = _site.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await school.GetAsync("/verify/hours/HVRSAVD1TTEST0000001")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync("/verify/hours/HVRSAVD1TTEST0000009")).StatusCode);
        await FlushAsync();

        var row = Assert.Single(await RowsAsync("SH-2026-777001"));
        Assert.Equal(("verification.valid", "HoursCertificate", null), (row.Action, row.SubjectType, row.ActorUserId));
        Assert.Contains("\"via\":\"hours\"", row.Data);
        Assert.Equal("verification.not-found", Assert.Single(await RowsAsync("HVRSAVD1TTEST0000009")).Action);
    }

    [Fact]
    public async Task OpenBadges_StatusEndpointAndPastedBadge_AreRecorded()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("va-badge@example.cn", "审计戊");

        Assert.Equal(HttpStatusCode.OK, (await _site.CreateClient().GetAsync($"/ob/status/{certificate.VerificationCode}")).StatusCode);
        var pasted = await _site.CreateBrowserClient().SubmitAsync("/verify/credential", "/verify/credential", [new("Credential", "not.a.badge")]);
        Assert.Equal(HttpStatusCode.OK, pasted.StatusCode);
        await FlushAsync();

        var row = Assert.Single(await RowsAsync(certificate.Number));
        Assert.Equal("verification.valid", row.Action);
        Assert.Contains("\"via\":\"badge\"", row.Data);
        Assert.Equal("verification.invalid", Assert.Single(await RowsAsync("not.a.badge")).Action);
    }

    [Fact]
    public async Task ManagerVerification_TheManagerIsTheVerifier()
    {
        var (_, certificate, community) = await _site.CertifiedAsync("va-mgr-holder@example.cn", "审计己");
        var manager = await _site.ManagerOfAsync("va-manager@example.cn", community);
        var managerId = await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "va-manager@example.cn").Select(u => u.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/manage/verify?number={certificate.Number}")).StatusCode);
        await FlushAsync();

        var row = Assert.Single(await RowsAsync(certificate.Number));
        Assert.Equal(("verification.valid", managerId), (row.Action, row.ActorUserId));
        Assert.Contains("\"via\":\"manager\"", row.Data);

        // A bulk upload: one row per number checked (a malformed line is not a verification).
        var page = await manager.GetDocumentAsync("/manage/verify/bulk");
        var form = new MultipartFormDataContent
        {
            { new StringContent(page.AntiforgeryToken()), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"证书编号\n{certificate.Number}\nnot-a-number\nCFC-V-2026-888777\n")), "file", "staff.csv" },
        };
        Assert.Equal(HttpStatusCode.OK, (await manager.PostAsync("/manage/verify/bulk", form)).StatusCode);
        await FlushAsync();

        var rows = await RowsAsync(certificate.Number);
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Action == "verification.valid" && r.ActorUserId == managerId && r.Data!.Contains("\"via\":\"bulk\""));
        var bulkMiss = Assert.Single(await RowsAsync("CFC-V-2026-888777"));
        Assert.Equal(("verification.not-found", managerId), (bulkMiss.Action, bulkMiss.ActorUserId));
        Assert.Empty(await RowsAsync("not-a-number"));
    }

    [Fact]
    public async Task TwoHundredConcurrentPageVerifications_TwoHundredRows()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("va-many@example.cn", "审计庚");
        var client = _site.CreateClient();

        // All 200 at once on SQLite. A PostgreSQL server shared with other test runs has about 100 connection slots in all,
        // which 200 page reads at once would exhaust before the audit writer is reached: 40 in flight there.
        using var inFlight = new SemaphoreSlim(_site.Provider == DatabaseProvider.Postgres ? 40 : 200);
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            await inFlight.WaitAsync();
            try
            {
                return await client.GetAsync($"/verify/{certificate.VerificationCode}");
            }
            finally
            {
                inFlight.Release();
            }
        }));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await FlushAsync();

        Assert.Equal(200, (await RowsAsync(certificate.Number)).Count(r => r.Action == "verification.valid"));
        Assert.Equal(0, _site.Services.GetRequiredService<VerificationLog>().Pending);
    }

    [Fact]
    public async Task TheAdminViewer_ListsVerifications_AndFiltersByCertificateResultVerifierAndDate()
    {
        var (_, certificate, _) = await _site.CertifiedAsync("va-viewer-holder@example.cn", "审计辛");
        var secret = await _site.RegisterMachineAsync("va-viewer-client", [PartnerScopes.CredentialsVerify]);
        var api = await _site.ApiClientAsync("va-viewer-client", secret, PartnerScopes.CredentialsVerify);
        await _site.CreateClient().GetAsync($"/verify/{certificate.VerificationCode}");
        await _site.CreateClient().GetAsync($"/verify/{certificate.VerificationCode}");
        await api.GetAsync($"/api/v1/credentials/{certificate.Number}");
        await _site.CreateClient().GetAsync("/verify/VQQQQQQQQQQQQQQQQQQQ");
        await FlushAsync();
        await _site.CreateUserAsync("va-viewer-admin@example.cn", roles: Roles.Admin);
        var admin = _site.CreateBrowserClient();
        await admin.SignInAsync("va-viewer-admin@example.cn");

        // Issuing the certificate is on the record under its number too: count the verifications.
        static int Rows(AngleSharp.Html.Dom.IHtmlDocument page) =>
            page.QuerySelectorAll("table.audit tbody tr code").Count(c => c.TextContent.StartsWith("verification.", StringComparison.Ordinal));
        var byNumber = await admin.GetDocumentAsync($"/admin/audit?what={certificate.Number}");
        Assert.Equal(3, Rows(byNumber));
        Assert.Contains("verification.valid", byNumber.QuerySelector("table.audit tbody")!.TextContent);
        Assert.Contains("\"via\":\"api\"", byNumber.QuerySelector("table.audit tbody")!.TextContent);
        Assert.Equal(1, Rows(await admin.GetDocumentAsync("/admin/audit?who=client:va-viewer-client")));
        var missing = await admin.GetDocumentAsync("/admin/audit?what=verification.not-found");
        Assert.Contains("VQQQQQQQQQQQQQQQQQQQ", missing.QuerySelector("table.audit tbody")!.TextContent);
        Assert.DoesNotContain(certificate.Number, missing.QuerySelector("table.audit tbody")!.TextContent);
        var today = _site.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd");
        Assert.Equal(3, Rows(await admin.GetDocumentAsync($"/admin/audit?what={certificate.Number}&from={today}&to={today}")));
        var tomorrow = _site.Clock.GetUtcNow().UtcDateTime.AddDays(1).ToString("yyyy-MM-dd");
        Assert.Equal(0, Rows(await admin.GetDocumentAsync($"/admin/audit?what={certificate.Number}&from={tomorrow}")));
    }
}

/// <summary>The writer against a database that refuses it: a real SQLite write lock held by another connection.</summary>
public sealed class VerificationAuditFaultTests
{
    private static SiteFactory LockableSite() => new SiteFactory()
        .With("Database:BusyTimeoutSeconds", "1")
        .With("Audit:Verifications:RetryFirstMilliseconds", "100")
        .With("Audit:Verifications:RetryMaxSeconds", "1");

    [SqliteFact]
    public async Task DatabaseLocked_VerificationPagesStillAnswer_AndTheRowsAreWrittenOnceTheLockIsGone()
    {
        using var site = LockableSite();
        var (_, certificate, _) = await site.CertifiedAsync("va-locked@example.cn", "审计壬");
        var log = site.Services.GetRequiredService<VerificationLog>();
        var client = site.CreateClient();

        await using (await SqliteWriteLock.TakeAsync(site.DatabasePath))
        {
            for (var i = 0; i < 5; i++)
            {
                // Reads go on beside the lock (WAL) and the request never writes: a write would have met the lock and
                // answered 503 after the 1 s busy timeout.
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/verify/{certificate.VerificationCode}")).StatusCode);
            }
            // Past the busy timeout at least once: the writer has failed and is retrying, the entries still queued.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal(5, log.Pending);
        }
        await log.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, await site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "verification.valid" && e.SubjectId == certificate.Number)));
        Assert.Equal(0, log.Pending);
    }

    [SqliteFact]
    public async Task Shutdown_WritesEverythingStillQueued()
    {
        using var site = LockableSite();
        var (_, certificate, _) = await site.CertifiedAsync("va-stop@example.cn", "审计癸");
        var log = site.Services.GetRequiredService<VerificationLog>();
        var writer = site.Services.GetRequiredService<VerificationLogWriter>();
        var client = site.CreateClient();

        Task stopped;
        await using (await SqliteWriteLock.TakeAsync(site.DatabasePath))
        {
            for (var i = 0; i < 7; i++)
            {
                await client.GetAsync($"/verify/{certificate.VerificationCode}");
            }
            Assert.Equal(7, log.Pending);
            // The host stops while the database still refuses the writer: stopping waits for the queue.
            stopped = writer.StopAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(stopped.IsCompleted, "stopping must wait until the queued entries are written");
        }
        await stopped.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(7, await site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "verification.valid" && e.SubjectId == certificate.Number)));
        Assert.Equal(0, log.Pending);
    }

    [Fact]
    public async Task Shutdown_AfterABurst_NothingIsLeftBehind()
    {
        using var site = new SiteFactory();
        var (_, certificate, _) = await site.CertifiedAsync("va-burst@example.cn", "审计子");
        var client = site.CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync($"/verify/{certificate.VerificationCode}")));
        await site.Services.GetRequiredService<VerificationLogWriter>().StopAsync(CancellationToken.None);

        Assert.Equal(50, await site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "verification.valid" && e.SubjectId == certificate.Number)));
    }
}
