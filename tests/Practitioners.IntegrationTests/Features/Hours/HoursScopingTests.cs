using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Hours;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>
/// Every organiser and hours endpoint, found from the site's endpoint list, is called by the manager of community A with
/// community B's activity, sign-up, hours record and delegation: each answers 403 or 404 and nothing changes. An endpoint
/// added without an entry here fails the test until someone decides how it is scoped.
/// </summary>
public sealed class HoursScopingTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public HoursScopingTests(SiteFactory site) => _site = site;

    /// <summary>Endpoints that act on no object of a community: what they list is checked below.</summary>
    private static readonly HashSet<string> NoObject = ["GET organise", "GET organise/new"];

    [Fact]
    public async Task ManagerOfA_GetsNothing_OfCommunityBsActivitiesAndHours()
    {
        var a = await _site.CreateCommunityAsync("hscope-a");
        var b = await _site.CreateCommunityAsync("hscope-b");
        var managerA = await _site.ManagerOfAsync("mgr-hscope-a@example.cn", a.Id, followRedirects: false);
        var managerB = await _site.ManagerOfAsync("mgr-hscope-b@example.cn", b.Id);
        var day = _site.Day();
        var (activityB, _) = await managerB.CreateActivityAsync(HoursJourneys.ActivityForm(b.Id, "乙社区专属活动", day, "09:00", "12:00"));
        var (volunteer, user) = await _site.CertifiedAsync("hscope-v@example.cn", "乙志愿者", "hscope-b");
        (await volunteer.SignUpForAsync(activityB)).EnsureSuccessStatusCode();
        var (_, provider) = await _site.CertifiedAsync("hscope-p@example.cn", "乙社工", "hscope-b", RoleTrack.ServiceProvider, managerB);
        await managerB.SubmitAsync("/manage/hours/organisers", "/manage/hours/organisers", [new("CommunityId", b.Id.ToString()), new("Email", "hscope-p@example.cn")]);
        var delegationId = await _site.WithDbAsync(db => db.OrganiserDelegations.Where(d => d.UserId == provider.Id).Select(d => d.Id).SingleAsync());
        await _site.MoveToAsync(day, "12:30", [(managerB, "mgr-hscope-b@example.cn"), (managerA, "mgr-hscope-a@example.cn")]);
        var signUpId = await _site.SignUpIdAsync(activityB, user.Id);
        (await managerB.AttendAsync(activityB, signUpId, false, "09:00")).EnsureSuccessStatusCode();
        // A second sign-up nobody has checked in yet; attendance refusals would answer 422, not 404.
        var (volunteer2, user2) = await _site.CertifiedAsync("hscope-v2@example.cn", "乙志愿者二", "hscope-b");
        var (activityB2, _) = await managerB.CreateActivityAsync(HoursJourneys.ActivityForm(b.Id, "乙社区第二场", day.AddDays(1), "09:00", "12:00"));
        (await volunteer2.SignUpForAsync(activityB2)).EnsureSuccessStatusCode();
        (await managerB.AttendAsync(activityB, signUpId, true, "12:00")).EnsureSuccessStatusCode();
        var recordId = await _site.WithDbAsync(db => db.HoursRecords.Where(h => h.UserId == user.Id).Select(h => h.Id).SingleAsync());
        var signUp2 = await _site.SignUpIdAsync(activityB2, user2.Id);

        var urls = new Dictionary<string, string>
        {
            ["POST organise/new"] = "/organise/new",
            ["GET organise/{id:int}"] = $"/organise/{activityB}",
            ["POST organise/{id:int}/check-in/{signUpId:int}"] = $"/organise/{activityB2}/check-in/{signUp2}",
            ["POST organise/{id:int}/check-out/{signUpId:int}"] = $"/organise/{activityB}/check-out/{signUpId}",
            ["GET manage/hours"] = $"/manage/hours?community={b.Id}",
            ["POST manage/hours/approve"] = "/manage/hours/approve",
            ["GET manage/hours/{id:long}"] = $"/manage/hours/{recordId}",
            ["POST manage/hours/{id:long}/adjust"] = $"/manage/hours/{recordId}/adjust",
            ["POST manage/hours/{id:long}/reject"] = $"/manage/hours/{recordId}/reject",
            ["GET manage/hours/export"] = $"/manage/hours/export?community={b.Id}",
            ["GET manage/hours/organisers"] = $"/manage/hours/organisers?community={b.Id}",
            ["POST manage/hours/organisers"] = "/manage/hours/organisers",
            ["POST manage/hours/organisers/{id:int}/revoke"] = $"/manage/hours/organisers/{delegationId}/revoke",
        };
        var endpoints = _site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("organise", StringComparison.Ordinal) || raw.StartsWith("manage/hours", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().ToList();
        Assert.True(endpoints.Count >= 14, string.Join("\n", endpoints));
        var undecided = endpoints.Where(e => !urls.ContainsKey(e) && !NoObject.Contains(e)).ToList();
        Assert.True(undecided.Count == 0, "Hours endpoints without a scoping decision:\n" + string.Join("\n", undecided));

        var token = (await managerA.GetDocumentAsync("/organise/new")).AntiforgeryToken();
        var day1 = day.AddDays(1).ToString("yyyy-MM-dd");
        foreach (var (endpoint, url) in urls)
        {
            var response = endpoint.StartsWith("POST", StringComparison.Ordinal)
                ? await managerA.PostAsync(url, new FormUrlEncodedContent(
                    [new("__RequestVerificationToken", token), new("CommunityId", b.Id.ToString()), new("ids", recordId.ToString()),
                     new("Email", "hscope-p@example.cn"), new("Title", "越权活动"), new("Place", "x"), new("Date", day1), new("StartTime", "09:00"),
                     new("EndTime", "10:00"), new("RequiredTrack", "Volunteer"), new("Capacity", "5"), new("Reason", "x"), new("reason", "x"), new("Time", "")]))
                : await managerA.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{endpoint} → {(int)response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await managerA.GetAsync($"/manage/hours/export?activity={activityB}")).StatusCode);

        // Lists show only A's own.
        Assert.DoesNotContain("乙社区专属活动", await managerA.GetStringAsync("/organise"));
        Assert.DoesNotContain(b.NameZh, await managerA.GetStringAsync("/organise/new"));
        Assert.DoesNotContain("乙志愿者", await managerA.GetStringAsync("/manage/hours"));
        var export = await managerA.GetStringAsync($"/manage/hours/export?person={user.Id}");
        Assert.Single(export.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        // Nothing changed.
        var record = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.Id == recordId));
        Assert.Equal(HoursState.Pending, record.State);
        Assert.False(await _site.WithDbAsync(db => db.HoursRecords.AnyAsync(h => h.ReplacesId == recordId)));
        Assert.Null(await _site.WithDbAsync(db => db.SignUps.Where(s => s.Id == signUp2).Select(s => s.CheckedInAt).SingleAsync()));
        Assert.False(await _site.WithDbAsync(db => db.Activities.AnyAsync(x => x.Title == "越权活动")));
        Assert.Null(await _site.WithDbAsync(db => db.OrganiserDelegations.Where(d => d.Id == delegationId).Select(d => d.RevokedAt).SingleAsync()));
        Assert.Equal(1, await _site.WithDbAsync(db => db.OrganiserDelegations.CountAsync(d => d.UserId == provider.Id)));
    }
}
