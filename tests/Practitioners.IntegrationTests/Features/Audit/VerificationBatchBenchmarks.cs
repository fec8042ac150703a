using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Audit;

namespace Practitioners.IntegrationTests.Features.Audit;

/// <summary>
/// The verification writer's two ways of storing a batch of 500 audit rows, timed alternately 60 times each on the
/// suite's engine: EF AddRange + SaveChanges and one multi-row INSERT. The writer uses the cheaper per engine.
/// Left out of the test command (Category=Benchmark); run it with
/// dotnet test tests/Practitioners.IntegrationTests --filter FullyQualifiedName~VerificationBatchBenchmarks
/// </summary>
public sealed class VerificationBatchBenchmarks(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task FiveHundredRows_AddRangeAgainstOneMultiRowInsert()
    {
        using var site = new SiteFactory();
        _ = site.Services;
        var now = site.Clock.GetUtcNow().UtcDateTime;
        List<AuditEvent> Batch(int n) => Enumerable.Range(0, n).Select(i => VerificationLogWriter.Row(new VerificationEntry(now, VerificationKind.Page,
            $"CFC-V-2026-{i:000000}", VerificationResult.Valid, null, "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"))).ToList();
        var ef = new List<double>();
        var raw = new List<double>();
        for (var round = 0; round < 60; round++)
        {
            foreach (var useEf in new[] { true, false })
            {
                var rows = Batch(500);
                await using var scope = site.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var watch = Stopwatch.StartNew();
                if (useEf)
                {
                    db.ChangeTracker.AutoDetectChangesEnabled = false;
                    db.AuditEvents.AddRange(rows);
                    await db.SaveChangesAsync();
                }
                else
                {
                    await VerificationLogWriter.InsertAsync(db, rows, default);
                }
                (useEf ? ef : raw).Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        ef.Sort();
        raw.Sort();
        output.WriteLine($"{site.Provider}: 500 rows: EF AddRange+SaveChanges median {ef[30]:0.0} ms (min {ef[0]:0.0}); multi-row INSERT median {raw[30]:0.0} ms (min {raw[0]:0.0})");
        Assert.Equal(60000, await site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "verification.valid")));
    }
}
