using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>
/// Sign-ups posted at the same moment: on PostgreSQL the capacity and overlap checks would read before the others commit
/// without the write locks (Data/Sql/WriteLocks); on SQLite the immediate transaction serialises them.
/// </summary>
public sealed class SignUpRaceTests : IClassFixture<RaceSite>
{
    private const int Posts = 16;
    private readonly RaceSite _site;

    public SignUpRaceTests(RaceSite site) => _site = site;

    private static async Task<HttpResponseMessage> PostSignUpAsync(HttpClient client, string token, int activityId) =>
        await client.PostAsync($"/activities/{activityId}/sign-up", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

    [Fact]
    public async Task SixteenPeople_ForTheLastThreePlaces_AtOnce_ThreeGetThem_TheRestAreToldItIsFull()
    {
        var community = await _site.CreateCommunityAsync("race-places");
        var manager = await _site.ManagerOfAsync("mgr-race-places@example.cn", community.Id);
        var (activityId, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "抢名额活动", _site.Day(), "09:00", "11:00", capacity: 3));
        Assert.NotEqual(0, activityId);
        var people = new List<(HttpClient Client, string Token)>();
        for (var i = 0; i < Posts; i++)
        {
            var (client, _) = await _site.CertifiedAsync($"race-place-{i}@example.cn", $"志愿者{i}", "race-places");
            people.Add((client, (await client.GetDocumentAsync("/activities")).AntiforgeryToken()));
        }

        var responses = await _site.AllAtOnceAsync(Posts, async i =>
        {
            var response = await PostSignUpAsync(people[i].Client, people[i].Token, activityId);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"{(int)r.StatusCode}"));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK && r.Body.Contains("报名成功")));
        Assert.Equal(Posts - 3, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity && r.Body.Contains("名额已满")));
        Assert.Equal(3, await _site.WithDbAsync(db => db.SignUps.CountAsync(s => s.ActivityId == activityId && s.CancelledAt == null)));
    }

    [Fact]
    public async Task OnePerson_SigningUpForSixteenOverlappingActivities_AtOnce_GetsOne()
    {
        var community = await _site.CreateCommunityAsync("race-overlap");
        var manager = await _site.ManagerOfAsync("mgr-race-overlap@example.cn", community.Id);
        var day = _site.Day();
        var activities = new List<int>();
        for (var i = 0; i < Posts; i++)
        {
            // Each starts a minute after the last and all run past 10:00: every pair overlaps.
            var (id, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, $"重叠活动 {i}", day, $"09:{i:00}", "10:30"));
            Assert.NotEqual(0, id);
            activities.Add(id);
        }
        var (volunteer, user) = await _site.CertifiedAsync("race-overlap@example.cn", "重叠者", "race-overlap");
        var token = (await volunteer.GetDocumentAsync("/activities")).AntiforgeryToken();

        var responses = await _site.AllAtOnceAsync(Posts, async i =>
        {
            var response = await PostSignUpAsync(volunteer, token, activities[i]);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity, $"{(int)r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(Posts - 1, responses.Count(r => r.Body.Contains("同一时间")));
        Assert.Equal(1, await _site.WithDbAsync(db => db.SignUps.CountAsync(s => s.UserId == user.Id && s.CancelledAt == null)));
    }
}
