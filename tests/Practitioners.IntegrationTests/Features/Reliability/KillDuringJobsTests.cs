using Practitioners.IntegrationTests.Data;
using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.IntegrationTests.Features.Reminders;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Infrastructure.Email;
using Xunit.Abstractions;

namespace Practitioners.IntegrationTests.Features.Reliability;

/// <summary>
/// The real site, run as its own process on the test's database, is killed with SIGKILL at random points of a reminder
/// run (planning and rendering) and of outbox sending, five times each, and started again. Afterwards no reminder is
/// lost or duplicated, no certificate or signature is duplicated, and the only mail sent twice is what was in flight,
/// with the same Message-ID. The run is started from the Development clock page (/admin/clock: a day forward, the
/// daily sweep, then the sender), the one way to start both jobs in a separate process without waiting for Quartz.
/// </summary>
public sealed class KillDuringJobsTests(ITestOutputHelper output) : IDisposable
{
    private const int Holders = 2000;
    private const int RenderBatch = 50;
    private const int SendBatch = 20;
    private const int KillsEach = 5;
    private const string Admin = "kill.admin@example.cn";

    // The database, the SMTP sink the child delivers to, and a reader; its own jobs never run.
    private readonly SiteFactory _site = ReminderSteps.NewSite();
    private readonly CookieContainer _cookies = new();
    private readonly int _port = SiteProcess.FreePort();
    private readonly List<string> _log = [];
    private bool _signedIn;

    public void Dispose() => _site.Dispose();

    [SqliteFact]
    public async Task KilledFiveTimesDuringRemindersAndFiveDuringSending_AfterRestartNothingIsLostOrDuplicated()
    {
        var seed = Environment.GetEnvironmentVariable("KILL_TEST_SEED") is { } s ? int.Parse(s) : Random.Shared.Next();
        var random = new Random(seed);
        Note($"seed {seed} (set KILL_TEST_SEED to repeat)");

        // Two people certified through the real flow (signature + certificate), and many certificates made in bulk that
        // expire in three to six days, so one run plans one reminder each (the 7-day one) for the child's clock.
        await _site.CreateUserAsync(Admin, "管理员", roles: Roles.Admin);
        // The child process checks authenticator codes on its own clock, not the tests' fake one: this admin signs in
        // with a password only, and the child does not require the second step of staff (TwoFactorTests cover it).
        await _site.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Practitioners.Web.Features.Accounts.ApplicationUser>>();
            await users.SetTwoFactorEnabledAsync((await users.FindByEmailAsync(Admin))!, false);
        });
        await _site.CertifiedAsync("kill.v1@example.cn", "李一");
        await _site.CertifiedAsync("kill.v2@example.cn", "Li Er", culture: "en");
        var watch = Stopwatch.StartNew();
        var seeded = await SeedAsync(DateTime.UtcNow);
        Note($"seeded {Holders} holders with certificates in {watch.ElapsedMilliseconds} ms");
        var before = await StandingAsync();
        Assert.True(before.Signatures >= 2);

        for (var cycle = 0; cycle < KillsEach; cycle++)
        {
            await KillDuringRemindersAsync(cycle, random);
        }
        for (var cycle = 0; cycle < KillsEach; cycle++)
        {
            await KillDuringSendingAsync(cycle, random);
        }

        // Recovery: a normal start and run, to the end.
        watch.Restart();
        using (var site = await StartAsync())
        {
            var answer = await AdvanceAsync(site);
            Assert.Equal(HttpStatusCode.OK, (await answer).StatusCode);
        }
        Note($"recovery run: {watch.ElapsedMilliseconds} ms including start");

        // No reminder lost, none twice: one planned 7-day reminder per seeded certificate, each rendered once into one
        // email and one notification.
        var reminders = await _site.WithDbAsync(db => db.Reminders.AsNoTracking().Where(r => seeded.Contains(r.CertificateId)).ToListAsync());
        Assert.Equal(Holders, reminders.Count);
        Assert.All(reminders, r => Assert.True(r.Audience == ReminderAudience.Holder && r.Offset == 7 && r.RenderedAt is not null));
        Assert.Equal(Holders, reminders.Select(r => r.CertificateId).Distinct().Count());
        var ids = reminders.Select(r => r.Id).ToHashSet();
        var outbox = await _site.WithDbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());
        var reminderMail = outbox.Where(m => m.ReminderId is { } id && ids.Contains(id)).ToList();
        Assert.Equal(Holders, reminderMail.Count);
        Assert.Equal(Holders, reminderMail.Select(m => m.ReminderId).Distinct().Count());
        var notifications = await _site.WithDbAsync(db => db.Notifications.AsNoTracking()
            .Where(n => n.UserId.StartsWith("kill-")).GroupBy(n => n.UserId).Select(g => g.Count()).ToListAsync());
        Assert.Equal(Holders, notifications.Count);
        Assert.All(notifications, n => Assert.Equal(1, n));

        // Everything delivered; every message received at least once, and a copy only ever with its own Message-ID.
        Assert.All(outbox, m => Assert.Equal(OutboxState.Sent, m.State));
        var received = _site.Smtp.Messages.ToList();
        var byId = received.GroupBy(m => m.MessageId ?? "").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(outbox.Select(m => m.MessageId).Order(), byId.Keys.Order());
        var copies = received.Count - byId.Count;
        Note($"{received.Count} messages received for {outbox.Count} outbox rows: {copies} re-sent after a kill, " +
            $"{byId.Count(p => p.Value > 1)} Message-ID(s) seen twice, at most {byId.Values.Max()} times");
        // At most the batch in flight at each kill (in practice the one message accepted but not yet marked).
        Assert.InRange(copies, 0, KillsEach * SendBatch);
        Assert.All(byId.Values, n => Assert.InRange(n, 1, 2));
        foreach (var twice in byId.Where(p => p.Value > 1))
        {
            var row = Assert.Single(outbox, m => m.MessageId == twice.Key);
            Assert.True(row.Attempts >= 2, $"message {row.Id} was received twice but tried {row.Attempts} time(s)");
        }

        // Nothing issued or signed was touched: the same certificates and signatures, none twice.
        Assert.Equal(before, await StandingAsync());
        Assert.Empty(await _site.WithDbAsync(db => db.Certificates.GroupBy(c => c.AdmissionId).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync()));

        foreach (var line in _log)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Kills the site at a random point while reminders are planned and rendered (before any is sent).</summary>
    private async Task KillDuringRemindersAsync(int cycle, Random random)
    {
        var rendered = await RenderedAsync();
        var start = Stopwatch.StartNew();
        using var site = await StartAsync();
        var started = start.ElapsedMilliseconds;
        // The first kill comes a random time after the request (the sweep's first steps or the planning transaction);
        // the others after a random number of rendered reminders, a little into the next render batch.
        var target = cycle == 0 ? rendered : rendered + random.Next(1, Math.Max(2, (Holders - rendered) / (KillsEach + 1 - cycle)));
        var run = Stopwatch.StartNew();
        var answer = await AdvanceAsync(site);
        await WaitUntilAsync(async () => await RenderedAsync() >= target, answer, site);
        await Task.Delay(cycle == 0 ? random.Next(100, 1500) : random.Next(0, 40));
        Assert.False(answer.IsCompleted, $"cycle {cycle}: the run ended before the kill point");
        site.Kill();
        var killedAt = run.ElapsedMilliseconds;
        await Observe(answer);
        var (planned, renderedNow, notifications) = await _site.WithDbAsync(async db =>
            (await db.Reminders.CountAsync(), await db.Reminders.CountAsync(r => r.RenderedAt != null), await db.Notifications.CountAsync()));
        Note($"reminders kill {cycle + 1}: started in {started} ms; killed {killedAt} ms into the run, aiming at {target} rendered; " +
            $"committed: {planned} planned, {renderedNow} rendered, {notifications} notifications");
        Assert.Equal(renderedNow, notifications - await _site.WithDbAsync(db => db.Notifications.CountAsync(n => !n.UserId.StartsWith("kill-"))));
    }

    /// <summary>Kills the site at a random point while the outbox is being delivered.</summary>
    private async Task KillDuringSendingAsync(int cycle, Random random)
    {
        var received = _site.Smtp.Messages.Count;
        var unsent = await _site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.State != OutboxState.Sent));
        var start = Stopwatch.StartNew();
        using var site = await StartAsync();
        var started = start.ElapsedMilliseconds;
        var target = 1 + random.Next(0, Math.Max(1, unsent / (KillsEach + 1 - cycle)));
        var run = Stopwatch.StartNew();
        var answer = await AdvanceAsync(site);
        await WaitUntilAsync(() => Task.FromResult(_site.Smtp.Messages.Count - received >= target), answer, site);
        await Task.Delay(random.Next(0, 20));
        Assert.False(answer.IsCompleted, $"cycle {cycle}: the run ended before the kill point");
        site.Kill();
        var killedAt = run.ElapsedMilliseconds;
        await Observe(answer);
        var states = await _site.WithDbAsync(db => db.OutboxMessages.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Note($"sending kill {cycle + 1}: started in {started} ms; killed {killedAt} ms into the run after {_site.Smtp.Messages.Count - received} " +
            $"message(s) (aimed at {target}); outbox {string.Join(", ", states.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Count}"))}");
    }

    private async Task<SiteProcess> StartAsync() => await SiteProcess.StartAsync("Development", new Dictionary<string, string>
    {
        ["ConnectionStrings:Default"] = $"Data Source={_site.DatabasePath}",
        ["Seeding:DemoData"] = "false",
        ["Security:RequireTwoFactorForStaff"] = "false",
        ["Content:Folder"] = Path.Combine(Repository.Root, "content"),
        ["Partners:Keys:DevelopmentFolder"] = Path.Combine(Path.GetTempPath(), "practitioners-dev-keys"),
        ["OpenBadges:KeyFile"] = Path.Combine(_site.Folder, "openbadges-issuer.pem"),
        ["Site:PublicBaseUrl"] = ReminderSteps.BaseUrl,
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = _site.Smtp.Port.ToString(),
        ["Email:PickupDirectory"] = Path.Combine(_site.Folder, "mail"),
        ["Email:Outbox:BatchSize"] = SendBatch.ToString(),
        // The killed process is known to be dead, so its claims may be taken over at once instead of after 5 minutes.
        ["Email:Outbox:LeaseMinutes"] = "0",
        ["Reminders:RenderBatchSize"] = RenderBatch.ToString(),
        ["Jobs:Enabled"] = "false",
        ["RateLimits:AccountPerMinute"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
    }, _port);

    /// <summary>Signs the admin in once (the cookie outlives restarts: keys are in the database), then asks for a day forward.</summary>
    private async Task<Task<HttpResponseMessage>> AdvanceAsync(SiteProcess site)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies }) { BaseAddress = site.Address, Timeout = TimeSpan.FromMinutes(3) };
        if (!_signedIn)
        {
            await client.SignInAsync(Admin);
            _signedIn = true;
        }
        var page = await client.GetDocumentAsync("/admin/clock");
        return client.PostAsync("/admin/clock/advance", new FormUrlEncodedContent([new("Days", "1"), new("__RequestVerificationToken", page.AntiforgeryToken())]));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Task answer, SiteProcess site)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (answer.IsCompleted || deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"The kill point was never reached (run ended: {answer.IsCompleted}).\n{site.Tail}");
            }
            await Task.Delay(5);
        }
    }

    /// <summary>The request of a killed site fails; that is expected.</summary>
    private static async Task Observe(Task<HttpResponseMessage> answer)
    {
        try
        {
            (await answer).Dispose();
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }
    }

    private Task<int> RenderedAsync() => _site.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.ReminderId != null));

    private sealed record Standing(int Certificates, int Signatures, int CertificateEvents);

    private Task<Standing> StandingAsync() => _site.WithDbAsync(async db =>
        new Standing(await db.Certificates.CountAsync(), await db.Signatures.CountAsync(), await db.CertificateEvents.CountAsync()));

    private void Note(string line) => _log.Add(line);

    /// <summary>People, admissions and certificates by prepared bulk inserts in one transaction; returns the certificate ids.</summary>
    private async Task<HashSet<int>> SeedAsync(DateTime now)
    {
        var community = await _site.CreateCommunityAsync("c-kill");
        var ids = new HashSet<int>();
        using var connection = new SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False");
        connection.Open();
        using var tx = connection.BeginTransaction();
        var user = Prepare(connection, tx, """
            INSERT INTO AspNetUsers (Id, FullName, PreferredCulture, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail,
              EmailConfirmed, SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
            VALUES ($id, $name, $culture, $now, $email, $upper, $email, $upper, 1, $id, $id, 0, 0, 1, 0)
            """, "$id", "$name", "$culture", "$now", "$email", "$upper");
        var admission = Prepare(connection, tx, """
            INSERT INTO Admissions (UserId, CommunityId, Track, State, CreatedAt, UpdatedAt)
            VALUES ($user, $community, 'Volunteer', 'Withdrawn', $at, $at) RETURNING Id
            """, "$user", "$community", "$at");
        var certificate = Prepare(connection, tx, """
            INSERT INTO Certificates (Number, VerificationCode, UserId, AdmissionId, CommunityId, Track, IssuedAt, ExpiresAt)
            VALUES ($number, $code, $user, $admission, $community, 'Volunteer', $issued, $expires) RETURNING Id
            """, "$number", "$code", "$user", "$admission", "$community", "$issued", "$expires");
        var issued = Prepare(connection, tx, """
            INSERT INTO CertificateEvents (CertificateId, Kind, At, ExpiresAt) VALUES ($certificate, 'Issued', $at, $expires)
            """, "$certificate", "$at", "$expires");
        for (var i = 0; i < Holders; i++)
        {
            var id = $"kill-{i:D5}";
            var expires = now.AddDays(3).AddMinutes(i * 3.0 * 24 * 60 / Holders);
            var issuedAt = expires.AddYears(-1);
            Run(user, id, $"持证人{i}", i % 2 == 0 ? "zh-CN" : "en", Iso(now), $"k{i}@kill.example.cn", $"K{i}@KILL.EXAMPLE.CN");
            var admissionId = Run(admission, id, community.Id, Iso(issuedAt));
            var certificateId = Run(certificate, $"CFC-V-2099-{i:D6}", CertificateCodes.NewVerificationCode(), id, admissionId, community.Id,
                Iso(issuedAt), Iso(expires));
            Run(issued, certificateId, Iso(issuedAt), Iso(expires));
            ids.Add(Convert.ToInt32(certificateId));
        }
        tx.Commit();
        return ids;
    }

    private static string Iso(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }
        return command;
    }

    private static object? Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return command.ExecuteScalar();
    }
}
