using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Infrastructure.Email;

namespace Practitioners.IntegrationTests.Features.Reminders;

public sealed class PlannerTests : IDisposable
{
    private readonly SiteFactory _site = ReminderSteps.NewSite();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task PlannedTwice_OrFourTimesAtOnce_QueuesEachReminderOnce()
    {
        var certificates = new List<Practitioners.Web.Features.Certificates.Certificate>();
        for (var i = 0; i < 3; i++)
        {
            certificates.Add((await _site.CertifiedAsync($"plan{i}@example.cn", $"计划{i}", communityCode: $"plan-{i}")).Certificate);
        }
        await _site.ManagerOfAsync("plan.mgr@example.cn", certificates[0].CommunityId);

        _site.Clock.Advance(certificates[0].ExpiresAt.AddDays(-60) - _site.Clock.GetUtcNow().UtcDateTime);
        var first = await _site.PlanAsync();
        var second = await _site.PlanAsync();
        Assert.Equal(new ReminderRun(3, 3), first);
        Assert.Equal(new ReminderRun(0, 0), second);

        // Thirty days on, four planners at once: the next offset is planned and rendered once.
        _site.Clock.Advance(TimeSpan.FromDays(30));
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var scope = _site.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<PlanReminders>().RunAsync(CancellationToken.None);
        })));

        Assert.Equal(3, runs.Sum(r => r.Planned));
        Assert.Equal(3, runs.Sum(r => r.Rendered));
        var reminders = await _site.OutboxAsync();
        Assert.Equal(6, reminders.Count(m => m.Kind == OutboxKinds.Reminder));
        Assert.Equal(reminders.Count, reminders.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal(6, await _site.WithDbAsync(db => db.Notifications.CountAsync()));
        Assert.Equal([30, 60], await _site.WithDbAsync(db => db.Reminders.Select(r => r.Offset).Distinct().OrderBy(o => o).ToListAsync()));
    }
}
