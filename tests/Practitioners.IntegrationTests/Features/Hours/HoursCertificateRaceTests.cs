using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Hours;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>Service-hours certificates issued at the same moment: consecutive numbers, and one certificate for one ask.</summary>
public sealed class HoursCertificateRaceTests : IClassFixture<RaceSite>
{
    private const int Calls = 16;
    private readonly RaceSite _site;

    public HoursCertificateRaceTests(RaceSite site) => _site = site;

    private async Task<string> WithApprovedHoursAsync(string email, int communityId)
    {
        var user = await _site.CreateUserAsync(email, "时长 " + email);
        await _site.WithDbAsync(async db =>
        {
            var now = _site.Clock.GetUtcNow().UtcDateTime;
            var record = HoursRecord.OffSite(user.Id, communityId, now.AddDays(-2), now.AddDays(-2).AddHours(3), "社区图书角整理", now);
            record.Approve(user.Id, now);
            db.HoursRecords.Add(record);
            return await db.SaveChangesAsync();
        });
        return user.Id;
    }

    private Task<HoursCertificate?> IssueAsync(string userId) =>
        Task.Run(async () =>
        {
            await using var scope = _site.Services.CreateAsyncScope();
            var today = DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime);
            return await scope.ServiceProvider.GetRequiredService<IssueHoursCertificate>().RunAsync(userId, today.AddDays(-30), today, CancellationToken.None);
        });

    [Fact]
    public async Task SixteenPeople_AskingAtOnce_GetSixteenConsecutiveNumbers()
    {
        var community = await _site.CreateCommunityAsync("race-hours-cert");
        var people = new List<string>();
        for (var i = 0; i < Calls; i++)
        {
            people.Add(await WithApprovedHoursAsync($"race-hc-{i}@example.cn", community.Id));
        }

        var issued = await _site.AllAtOnceAsync(Calls, i => IssueAsync(people[i]));

        var numbers = issued.Select(c => c!.Number).ToList();
        Assert.All(numbers, n => Assert.Matches(@"^SH-2026-\d{6}$", n));
        var sequence = numbers.Select(n => int.Parse(n[^6..])).Order().ToList();
        Assert.Equal(Enumerable.Range(sequence[0], Calls), sequence);
        Assert.Equal(Calls, await _site.WithDbAsync(db => db.HoursCertificates.CountAsync(c => people.Contains(c.UserId))));
    }

    [Fact]
    public async Task OnePerson_AskingSixteenTimesAtOnce_ForTheSamePeriod_GetsOneCertificate()
    {
        var community = await _site.CreateCommunityAsync("race-hours-once");
        var userId = await WithApprovedHoursAsync("race-hc-once@example.cn", community.Id);

        var issued = await _site.AllAtOnceAsync(Calls, _ => IssueAsync(userId));

        Assert.Single(issued.Select(c => c!.Number).Distinct());
        Assert.Equal(1, await _site.WithDbAsync(db => db.HoursCertificates.CountAsync(c => c.UserId == userId)));
    }
}
