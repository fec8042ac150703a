using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;

namespace Practitioners.IntegrationTests.Features.Agreements;

public sealed class GuardianTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public GuardianTests(SiteFactory site) => _site = site;

    private async Task<(int AdmissionId, string Link)> MinorSignedAsync(string email, string guardianEmail)
    {
        var sixteen = DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime).AddYears(-16);
        var (_, admissionId, _) = await _site.TrainedAsync(email, RoleTrack.Volunteer, "林小雨", dateOfBirth: sixteen);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);

        var withoutGuardian = await client.SignAsync(admissionId, "林小雨");
        Assert.Contains("请填写监护人姓名", await withoutGuardian.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.AdmissionId == admissionId)));

        var signed = await client.SignAsync(admissionId, "林小雨",
            new("GuardianName", "林建国"), new("GuardianRelation", "父亲"), new("GuardianEmail", guardianEmail));
        Assert.Contains("已给监护人发送共同签署的邮件", await signed.Content.ReadAsStringAsync());
        var mail = await _site.Smtp.WaitForAsync(guardianEmail);
        Assert.Contains("林小雨", mail.Subject);
        return (admissionId, mail.LinkTo("/agreements/guardian/"));
    }

    private Task<AdmissionState> StateOf(int admissionId) =>
        _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admissionId).Select(a => a.State).SingleAsync());

    private static async Task<HttpResponseMessage> CoSignAsync(HttpClient guardian, string link, string name)
    {
        var page = await guardian.GetDocumentAsync(link);
        var fields = page.QuerySelectorAll("form[action^='/agreements/guardian'] input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat([new("TypedName", name), new("Consent", "true")]);
        return await guardian.PostAsync(link, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Under18_IsNotComplete_UntilTheGuardianCoSigns_FromTheEmailWithoutAnAccount()
    {
        var (admissionId, link) = await MinorSignedAsync("minor@example.cn", "dad@example.cn");
        Assert.Equal(AdmissionState.AwaitingSignature, await StateOf(admissionId));
        var guardian = _site.CreateBrowserClient();

        var wrongName = await CoSignAsync(guardian, link, "林小雨");
        var wrongHtml = await wrongName.Content.ReadAsStringAsync();
        Assert.True(wrongHtml.Contains("输入的姓名与记录不一致"), wrongHtml[wrongHtml.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.Contains("输入的姓名与记录不一致，请输入：林建国", await wrongName.Content.ReadAsStringAsync());

        var done = await CoSignAsync(guardian, link, "林建国");
        Assert.Contains("共同签署已完成", await done.Content.ReadAsStringAsync());
        Assert.Equal(AdmissionState.Active, await StateOf(admissionId));
        var coSignature = await _site.WithDbAsync(db => db.Signatures.SingleAsync(s => s.Role == SignatureRole.Guardian
            && db.Signatures.Any(h => h.Id == s.ForSignatureId && h.AdmissionId == admissionId)));
        Assert.Equal(("林建国", "父亲", "dad@example.cn"), (coSignature.TypedName, coSignature.GuardianRelation, coSignature.GuardianEmail));
        Assert.Null(coSignature.UserId);
        Assert.Equal(64, coSignature.TextHash.Length);
    }

    [Fact]
    public async Task GuardianLink_WorksOnce()
    {
        var (_, link) = await MinorSignedAsync("minor-once@example.cn", "mum@example.cn");
        var guardian = _site.CreateBrowserClient();
        var page = await guardian.GetDocumentAsync(link);
        var fields = page.QuerySelectorAll("form[action^='/agreements/guardian'] input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat([new("TypedName", "林建国"), new("Consent", "true")]).ToList();

        await guardian.PostAsync(link, new FormUrlEncodedContent(fields));
        var replay = await guardian.PostAsync(link, new FormUrlEncodedContent(fields));

        Assert.Contains("这个链接已经使用过", await replay.Content.ReadAsStringAsync());
        Assert.Contains("这个链接已经使用过", await guardian.GetStringAsync(link));
        Assert.Equal(1, await _site.WithDbAsync(db => db.Signatures.CountAsync(s => s.Role == SignatureRole.Guardian && s.GuardianEmail == "mum@example.cn")));
    }

    [Fact]
    public async Task GuardianLink_Expires_AndAMadeUpLinkIsRefused()
    {
        var (admissionId, link) = await MinorSignedAsync("minor-late@example.cn", "late@example.cn");
        var guardian = _site.CreateBrowserClient();

        _site.Clock.Advance(GuardianInvitations.Lifetime + TimeSpan.FromMinutes(1));

        Assert.Contains("这个链接已过期", await guardian.GetStringAsync(link));
        var expired = await CoSignAsyncRaw(guardian, link);
        Assert.Contains("这个链接已过期", expired);
        Assert.Contains("这个链接无效", await guardian.GetStringAsync("/agreements/guardian/not-a-real-token"));
        Assert.Equal(AdmissionState.AwaitingSignature, await StateOf(admissionId));
    }

    private static async Task<string> CoSignAsyncRaw(HttpClient guardian, string link)
    {
        var page = await guardian.GetDocumentAsync("/account/sign-in");
        var response = await guardian.PostAsync(link, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", page.AntiforgeryToken()), new("TypedName", "林建国"), new("Consent", "true"),
             new("Version", "1"), new("Language", "zh-CN"), new("TextHash", "x")]));
        return await response.Content.ReadAsStringAsync();
    }
}
