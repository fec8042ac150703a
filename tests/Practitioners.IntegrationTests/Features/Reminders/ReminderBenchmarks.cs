using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Infrastructure.Jobs;
using Xunit.Abstractions;

namespace Practitioners.IntegrationTests.Features.Reminders;

/// <summary>
/// The benchmark: a million certificates, the planner against a raw indexed count of its windows, then the
/// renderer and the sender. About a minute and a 650 MB database, so the test command leaves it out (Category=Benchmark);
/// run it with: dotnet test tests/Practitioners.IntegrationTests --filter Category=Benchmark
/// </summary>
public sealed class ReminderBenchmarks(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task AMillionCertificates_PlannedUnderTwoSeconds_AndSentOverOneConnection()
    {
        using var site = ReminderSteps.NewSite();
        var (_, certificate) = await site.CertifiedAsync("bench@example.cn", "基准", communityCode: "bench");
        await site.ManagerOfAsync("bench.mgr@example.cn", certificate.CommunityId);
        var now = site.Clock.GetUtcNow().UtcDateTime;
        await using (var connection = new SqliteConnection($"Data Source={site.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var generate = connection.CreateCommand();
            // Expiries spread over three years around now, at every second of the day; one holder, one community.
            generate.CommandText = $"""
                PRAGMA foreign_keys = OFF;
                BEGIN;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
                INSERT INTO Certificates (Number, VerificationCode, UserId, AdmissionId, CommunityId, Track, IssuedAt, ExpiresAt)
                SELECT 'B-' || i, 'VC' || i, '{certificate.UserId}', 1000000 + i, {certificate.CommunityId}, 'Volunteer',
                       strftime('%Y-%m-%d %H:%M:%S', '{now:yyyy-MM-dd HH:mm:ss}', printf('-%d days', i % 1095)),
                       strftime('%Y-%m-%d %H:%M:%S', '{now:yyyy-MM-dd HH:mm:ss}', printf('%+d days', (i * 7919) % 1095 - 365), printf('%+d seconds', i % 86400))
                FROM n;
                COMMIT;
                ANALYZE;
                """;
            await generate.ExecuteNonQueryAsync();
        }

        await using var scope = site.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var zone = services.GetRequiredService<IOptions<JobOptions>>().Value.Zone;
        var catchUp = services.GetRequiredService<IOptions<ReminderSettings>>().Value.CatchUpDays;
        var windows = ReminderWindow.For([60, 30, 7, 0], now, zone, catchUp).Concat(ReminderWindow.For([-14], now, zone, catchUp));

        var clock = Stopwatch.StartNew();
        long due = 0;
        await using (var connection = new SqliteConnection($"Data Source={site.DatabasePath}"))
        {
            await connection.OpenAsync();
            foreach (var window in windows)
            {
                await using var count = connection.CreateCommand();
                count.CommandText = "SELECT count(*) FROM Certificates WHERE ExpiresAt >= $from AND ExpiresAt < $before";
                count.Parameters.AddWithValue("$from", window.From.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
                count.Parameters.AddWithValue("$before", window.Before.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
                due += (long)(await count.ExecuteScalarAsync())!;
            }
        }
        var counted = clock.Elapsed;
        clock.Restart();
        var planned = await services.GetRequiredService<PlanReminders>().PlanAsync(CancellationToken.None);
        var planning = clock.Elapsed;
        clock.Restart();
        var again = await services.GetRequiredService<PlanReminders>().PlanAsync(CancellationToken.None);
        var replanning = clock.Elapsed;
        clock.Restart();
        var rendered = await services.GetRequiredService<RenderReminders>().RunAsync(CancellationToken.None);
        var rendering = clock.Elapsed;
        clock.Restart();
        var sent = await site.SendOutboxAsync();
        var sending = clock.Elapsed;

        output.WriteLine($"raw count of the due windows: {due} in {counted.TotalMilliseconds:F0} ms");
        output.WriteLine($"planned {planned} in {planning.TotalMilliseconds:F0} ms; again: {again} in {replanning.TotalMilliseconds:F0} ms");
        output.WriteLine($"rendered {rendered} in {rendering.TotalMilliseconds:F0} ms");
        output.WriteLine($"sent {sent.Sent} in {sending.TotalMilliseconds:F0} ms ({sent.Sent / sending.TotalSeconds:F0}/s) over {site.Smtp.Sessions} connection(s)");
        Assert.Equal(due, planned);
        Assert.Equal(0, again);
        Assert.True(planning < TimeSpan.FromSeconds(2), $"Planning took {planning}.");
        Assert.Equal(1, site.Smtp.Sessions);
    }
}
