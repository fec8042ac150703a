using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Admissions;

public sealed class StartRoleTrackTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public StartRoleTrackTests(SiteFactory site) => _site = site;

    private static KeyValuePair<string, string>[] VolunteerForm(int communityId, string dob = "2004-05-12") =>
    [
        new("CommunityId", communityId.ToString()), new("School", "师范大学"), new("StudentNumber", "2023010101"),
        new("Major", "社会工作"), new("ExpectedGraduationYear", "2027"), new("DateOfBirth", dob),
    ];

    [Fact]
    public async Task ConfirmedPerson_StartsTheVolunteerTrack_AndSeesAnAppliedAdmission()
    {
        var community = await _site.CreateCommunityAsync("c-start", requiresApproval: true);
        await _site.CreateUserAsync("start@example.cn", "王小明");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("start@example.cn");

        var chosen = await client.SubmitAsync("/tracks/start", "/tracks/start",
            [new("Track", "Volunteer"), new("CommunityId", community.Id.ToString())]);
        Assert.Equal($"/tracks/volunteer?community={community.Id}", chosen.RequestMessage!.RequestUri!.PathAndQuery);

        var started = await client.SubmitAsync(chosen.RequestMessage.RequestUri.PathAndQuery, "/tracks/volunteer", VolunteerForm(community.Id));
        var dashboard = await started.ParseAsync();

        Assert.Equal("/me", started.RequestMessage!.RequestUri!.AbsolutePath);
        var card = dashboard.QuerySelector(".admission")!;
        Assert.Contains("志愿者", card.TextContent);
        Assert.Contains("测试社区 c-start", card.TextContent);
        Assert.Contains("已申请", card.TextContent);
        Assert.Contains("社区管理员审核", card.TextContent);

        var admission = await _site.WithDbAsync(db => db.Admissions.Include(a => a.History).SingleAsync(a => a.CommunityId == community.Id));
        Assert.Equal(AdmissionState.Applied, admission.State);
        Assert.Single(admission.History);
        Assert.True(await _site.WithDbAsync(db => db.VolunteerProfiles.AnyAsync(p => p.UserId == admission.UserId && p.School == "师范大学")));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "admission.applied" && e.SubjectId == admission.Id.ToString())));
    }

    [Fact]
    public async Task UnconfirmedPerson_IsAskedToConfirm_AndNothingIsCreated()
    {
        var community = await _site.CreateCommunityAsync("c-unconfirmed");
        var user = await _site.CreateUserAsync("unconfirmed@example.cn", confirmed: false);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("unconfirmed@example.cn");

        var page = await client.GetStringAsync("/tracks/start");
        Assert.Contains("请先确认你的邮箱地址", page);

        // A hand-made post does not get round it either.
        var response = await client.SubmitAsync($"/tracks/volunteer?community={community.Id}", "/tracks/volunteer", VolunteerForm(community.Id));
        Assert.Contains("请先确认你的邮箱地址", await response.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.Admissions.AnyAsync(a => a.UserId == user.Id)));
        Assert.False(await _site.WithDbAsync(db => db.VolunteerProfiles.AnyAsync(p => p.UserId == user.Id)));
    }

    [Fact]
    public async Task UnknownCommunity_IsRefusedWithAClearMessage()
    {
        var user = await _site.CreateUserAsync("unknown-community@example.cn");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("unknown-community@example.cn");

        var chosen = await client.SubmitAsync("/tracks/start", "/tracks/start", [new("Track", "Volunteer"), new("CommunityId", "999999")]);
        Assert.Contains("找不到所选的社区", await chosen.Content.ReadAsStringAsync());

        var posted = await client.SubmitAsync("/tracks/start", "/tracks/volunteer", VolunteerForm(999999));
        Assert.Contains("找不到所选的社区", await posted.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.Admissions.AnyAsync(a => a.UserId == user.Id)));
    }

    [Fact]
    public async Task SameTrackAndCommunityTwice_IsRefused_OneAdmissionRemains()
    {
        var community = await _site.CreateCommunityAsync("c-twice");
        var user = await _site.CreateUserAsync("twice@example.cn");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("twice@example.cn");
        var page = $"/tracks/volunteer?community={community.Id}";

        await client.SubmitAsync(page, "/tracks/volunteer", VolunteerForm(community.Id));
        var second = await client.SubmitAsync(page, "/tracks/volunteer", VolunteerForm(community.Id));

        Assert.Contains("你已经在这个社区申请了这个角色", await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await _site.WithDbAsync(db => db.Admissions.CountAsync(a => a.UserId == user.Id)));
    }

    [Fact]
    public async Task ProfileFields_AreValidated_InThePersonsLanguage()
    {
        var community = await _site.CreateCommunityAsync("c-validate");
        var user = await _site.CreateUserAsync("validate@example.cn");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("validate@example.cn");

        var tooYoung = _site.Clock.GetUtcNow().AddYears(-10).ToString("yyyy-MM-dd");
        var response = await client.SubmitAsync($"/tracks/volunteer?community={community.Id}", "/tracks/volunteer",
            [new("CommunityId", community.Id.ToString()), new("School", ""), new("StudentNumber", "1"), new("Major", "x"),
             new("ExpectedGraduationYear", "abc"), new("DateOfBirth", tooYoung)]);
        var errors = (await response.ParseAsync()).FieldErrors().ToList();

        Assert.Contains("请填写学校。", errors);
        Assert.Contains(errors, e => e.Contains("不是有效的预计毕业年份"));
        Assert.Contains("志愿者须年满 14 周岁，请检查出生日期。", errors);
        Assert.False(await _site.WithDbAsync(db => db.Admissions.AnyAsync(a => a.UserId == user.Id)));
    }

    [Fact]
    public async Task ProviderTrack_RecordsTheLicence()
    {
        var community = await _site.CreateCommunityAsync("c-provider");
        var user = await _site.CreateUserAsync("provider@example.cn", "张伟");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("provider@example.cn");

        var response = await client.SubmitAsync($"/tracks/serviceprovider?community={community.Id}", "/tracks/serviceprovider",
            [new("CommunityId", community.Id.ToString()), new("Organisation", "阳光社工中心"), new("Profession", "社会工作者"),
             new("Employment", "PartTime"), new("LicenceType", "中级社会工作师"), new("LicenceNumber", "SW-2019-0042")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await _site.WithDbAsync(db => db.ProviderProfiles.SingleAsync(p => p.UserId == user.Id));
        Assert.Equal(Employment.PartTime, profile.Employment);
        Assert.Equal("SW-2019-0042", profile.LicenceNumber);
        Assert.True(await _site.WithDbAsync(db => db.Admissions.AnyAsync(a => a.UserId == user.Id && a.Track == RoleTrack.ServiceProvider)));
    }

    [Fact]
    public async Task Dashboard_RequiresSignIn()
    {
        var response = await _site.CreateBrowserClient(followRedirects: false).GetAsync("/me");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/sign-in", response.Headers.Location!.ToString());
    }
}
