using System.Net;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;

namespace Practitioners.IntegrationTests.Features.Agreements;

public sealed class SigningTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public SigningTests(SiteFactory site) => _site = site;

    private Task<AdmissionState> StateAsync(int admissionId) =>
        _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admissionId).Select(a => a.State).SingleAsync());

    [Fact]
    public async Task Volunteer_SignsWithFullEvidence_AndTheAdmissionBecomesActive()
    {
        var (user, admissionId, _) = await _site.TrainedAsync("signer@example.cn", RoleTrack.Volunteer, "李小雨");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("signer@example.cn");
        Assert.Equal(AdmissionState.AwaitingSignature, await StateAsync(admissionId));

        var page = await client.GetStringAsync($"/agreements/sign/{admissionId}");
        Assert.Contains("志愿者行为守则", page);
        var response = await client.SignAsync(admissionId, "李小雨");

        Assert.Contains("协议已签署", await response.Content.ReadAsStringAsync());
        Assert.Equal(AdmissionState.Active, await StateAsync(admissionId));
        var signature = await _site.WithDbAsync(db => db.Signatures.SingleAsync(s => s.AdmissionId == admissionId));
        var text = await _site.WithDbAsync(db => db.AgreementVersions.Where(v => v.AgreementId == signature.AgreementId && v.Version == signature.Version).Select(v => v.TextZh).SingleAsync());
        Assert.Equal(("volunteer-code-of-conduct", 1, "zh-CN", "李小雨"), (signature.AgreementId, signature.Version, signature.Language, signature.TypedName));
        Assert.Equal(AgreementRules.Hash(text), signature.TextHash);
        Assert.Equal(_site.Clock.GetUtcNow().UtcDateTime, signature.SignedAt);
        Assert.Equal("203.0.113.7", signature.IpAddress);
        Assert.Equal("PractitionersTests/1.0", signature.UserAgent);
        Assert.Equal(user.Id, signature.UserId);
    }

    [Fact]
    public async Task WrongName_StalePage_AndNoConsent_AreRefused_WithNothingRecorded()
    {
        var (_, admissionId, _) = await _site.TrainedAsync("refused@example.cn", RoleTrack.Volunteer, "王小明");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("refused@example.cn");

        var wrongName = await client.SignAsync(admissionId, "王大明");
        Assert.Contains("输入的姓名与记录不一致，请输入：王小明", await wrongName.Content.ReadAsStringAsync());

        var page = await client.GetDocumentAsync($"/agreements/sign/{admissionId}");
        var stale = await client.PostAsync($"/agreements/sign/{admissionId}", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", page.AntiforgeryToken()), new("Version", "1"), new("Language", "zh-CN"),
            new("TextHash", AgreementRules.Hash("an older text")), new("TypedName", "王小明"), new("Consent", "true"),
        ]));
        Assert.Contains("协议在你打开页面后更新了", await stale.Content.ReadAsStringAsync());

        page = await client.GetDocumentAsync($"/agreements/sign/{admissionId}");
        var noConsent = await client.PostAsync($"/agreements/sign/{admissionId}", new FormUrlEncodedContent(
            page.QuerySelectorAll("form[action^='/agreements/sign'] input[type=hidden]")
                .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
                .Append(new("TypedName", "王小明"))));
        Assert.Contains("请勾选确认后再签署", await noConsent.Content.ReadAsStringAsync());

        Assert.False(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.AdmissionId == admissionId)));
        Assert.Equal(AdmissionState.AwaitingSignature, await StateAsync(admissionId));
    }

    [Fact]
    public async Task SigningBeforeTheTrainingIsDone_IsNotOffered()
    {
        var community = await _site.CreateCommunityAsync("c-early");
        var user = await _site.CreateUserAsync("early@example.cn", "赵六");
        var admissionId = await _site.WithDbAsync(async db =>
        {
            var a = Admission.Apply(user.Id, community.Id, RoleTrack.Volunteer, _site.Clock.GetUtcNow().UtcDateTime);
            db.Admissions.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("early@example.cn");

        var response = await client.SignAsync(admissionId, "赵六");

        Assert.Contains("这份协议现在不需要签署", await response.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.AdmissionId == admissionId)));
    }

    [Fact]
    public async Task AnotherPersonsAdmission_IsNotFound()
    {
        var (_, admissionId, _) = await _site.TrainedAsync("owner-sign@example.cn", RoleTrack.Volunteer, "甲");
        await _site.CreateUserAsync("intruder@example.cn", "乙");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("intruder@example.cn");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/agreements/sign/{admissionId}")).StatusCode);
    }

    [Fact]
    public async Task Signatures_AreAppendOnly_InTheDatabase()
    {
        var (_, admissionId, _) = await _site.TrainedAsync("append@example.cn", RoleTrack.Volunteer, "孙七");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("append@example.cn");
        await client.SignAsync(admissionId, "孙七");
        var id = await _site.WithDbAsync(db => db.Signatures.Where(s => s.AdmissionId == admissionId).Select(s => s.Id).SingleAsync());

        var update = await Assert.ThrowsAnyAsync<DbException>(() => _site.WithDbAsync(db =>
            db.Database.ExecuteSqlAsync($"UPDATE \"Signatures\" SET \"TypedName\" = 'someone else' WHERE \"Id\" = {id}")));
        var delete = await Assert.ThrowsAnyAsync<DbException>(() => _site.WithDbAsync(db =>
            db.Database.ExecuteSqlAsync($"DELETE FROM \"Signatures\" WHERE \"Id\" = {id}")));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("孙七", await _site.WithDbAsync(db => db.Signatures.Where(s => s.Id == id).Select(s => s.TypedName).SingleAsync()));
    }

    [Fact]
    public async Task CommunityThatAsksForApproval_WaitsForTheManager_WhoApproves()
    {
        var (_, admissionId, communityId) = await _site.TrainedAsync("approve-me@example.cn", RoleTrack.Volunteer, "周八", requiresApproval: true);
        await _site.CreateUserAsync("mgr-approve@example.cn", "管理员甲", roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "mgr-approve@example.cn").Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
        var volunteer = _site.CreateBrowserClient();
        await volunteer.SignInAsync("approve-me@example.cn");
        await volunteer.SignAsync(admissionId, "周八");
        Assert.Equal(AdmissionState.AwaitingApproval, await StateAsync(admissionId));

        var manager = _site.CreateBrowserClient();
        await manager.SignInAsync("mgr-approve@example.cn");
        var queue = await manager.GetDocumentAsync("/manage");
        Assert.NotNull(queue.QuerySelector($".approval[data-admission='{admissionId}']"));
        await manager.SubmitAsync("/manage", $"/manage/admissions/{admissionId}/decision", [new("Approve", "true")]);

        Assert.Equal(AdmissionState.Active, await StateAsync(admissionId));
    }
}
