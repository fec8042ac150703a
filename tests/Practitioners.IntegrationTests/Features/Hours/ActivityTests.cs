using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Hours;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>Creating activities, the credential gate, capacity, overlaps, and the safeguarding warning.</summary>
public sealed class ActivityTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public ActivityTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task SignUp_NeedsAValidCredentialOfTheRole_AndStopsAtCapacity_RecordingNothingWhenRefused()
    {
        var community = await _site.CreateCommunityAsync("act-gate");
        var manager = await _site.ManagerOfAsync("mgr-gate@example.cn", community.Id);
        var day = _site.Day();
        var (activityId, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "周末读书会", day, "09:00", "12:00", capacity: 1));
        Assert.NotEqual(0, activityId);

        // Trained but not signed: no certificate yet.
        var (uncertified, _, _) = await _site.TrainedAsync("gate-none@example.cn", RoleTrack.Volunteer, "未持证", communityCode: "act-gate");
        var none = _site.CreateBrowserClient();
        await none.SignInAsync("gate-none@example.cn");
        var refused = await none.SignUpForAsync(activityId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("有效资质", await refused.Content.ReadAsStringAsync());

        // A researcher's credential is not a volunteer's.
        var (researcher, _) = await _site.CertifiedAsync("gate-r@example.cn", "研究员", "act-gate", RoleTrack.Researcher);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await researcher.SignUpForAsync(activityId)).StatusCode);

        var (first, firstUser) = await _site.CertifiedAsync("gate-v1@example.cn", "志愿者甲", "act-gate");
        var ok = await first.SignUpForAsync(activityId);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("报名成功", await ok.Content.ReadAsStringAsync());

        var (second, _) = await _site.CertifiedAsync("gate-v2@example.cn", "志愿者乙", "act-gate");
        var full = await second.SignUpForAsync(activityId);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, full.StatusCode);
        Assert.Contains("名额已满", await full.Content.ReadAsStringAsync());

        var rows = await _site.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == activityId).Select(s => s.UserId).ToListAsync());
        Assert.Equal([firstUser.Id], rows);
        Assert.DoesNotContain(uncertified.Id, rows);

        // Cancelling frees the place for the next person.
        await first.SubmitAsync("/activities", $"/activities/{activityId}/cancel", []);
        Assert.Equal(HttpStatusCode.OK, (await second.SignUpForAsync(activityId)).StatusCode);
        Assert.Equal(1, await _site.WithDbAsync(db => db.SignUps.CountAsync(s => s.ActivityId == activityId && s.CancelledAt == null)));
    }

    [Fact]
    public async Task SignUp_ForAnOverlappingActivity_IsRefused()
    {
        var community = await _site.CreateCommunityAsync("act-overlap");
        var manager = await _site.ManagerOfAsync("mgr-overlap@example.cn", community.Id);
        var day = _site.Day();
        var (morning, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "上午活动", day, "09:00", "12:00"));
        var (lunch, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "午间活动", day, "11:30", "13:30"));
        var (afternoon, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "下午活动", day, "12:00", "15:00"));
        var (volunteer, user) = await _site.CertifiedAsync("overlap@example.cn", "重叠", "act-overlap");

        Assert.Equal(HttpStatusCode.OK, (await volunteer.SignUpForAsync(morning)).StatusCode);
        var clash = await volunteer.SignUpForAsync(lunch);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, clash.StatusCode);
        Assert.Contains("同一时间", await clash.Content.ReadAsStringAsync());
        // Back to back is not an overlap.
        Assert.Equal(HttpStatusCode.OK, (await volunteer.SignUpForAsync(afternoon)).StatusCode);
        Assert.Equal([morning, afternoon], await _site.WithDbAsync(db => db.SignUps.Where(s => s.UserId == user.Id).OrderBy(s => s.ActivityId).Select(s => s.ActivityId).ToListAsync()));
    }

    [Fact]
    public async Task ActivityWithYoungChildren_WarnsUntilAServiceProviderIsOnTheRoster()
    {
        var community = await _site.CreateCommunityAsync("act-children");
        var manager = await _site.ManagerOfAsync("mgr-children@example.cn", community.Id);
        var (id, created) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "亲子手工", _site.Day(), "14:00", "16:00", childrenUnder: 6));
        Assert.Contains("还没有专业服务人员", await created.Content.ReadAsStringAsync());

        var (provider, _) = await _site.CertifiedAsync("children-p@example.cn", "社工", "act-children", RoleTrack.ServiceProvider, manager);
        // The provider signs up on their P credential although the activity asks for volunteers.
        Assert.Equal(HttpStatusCode.OK, (await provider.SignUpForAsync(id)).StatusCode);
        var page = await manager.GetStringAsync($"/organise/{id}");
        Assert.DoesNotContain("还没有专业服务人员", page);
    }

    [Fact]
    public async Task ActivityForm_RefusesEndBeforeStart_AndAStartInThePast()
    {
        var community = await _site.CreateCommunityAsync("act-form");
        var manager = await _site.ManagerOfAsync("mgr-form@example.cn", community.Id);
        var (backwards, r1) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "倒序", _site.Day(), "12:00", "09:00"));
        var (past, r2) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "过去", _site.Day(-3), "09:00", "10:00"));
        Assert.Equal(0, backwards);
        Assert.Equal(0, past);
        Assert.Contains("结束时间必须晚于开始时间", await r1.Content.ReadAsStringAsync());
        Assert.Contains("开始时间必须在将来", await r2.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.Activities.AnyAsync(a => a.CommunityId == community.Id)));
    }

    [Fact]
    public async Task DelegatedProvider_OrganisesTheCommunitysActivities_UntilRevoked()
    {
        var community = await _site.CreateCommunityAsync("act-delegate");
        var manager = await _site.ManagerOfAsync("mgr-delegate@example.cn", community.Id);
        var (provider, providerUser) = await _site.CertifiedAsync("delegate-p@example.cn", "社工甲", "act-delegate", RoleTrack.ServiceProvider, manager);
        var (volunteer, _) = await _site.CertifiedAsync("delegate-v@example.cn", "志愿者", "act-delegate");

        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync("/organise/new")).StatusCode);
        // Only a valid service provider can be delegated.
        var wrong = await manager.SubmitAsync("/manage/hours/organisers", "/manage/hours/organisers",
            [new("CommunityId", community.Id.ToString()), new("Email", "delegate-v@example.cn")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        await manager.SubmitAsync("/manage/hours/organisers", "/manage/hours/organisers",
            [new("CommunityId", community.Id.ToString()), new("Email", "delegate-p@example.cn")]);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "organiser.delegated" && e.SubjectId == community.Id.ToString())));

        var (id, _) = await provider.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "社工组织的活动", _site.Day(), "09:00", "11:00"));
        Assert.NotEqual(0, id);
        Assert.Equal(HttpStatusCode.OK, (await volunteer.SignUpForAsync(id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/organise/{id}")).StatusCode);
        // Approving hours stays with managers.
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.GetAsync("/manage/hours")).StatusCode);

        var delegationId = await _site.WithDbAsync(db => db.OrganiserDelegations.Where(d => d.UserId == providerUser.Id).Select(d => d.Id).SingleAsync());
        await manager.SubmitAsync("/manage/hours/organisers", $"/manage/hours/organisers/{delegationId}/revoke", []);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/organise/{id}")).StatusCode);
    }
}
