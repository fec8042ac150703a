using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;

namespace Practitioners.IntegrationTests.Features.Agreements;

public sealed class CountersignTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public CountersignTests(SiteFactory site) => _site = site;

    private async Task<HttpClient> ManagerAsync(string email, string name, int communityId)
    {
        await _site.CreateUserAsync(email, name, roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == email).Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        return client;
    }

    private async Task<(int AdmissionId, long SignatureId, int CommunityId)> ProviderSignedAsync(string email, string name)
    {
        var (_, admissionId, communityId) = await _site.TrainedAsync(email, RoleTrack.ServiceProvider, name);
        var provider = _site.CreateBrowserClient();
        await provider.SignInAsync(email);
        var signed = await provider.SignAsync(admissionId, name);
        Assert.Contains("等待社区管理员会签", await signed.Content.ReadAsStringAsync());
        var signatureId = await _site.WithDbAsync(db => db.Signatures.Where(s => s.AdmissionId == admissionId).Select(s => s.Id).SingleAsync());
        return (admissionId, signatureId, communityId);
    }

    [Fact]
    public async Task ProviderAgreement_IsNotComplete_UntilTheirManagerCountersigns()
    {
        var (admissionId, signatureId, communityId) = await ProviderSignedAsync("provider-cs@example.cn", "张伟");
        Assert.Equal(AdmissionState.AwaitingSignature, await StateOf(admissionId));
        var manager = await ManagerAsync("mgr-cs@example.cn", "王芳", communityId);

        var queue = await manager.GetStringAsync("/manage");
        Assert.Contains($"/manage/countersign/{signatureId}", queue);
        var response = await manager.SubmitAsync($"/manage/countersign/{signatureId}", $"/manage/countersign/{signatureId}",
            [new("TypedName", "王芳"), new("Approve", "true")]);

        Assert.Contains("已会签", await response.Content.ReadAsStringAsync());
        Assert.Equal(AdmissionState.Active, await StateOf(admissionId));
        var countersignature = await _site.WithDbAsync(db => db.Signatures.SingleAsync(s => s.ForSignatureId == signatureId));
        Assert.Equal((SignatureRole.Countersigner, false, "王芳"), (countersignature.Role, countersignature.Declined, countersignature.TypedName));
        var mail = await _site.Smtp.WaitForAsync("provider-cs@example.cn", m => m.Subject == "你的协议已会签");
        Assert.Contains("专业服务人员准入协议", mail.TextBody);
    }

    [Fact]
    public async Task ManagerOfAnotherCommunity_CannotSeeOrCountersign()
    {
        var (admissionId, signatureId, _) = await ProviderSignedAsync("provider-other@example.cn", "陈明");
        var elsewhere = await _site.CreateCommunityAsync("c-elsewhere");
        var outsider = await ManagerAsync("mgr-outsider@example.cn", "赵磊", elsewhere.Id);

        Assert.DoesNotContain($"/manage/countersign/{signatureId}", await outsider.GetStringAsync("/manage"));
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/manage/countersign/{signatureId}")).StatusCode);
        var token = (await outsider.GetDocumentAsync("/manage")).AntiforgeryToken();
        var post = await outsider.PostAsync($"/manage/countersign/{signatureId}", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("TypedName", "赵磊"), new("Approve", "true")]));

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.False(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.ForSignatureId == signatureId)));
        Assert.Equal(AdmissionState.AwaitingSignature, await StateOf(admissionId));
    }

    [Fact]
    public async Task Decline_NeedsAReason_TellsTheSigner_AndTheyCanSignAgain()
    {
        var (admissionId, signatureId, communityId) = await ProviderSignedAsync("provider-decline@example.cn", "刘洋");
        var manager = await ManagerAsync("mgr-decline@example.cn", "陈静", communityId);

        var noReason = await manager.SubmitAsync($"/manage/countersign/{signatureId}", $"/manage/countersign/{signatureId}",
            [new("TypedName", "陈静"), new("Approve", "false")]);
        Assert.Contains("请填写原因", await noReason.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.ForSignatureId == signatureId)));

        await manager.SubmitAsync($"/manage/countersign/{signatureId}", $"/manage/countersign/{signatureId}",
            [new("TypedName", "陈静"), new("Approve", "false"), new("Reason", "证书编号与登记不符")]);

        var mail = await _site.Smtp.WaitForAsync("provider-decline@example.cn", m => m.Subject == "你的协议未通过会签");
        Assert.Contains("证书编号与登记不符", mail.TextBody);
        var provider = _site.CreateBrowserClient();
        await provider.SignInAsync("provider-decline@example.cn");
        var dashboard = await provider.GetStringAsync("/me");
        Assert.Contains("证书编号与登记不符", dashboard);
        Assert.Contains($"/agreements/sign/{admissionId}", dashboard);

        await provider.SignAsync(admissionId, "刘洋");
        Assert.Equal(2, await _site.WithDbAsync(db => db.Signatures.CountAsync(s => s.AdmissionId == admissionId)));
    }

    private Task<AdmissionState> StateOf(int admissionId) =>
        _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admissionId).Select(a => a.State).SingleAsync());
}
