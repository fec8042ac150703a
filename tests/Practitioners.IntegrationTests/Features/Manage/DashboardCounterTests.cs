using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Manage;

namespace Practitioners.IntegrationTests.Features.Manage;

/// <summary>
/// The dashboard reads counters that triggers keep; these tests scatter certificates, admissions and passes across
/// month and renewal-window boundaries and compare every figure with a full count of the underlying tables.
/// </summary>
public sealed class DashboardCounterTests : IClassFixture<SiteFactory>
{
    private static readonly string[] Tracks = ["Volunteer", "ServiceProvider", "Researcher"];
    private static readonly string[] Modules = ["core-rights-principles", "core-safe-spaces", "volunteer-safe-activity"];
    private readonly SiteFactory _site;

    public DashboardCounterTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task CertificateFigures_EqualAFullCount_AsTheClockCrossesMonthsAndWindows()
    {
        var communities = await CommunitiesAsync("cnt-a", "cnt-b", "cnt-c");
        var people = await PeopleAsync("cnt", 6);
        var start = _site.Clock.GetUtcNow().UtcDateTime;
        var random = new Random(11);
        var n = 0;
        foreach (var person in people)
        {
            foreach (var community in communities)
            {
                foreach (var track in Tracks)
                {
                    // Expiries on awkward days: month ends and starts, and a spread over two years either side.
                    var expires = (n % 4) switch
                    {
                        0 => new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(random.Next(-3, 14)).AddSeconds(-1),
                        1 => new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(random.Next(-3, 14)),
                        _ => start.AddDays(random.Next(-400, 500)).AddMinutes(random.Next(0, 1440)),
                    };
                    var standing = random.Next(10) switch { 0 => "revoked", 1 => "suspended", _ => "active" };
                    await InsertCertificateAsync(person, community, track, start.AddDays(-30), expires, standing, ++n);
                }
            }
        }
        // Changes after the fact go through the update triggers: a revocation, a suspension lifted, an extended expiry.
        var revokedAt = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""
            UPDATE "Certificates" SET "RevokedAt" = {0} WHERE "Id" IN (SELECT "Id" FROM "Certificates" ORDER BY "Id" LIMIT 3);
            UPDATE "Certificates" SET "SuspendedAt" = NULL WHERE "Id" IN (SELECT "Id" FROM "Certificates" WHERE "SuspendedAt" IS NOT NULL ORDER BY "Id" LIMIT 2);
            """, revokedAt));
        var extended = await _site.WithDbAsync(db => db.Certificates.Where(c => c.Id % 5 == 0).Select(c => new { c.Id, c.ExpiresAt }).ToListAsync());
        foreach (var c in extended)
        {
            await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE "Certificates" SET "ExpiresAt" = {0} WHERE "Id" = {1}""", c.ExpiresAt.AddDays(45), c.Id));
        }

        foreach (var at in new[]
        {
            start, new DateTime(2026, 3, 31, 23, 59, 0), new DateTime(2026, 4, 1, 0, 1, 0), new DateTime(2026, 6, 15, 12, 0, 0),
            new DateTime(2026, 12, 31, 23, 0, 0), new DateTime(2027, 2, 28, 8, 0, 0),
        })
        {
            _site.Clock.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));
            var numbers = await DashboardAsync(communities);
            var expected = await FullCountAsync(communities, at);
            foreach (var status in Enum.GetValues<CertificateStatus>())
            {
                Assert.True(expected.Statuses.GetValueOrDefault(status) == numbers.Certificates.GetValueOrDefault(status),
                    $"{status} at {at:u}: expected {expected.Statuses.GetValueOrDefault(status)}, dashboard {numbers.Certificates.GetValueOrDefault(status)}");
            }
            Assert.Equal(expected.Months, numbers.ExpiriesByMonth.Select(m => (m.Year, m.Month, m.Count)).ToList());
            // One community alone agrees too.
            var single = await DashboardAsync([communities[1]]);
            Assert.Equal((await FullCountAsync([communities[1]], at)).Statuses.Values.Sum(), single.Certificates.Values.Sum());
        }
    }

    [Fact]
    public async Task TrainingPasses_CountPeopleWithALiveAdmission_ThroughWithdrawalsMovesAndRetakes()
    {
        var communities = await CommunitiesAsync("pass-a", "pass-b");
        var people = await PeopleAsync("pass", 5);
        var at = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        async Task Admit(string person, int community, string track) => await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            """INSERT INTO "Admissions" ("UserId", "CommunityId", "Track", "State", "CreatedAt", "UpdatedAt") VALUES ({0}, {1}, {2}, 'InTraining', {3}, {3})""",
            person, community, track, at));
        async Task Pass(string person, string module, int version = 1) => await _site.WithDbAsync(async db =>
        {
            db.ModuleCompletions.Add(new Practitioners.Web.Features.Training.ModuleCompletion
            {
                UserId = person, ModuleId = module, Version = version, Score = 90, CompletedAt = at, AttemptId = Guid.NewGuid(),
            });
            return await db.SaveChangesAsync();
        });
        async Task Sql(string sql, params object[] args) => await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql, args));

        // Passes before and after admissions; two tracks in one community count the person once.
        await Pass(people[0], Modules[0]);
        await Admit(people[0], communities[0], "Volunteer");
        await Admit(people[0], communities[0], "Researcher");
        await Admit(people[1], communities[0], "Volunteer");
        await Pass(people[1], Modules[0]);
        await Pass(people[1], Modules[1]);
        await Admit(people[2], communities[1], "Volunteer");
        await Pass(people[2], Modules[2]);
        await Admit(people[3], communities[0], "Volunteer");
        await Admit(people[3], communities[1], "ServiceProvider");
        await Pass(people[3], Modules[0]);
        await AssertPassesAsync(communities);

        // Withdrawing one of two admissions keeps the person; withdrawing the last removes them; re-admission adds back.
        await Sql("""UPDATE "Admissions" SET "State" = 'Withdrawn' WHERE "UserId" = {0} AND "Track" = 'Researcher'""", people[0]);
        await AssertPassesAsync(communities);
        await Sql("""UPDATE "Admissions" SET "State" = 'Withdrawn' WHERE "UserId" = {0}""", people[0]);
        await AssertPassesAsync(communities);
        await Admit(people[0], communities[1], "Volunteer");
        await AssertPassesAsync(communities);
        // A move between communities, a person with no passes, and a second pass of the same module (a new version).
        await Sql("""UPDATE "Admissions" SET "CommunityId" = {0} WHERE "UserId" = {1}""", communities[1], people[1]);
        await Admit(people[4], communities[0], "Volunteer");
        await _site.WithDbAsync(async db =>
        {
            var second = await db.ModuleVersions.AsNoTracking().SingleAsync(v => v.ModuleId == Modules[0] && v.Version == 1);
            second.Version = 2;
            db.ModuleVersions.Add(second);
            return await db.SaveChangesAsync();
        });
        await Pass(people[3], Modules[0], version: 2);
        await AssertPassesAsync(communities);
        await Sql("""DELETE FROM "Admissions" WHERE "UserId" = {0} AND "CommunityId" = {1}""", people[3], communities[1]);
        await AssertPassesAsync(communities);
    }

    private async Task AssertPassesAsync(int[] communities)
    {
        foreach (var scope in communities.Select(c => new[] { c }).Append(communities))
        {
            var numbers = await DashboardAsync(scope);
            var expected = await _site.WithDbAsync(async db =>
            {
                var members = await db.Admissions.Where(a => scope.Contains(a.CommunityId) && a.State != AdmissionState.Withdrawn)
                    .Select(a => new { a.UserId, a.CommunityId }).Distinct().ToListAsync();
                var passes = await db.ModuleCompletions.Select(c => new { c.UserId, c.ModuleId }).Distinct().ToListAsync();
                return members.Join(passes, m => m.UserId, p => p.UserId, (m, p) => p.ModuleId)
                    .GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
            });
            Assert.Equal(expected.OrderBy(e => e.Key).ToList(),
                numbers.Training.Select(t => new KeyValuePair<string, int>(t.ModuleId, t.Passed)).OrderBy(e => e.Key).ToList());
        }
    }

    private async Task<DashboardNumbers> DashboardAsync(IReadOnlyList<int> communities)
    {
        await using var scope = _site.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ManagerDashboard>().ForAsync(communities, CancellationToken.None);
    }

    /// <summary>What the dashboard shows, counted the slow way from every certificate row.</summary>
    private async Task<(Dictionary<CertificateStatus, int> Statuses, List<(int, int, int)> Months)> FullCountAsync(IReadOnlyList<int> communities, DateTime now)
    {
        var settings = _site.Services.GetRequiredService<IOptions<CredentialSettings>>().Value;
        var rows = await _site.WithDbAsync(db => db.Certificates.Where(c => communities.Contains(c.CommunityId))
            .Select(c => new { c.Track, c.ExpiresAt, c.RevokedAt, c.SuspendedAt }).ToListAsync());
        var today = DateOnly.FromDateTime(now);
        var statuses = rows.GroupBy(r => r.RevokedAt is not null ? CertificateStatus.Revoked
                : r.SuspendedAt is not null ? CertificateStatus.Suspended
                : DateOnly.FromDateTime(r.ExpiresAt) <= today ? CertificateStatus.Expired
                : DateOnly.FromDateTime(r.ExpiresAt) <= DateOnly.FromDateTime(now + settings.For(r.Track).RenewalWindow) ? CertificateStatus.Expiring
                : CertificateStatus.Valid)
            .ToDictionary(g => g.Key, g => g.Count());
        var yearAhead = DateOnly.FromDateTime(now.AddMonths(12));
        var months = Enumerable.Range(0, 13).Select(i => now.AddMonths(i)).Select(m => (m.Year, m.Month, rows.Count(r =>
            r.RevokedAt is null && r.ExpiresAt.Year == m.Year && r.ExpiresAt.Month == m.Month
            && DateOnly.FromDateTime(r.ExpiresAt) > today && DateOnly.FromDateTime(r.ExpiresAt) <= yearAhead))).ToList();
        return (statuses, months);
    }

    private async Task<int[]> CommunitiesAsync(params string[] codes)
    {
        var ids = new List<int>();
        foreach (var code in codes)
        {
            ids.Add((await _site.CreateCommunityAsync(code)).Id);
        }
        return [.. ids];
    }

    private async Task<List<string>> PeopleAsync(string prefix, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await _site.CreateUserAsync($"{prefix}{i}@example.cn", $"计数{i}")).Id);
        }
        return ids;
    }

    private async Task InsertCertificateAsync(string person, int community, string track, DateTime issued, DateTime expires, string standing, int n)
    {
        var admission = (await _site.WithDbAsync(db => db.Database.SqlQueryRaw<int>("""
            INSERT INTO "Admissions" ("UserId", "CommunityId", "Track", "State", "CreatedAt", "UpdatedAt") VALUES ({0}, {1}, {2}, 'Active', {3}, {3}) RETURNING "Id" AS "Value"
            """, person, community, track, issued).ToListAsync())).Single();
        await _site.WithDbAsync(db =>
        {
            // The provider's own parameter type carries the nulls (EF cannot map an untyped null).
            object Stamp(string name, bool set)
            {
                var parameter = db.Database.GetDbConnection().CreateCommand().CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = set ? issued : DBNull.Value;
                return parameter;
            }
            return db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Certificates" ("Number", "VerificationCode", "UserId", "AdmissionId", "CommunityId", "Track", "IssuedAt", "ExpiresAt", "SuspendedAt", "RevokedAt", "Reason")
                VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, @suspended, @revoked, NULL)
                """, $"CFC-T-2026-{n:D6}", $"COUNTERTEST{n:D9}", person, admission, community, track, issued, expires,
                Stamp("suspended", standing == "suspended"), Stamp("revoked", standing == "revoked"));
        });
    }
}

public sealed class RosterPagingTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public RosterPagingTests(SiteFactory site) => _site = site;

    [Fact]
    public async Task Pages_TogetherListEveryRowOnceInNameOrder_WithAndWithoutFilters()
    {
        var here = (await _site.CreateCommunityAsync("page-a")).Id;
        var there = (await _site.CreateCommunityAsync("page-b")).Id;
        // 31 people with 1–3 admissions each, names that sort out of creation order, some duplicates, some elsewhere.
        for (var i = 0; i < 31; i++)
        {
            var person = (await _site.CreateUserAsync($"page{i}@example.cn", $"名{(i * 7) % 13:D2}")).Id;
            var tracks = new[] { "Volunteer", "ServiceProvider", "Researcher" }.Take(1 + i % 3);
            foreach (var track in tracks)
            {
                await _site.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
                    """INSERT INTO "Admissions" ("UserId", "CommunityId", "Track", "State", "CreatedAt", "UpdatedAt") VALUES ({0}, {1}, {2}, {3}, {4}, {4})""",
                    person, i % 5 == 0 ? there : here, track, i % 4 == 0 ? "Withdrawn" : "InTraining", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)));
            }
        }

        foreach (var filter in new Func<RosterFilter>[]
        {
            () => new RosterFilter(), () => new RosterFilter { Status = AdmissionState.Withdrawn },
            () => new RosterFilter { Role = RoleTrack.ServiceProvider }, () => new RosterFilter { Q = "名0" },
        })
        {
            await using var scope = _site.Services.CreateAsyncScope();
            var roster = scope.ServiceProvider.GetRequiredService<Roster>();
            var all = await roster.Query([here], filter()).Select(r => r.AdmissionId).ToListAsync();
            var paged = new List<int>();
            var first = await roster.PageAsync([here], filter(), CancellationToken.None);
            Assert.Equal(all.Count, first.Total);
            for (var page = 1; page <= first.Pages; page++)
            {
                var f = filter();
                f.Page = page;
                paged.AddRange((await roster.PageAsync([here], f, CancellationToken.None)).Rows.Select(r => r.AdmissionId));
            }
            Assert.Equal(all, paged);
        }
    }
}
