using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using UglyToad.PdfPig;

namespace Practitioners.IntegrationTests.Features.Certificates;

public sealed class CertificateTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public CertificateTests(SiteFactory site) => _site = site;

    /// <summary>A volunteer who finished training signs the agreement and is certified.</summary>
    private async Task<(HttpClient Client, Certificate Certificate, int CommunityId)> CertifiedAsync(string email, string name)
    {
        var (_, admissionId, communityId) = await _site.TrainedAsync(email, RoleTrack.Volunteer, name);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        await client.SignAsync(admissionId, name);
        var certificate = await _site.WithDbAsync(db => db.Certificates.AsNoTracking().Include(c => c.Events).SingleAsync(c => c.AdmissionId == admissionId));
        return (client, certificate, communityId);
    }

    private async Task<HttpClient> ManagerOfAsync(string email, int communityId)
    {
        await _site.CreateUserAsync(email, "管理员 " + email[..4], roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == email).Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        return client;
    }

    [Fact]
    public async Task SigningTheLastRequirement_IssuesOneCertificate_ForTheConfiguredValidity()
    {
        var (_, certificate, _) = await CertifiedAsync("issued@example.cn", "钱一");

        Assert.Matches(@"^CFC-V-2026-\d{6}$", certificate.Number);
        Assert.Equal(20, certificate.VerificationCode.Length);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, certificate.IssuedAt);
        Assert.Equal(certificate.IssuedAt.AddMonths(12), certificate.ExpiresAt);
        Assert.Equal([CertificateEventKind.Issued], certificate.Events.Select(e => e.Kind));
        Assert.Equal(AdmissionState.Active, await _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == certificate.AdmissionId).Select(a => a.State).SingleAsync()));
    }

    [Fact]
    public async Task TwoConcurrentIssues_ForOneAdmission_LeaveOneCertificate()
    {
        var (user, admissionId, _) = await _site.TrainedAsync("race@example.cn", RoleTrack.Researcher, "孙二");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await using var scope = _site.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var admission = await db.Admissions.SingleAsync(a => a.Id == admissionId);
            try
            {
                // Issuing runs inside the caller's write transaction, as every caller in the site does.
                await using var transaction = await db.Database.BeginTransactionAsync();
                await scope.ServiceProvider.GetRequiredService<IssueCertificate>().RunAsync(admission, user.Id, CancellationToken.None);
                var saved = await db.SaveChangesAsync();
                await transaction.CommitAsync();
                return saved > 0 ? "issued" : "none";
            }
            catch (DbUpdateException)
            {
                return "refused by the database";
            }
        })));

        Assert.Equal(1, await _site.WithDbAsync(db => db.Certificates.CountAsync(c => c.AdmissionId == admissionId)));
        Assert.Contains("issued", outcomes);
    }

    [Fact]
    public async Task ManagerSuspendsReinstatesAndRevokes_ThePublicPageFollows_AndTheHolderIsTold()
    {
        var (_, certificate, communityId) = await CertifiedAsync("status@example.cn", "周五");
        var manager = await ManagerOfAsync("mgr-status@example.cn", communityId);
        var page = $"/manage/certificates/{certificate.Number}";
        var verify = $"/verify/{certificate.VerificationCode}";
        var anonymous = _site.CreateBrowserClient();

        await manager.SubmitAsync(page, $"{page}/status", [new("Action", "Suspend"), new("Reason", "家长投诉，调查中")]);
        Assert.Equal("已暂停", (await anonymous.GetDocumentAsync(verify)).QuerySelector(".status-word")!.TextContent);
        Assert.DoesNotContain("家长投诉", await anonymous.GetStringAsync(verify));
        Assert.Contains("家长投诉", (await _site.Smtp.WaitForAsync("status@example.cn", m => m.Subject!.Contains("暂停"))).TextBody);
        Assert.Equal(AdmissionState.Suspended, await AdmissionStateAsync(certificate.AdmissionId));

        await manager.SubmitAsync(page, $"{page}/status", [new("Action", "Reinstate"), new("Reason", "调查结束，无问题")]);
        Assert.Equal("有效", (await anonymous.GetDocumentAsync(verify)).QuerySelector(".status-word")!.TextContent);
        Assert.Equal(AdmissionState.Active, await AdmissionStateAsync(certificate.AdmissionId));

        await manager.SubmitAsync(page, $"{page}/status", [new("Action", "Revoke"), new("Reason", "违反行为守则")]);
        var revoked = await anonymous.GetDocumentAsync(verify);
        Assert.Equal("已撤销", revoked.QuerySelector(".status-word")!.TextContent);
        Assert.Equal(["颁发", "暂停", "恢复", "撤销"], revoked.QuerySelectorAll(".history .event").Select(e => e.TextContent).ToArray());
        Assert.Equal(AdmissionState.Withdrawn, await AdmissionStateAsync(certificate.AdmissionId));

        var again = await manager.SubmitAsync(page, $"{page}/status", [new("Action", "Reinstate"), new("Reason", "undo")]);
        Assert.Contains("不允许这个操作", await again.Content.ReadAsStringAsync());
        Assert.Equal("已撤销", (await anonymous.GetDocumentAsync(verify)).QuerySelector(".status-word")!.TextContent);
    }

    [Fact]
    public async Task ManagerOfAnotherCommunity_CannotSeeOrChangeTheCertificate()
    {
        var (_, certificate, _) = await CertifiedAsync("scoped@example.cn", "吴六");
        var other = await _site.CreateCommunityAsync("c-other-cert");
        var outsider = await ManagerOfAsync("mgr-outside-cert@example.cn", other.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/manage/certificates/{certificate.Number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/certificates/{certificate.Number}/pdf")).StatusCode);
        var token = (await outsider.GetDocumentAsync("/manage")).AntiforgeryToken();
        var post = await outsider.PostAsync($"/manage/certificates/{certificate.Number}/status", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Action", "Revoke"), new("Reason", "x")]));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Null(await _site.WithDbAsync(db => db.Certificates.Where(c => c.Id == certificate.Id).Select(c => c.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task UnknownCodes_AreIndistinguishable()
    {
        var anonymous = _site.CreateBrowserClient();

        var wellFormed = await anonymous.GetAsync("/verify/" + CertificateCodes.NewVerificationCode());
        var garbage = await anonymous.GetAsync("/verify/%3Cscript%3E");
        var tooLong = await anonymous.GetAsync("/verify/" + new string('A', 60));

        Assert.All([wellFormed, garbage, tooLong], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var bodies = await Task.WhenAll(new[] { wellFormed, garbage, tooLong }.Select(async r =>
            // Only the echo of the requested path and the per-request form token may differ.
            System.Text.RegularExpressions.Regex.Replace(await r.Content.ReadAsStringAsync(), "name=\"(returnUrl|__RequestVerificationToken)\" (type=\"hidden\" )?value=\"[^\"]*\"", "")));
        Assert.Single(bodies.Distinct());
        Assert.Contains("没有找到这张证书", bodies[0]);
    }

    [Fact]
    public async Task LookupByNumber_NeedsTheHoldersName()
    {
        var (_, certificate, _) = await CertifiedAsync("bynumber@example.cn", "郑七");
        var anonymous = _site.CreateBrowserClient(followRedirects: false);

        var right = await anonymous.GetAsync($"/verify/find?Number={certificate.Number}&Name=郑七");
        var wrong = await anonymous.GetAsync($"/verify/find?Number={certificate.Number}&Name=别人");

        Assert.Equal($"/verify/{certificate.VerificationCode}", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
    }

    [Fact]
    public async Task Holder_DownloadsTheBilingualPdf_WithNameNumberDatesAndOneQrCode()
    {
        var (client, certificate, communityId) = await CertifiedAsync("pdf@example.cn", "李小雨");

        var response = await client.GetAsync($"/certificates/{certificate.Number}/pdf");

        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var page = Assert.Single(pdf.GetPages());
        Assert.True(page.Width > page.Height, "A4 landscape");
        var text = string.Join(" ", page.GetWords().Select(w => w.Text));
        Assert.Contains("李小雨", text);
        Assert.Contains(certificate.Number, text);
        Assert.Contains(certificate.IssuedAt.ToString("yyyy-MM-dd"), text);
        Assert.Contains(certificate.ExpiresAt.ToString("yyyy-MM-dd"), text);
        Assert.Single(page.GetImages());

        var manager = await ManagerOfAsync("mgr-pdf@example.cn", communityId);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/certificates/{certificate.Number}/pdf")).StatusCode);
        await _site.CreateUserAsync("nosy@example.cn");
        var nosy = _site.CreateBrowserClient();
        await nosy.SignInAsync("nosy@example.cn");
        Assert.Equal(HttpStatusCode.NotFound, (await nosy.GetAsync($"/certificates/{certificate.Number}/pdf")).StatusCode);
    }

    private Task<AdmissionState> AdmissionStateAsync(int admissionId) =>
        _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admissionId).Select(a => a.State).SingleAsync());
}
