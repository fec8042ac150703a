using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.Benchmarks;
using Practitioners.TestSupport;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Partners;
using Practitioners.Web.Infrastructure.Pdf;

namespace Practitioners.Benchmarks;

internal static class Benchmark
{
    public static async Task<int> Main(string[] args)
    {
        // dotnet run -c Release --project tests/Practitioners.Benchmarks -- [--people N] [--certificates N] [--seconds S] [--connections C]
        var options = Options.Parse(args);
        var root = FindRoot();
        var folder = Directory.CreateDirectory(Path.Combine(root, "artifacts", "bench")).FullName;
        var database = Path.Combine(folder, "bench.db");
        var connectionString = $"Data Source={database}";
        var now = DateTime.UtcNow;
        var lines = new List<string>();
        var results = new List<(string Name, string Value, string? Verdict)>();
        void Report(string name, string value, bool? pass = null, string? target = null)
        {
            var verdict = pass is null ? null : (pass.Value ? "PASS" : "FAIL") + (target is null ? "" : $" (target {target})");
            results.Add((name, value, verdict));
            Console.WriteLine($"{name}: {value}{(verdict is null ? "" : "  " + verdict)}");
        }

        // --reuse keeps an existing generated database (for iterating on one scenario); recorded runs generate afresh.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PRACTITIONERS_WEB", Path.Combine(root, "src", "Practitioners.Web"));
        var data = options.Reuse && File.Exists(database) ? BenchData.Read(connectionString, now) : await GenerateAsync();
        var streetId = data.StreetId;
        bool Runs(string scenario) => options.Only.Length == 0 || options.Only.Contains(scenario);

        async Task<BenchData> GenerateAsync()
        {
            foreach (var f in Directory.EnumerateFiles(folder, "bench.db*"))
            {
                File.Delete(f);
            }

            // 1. Schema, content, roles, a manager, a learner and a partner client, through the site's own services.
            string passwordHash, stamp, managerStreetQuery;
            await using (var setup = new BenchSite(connectionString, Path.Combine(root, "content"), folder))
            {
                using var scope = setup.Services.CreateScope();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                var manager = new ApplicationUser { UserName = "manager@bench.example.cn", Email = "manager@bench.example.cn", EmailConfirmed = true, FullName = "基准管理员", CreatedAt = now };
                await users.CreateAsync(manager, Generator.Password);
                await users.AddToRoleAsync(manager, Roles.CommunityManager);
                var learner = new ApplicationUser { UserName = "learner@bench.example.cn", Email = "learner@bench.example.cn", EmailConfirmed = true, FullName = "基准学员", CreatedAt = now };
                await users.CreateAsync(learner, Generator.Password);
                await users.AddToRoleAsync(learner, Roles.Volunteer);
                passwordHash = learner.PasswordHash!;
                stamp = learner.SecurityStamp!;
                await scope.ServiceProvider.GetRequiredService<ClientRegistry>().CreateAsync(
                    new NewPartnerClient("bench-verifier", "Benchmark verifier", PartnerClientKind.Machine, [], [], [PartnerScopes.CredentialsVerify], []),
                    null, CancellationToken.None, "bench-verifier-secret");
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await db.SaveChangesAsync();
                managerStreetQuery = manager.Id + "|" + learner.Id;
            }
            var (managerId, learnerId) = (managerStreetQuery.Split('|')[0], managerStreetQuery.Split('|')[1]);

            // 2. Bulk data.
            var generator = new Generator(connectionString, options.Communities, options.People, options.Certificates, now);
            var generated = generator.Run(passwordHash, stamp);
            Report("generate_seconds", generated.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
            long streetId;
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"""
                    INSERT INTO ManagerAssignments (UserId, StreetId, CommunityId, AssignedAt) SELECT '{managerId}', Id, NULL, '2026-01-01 00:00:00' FROM Streets WHERE Code = 'bench';
                    INSERT INTO Admissions (UserId, CommunityId, Track, State, CreatedAt, UpdatedAt) SELECT '{learnerId}', MIN(Id), 'Volunteer', 'InTraining', '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM Communities WHERE Code LIKE 'bench-%';
                    SELECT Id FROM Streets WHERE Code = 'bench';
                    """;
                streetId = (long)command.ExecuteScalar()!;
            }
            return new BenchData(streetId, generator.Codes, generator.Numbers, generator.Learners);
        }

        // 3. The site in Release on a real port, as its own process.
        var port = 5399;
        var baseUrl = $"http://127.0.0.1:{port}";
        var dll = Path.Combine(root, "src", "Practitioners.Web", "bin", "Release", "net10.0", "Practitioners.Web.dll");
        var site = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in BenchSite.Settings(connectionString, Path.Combine(root, "content"), folder))
        {
            site.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }
        site.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        site.Environment["ASPNETCORE_URLS"] = baseUrl;
        site.Environment["DOTNET_gcServer"] = "0";
        using var process = Process.Start(site)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } d && d.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine(d); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            for (var i = 0; i < 120 && !await Ready(http); i++)
            {
                await Task.Delay(500);
            }

            var learnerCookie = await SignInAsync(baseUrl, "learner@bench.example.cn");
            var managerCookie = await SignInAsync(baseUrl, "manager@bench.example.cn");
            var token = Regex.Match(await (await http.PostAsync("/connect/token", new FormUrlEncodedContent(
                [new("grant_type", "client_credentials"), new("client_id", "bench-verifier"), new("client_secret", "bench-verifier-secret"), new("scope", "credentials.verify")])))
                .Content.ReadAsStringAsync(), "\"access_token\":\"([^\"]+)\"").Groups[1].Value;

            var codes = Path.Combine(folder, "codes.lua");
            var random = new Random(7);
            await File.WriteAllTextAsync(codes, $$"""
                local codes = { {{string.Join(",", data.Codes.OrderBy(_ => random.Next()).Take(5000).Select(c => $"\"{c}\""))}} }
                request = function() return wrk.format("GET", "/verify/" .. codes[math.random(#codes)]) end
                """);
            var numbers = Path.Combine(folder, "numbers.lua");
            await File.WriteAllTextAsync(numbers, $$"""
                local numbers = { {{string.Join(",", data.Numbers.OrderBy(_ => random.Next()).Take(5000).Select(c => $"\"{c}\""))}} }
                request = function() return wrk.format("GET", "/api/v1/credentials/" .. numbers[math.random(#numbers)]) end
                """);
            var (signInCookie, signInToken) = await AntiforgeryAsync(baseUrl);
            var signIn = Path.Combine(folder, "signin.lua");
            await File.WriteAllTextAsync(signIn, $$"""
                wrk.method = "POST"
                wrk.body = "__RequestVerificationToken={{Uri.EscapeDataString(signInToken)}}&Email=learner%40bench.example.cn&Password={{Uri.EscapeDataString(Generator.Password)}}"
                wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
                wrk.headers["Cookie"] = "{{signInCookie}}"
                """);

            var duration = TimeSpan.FromSeconds(options.Seconds);
            Wrk.Run($"{baseUrl}/ping", options.Connections, TimeSpan.FromSeconds(3)); // warm-up
            var plain = Wrk.Run($"{baseUrl}/ping", options.Connections, duration);
            Report("plaintext_rps", plain.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture));
            Report("plaintext_p99_ms", plain.P99Ms.ToString("0.00", CultureInfo.InvariantCulture));

            void Scenario(string name, WrkResult r, double minRatio, double? maxP99)
            {
                // Where the memory is after each scenario: anonymous (the managed heap, native allocations) and file-backed.
                Report($"{name}_rss_mb", Memory(process.Id));
                // A scenario that completed nothing fails every target, whatever its empty latencies say.
                var ran = r.Requests > 0 && !double.IsNaN(r.P99Ms);
                var ratio = r.RequestsPerSecond / plain.RequestsPerSecond;
                Report($"{name}_rps", r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture));
                Report($"{name}_p50_ms", r.P50Ms.ToString("0.00", CultureInfo.InvariantCulture));
                Report($"{name}_p99_ms", r.P99Ms.ToString("0.00", CultureInfo.InvariantCulture), maxP99 is null ? null : ran && r.P99Ms <= maxP99, maxP99 is null ? null : $"≤ {maxP99} ms");
                Report($"{name}_errors", r.Errors.ToString(CultureInfo.InvariantCulture), ran && r.Errors == 0, "0");
                Report($"{name}_ratio", ratio.ToString("0.00", CultureInfo.InvariantCulture), minRatio > 0 ? ratio >= minRatio : null, minRatio > 0 ? $"≥ {minRatio}" : null);
            }

            if (Runs("verify_page")) Scenario("verify_page", Wrk.Run(baseUrl, options.Connections, duration, codes), 0.30, 15);
            if (Runs("verify_api")) Scenario("verify_api", Wrk.Run(baseUrl, options.Connections, duration, numbers, $"Authorization: Bearer {token}"), 0.40, 10);
            if (Runs("lesson_page")) Scenario("lesson_page", Wrk.Run($"{baseUrl}/training/modules/core-rights-principles/lessons/1", options.Connections, duration, null, $"Cookie: {learnerCookie}"), 0.15, null);
            if (Runs("manager_dashboard")) Scenario("manager_dashboard", Wrk.Run($"{baseUrl}/manage?street={streetId}", options.Connections, duration, null, $"Cookie: {managerCookie}"), 0, 50);
            if (Runs("manager_roster")) Scenario("manager_roster", Wrk.Run($"{baseUrl}/manage/roster?street={streetId}", options.Connections, duration, null, $"Cookie: {managerCookie}"), 0, 50);
            if (Runs("sign_in")) Scenario("sign_in", Wrk.Run($"{baseUrl}/account/sign-in", options.Connections, duration, signIn), 0, null);

            var rssMb = PeakRssMegabytes(process.Id);
            Report("site_peak_rss_mb", rssMb.ToString("0", CultureInfo.InvariantCulture), rssMb <= 300, "≤ 300 MB");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }

        // 4. In-process: one bilingual certificate PDF on one thread.
        if (Runs("pdf_certificate"))
        {
            PdfFont.EnsureInstalled();
            var pdf = new PdfDocuments();
            var model = new CertificatePdfModel("李小雨", "志愿者证书", "Volunteer certificate", "和平里社区", "Hepingli Community", "新华街道", "Xinhua Street",
                "CFC-V-2026-000001", now, now.AddYears(1), "https://practitioners.example.cn/verify/ABCDEFGHJKMNPQRSTVWX");
            for (var i = 0; i < 30; i++)
            {
                pdf.Certificate(model);
            }
            var times = new List<double>();
            for (var i = 0; i < 200; i++)
            {
                var watch = Stopwatch.StartNew();
                pdf.Certificate(model);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var median = times[times.Count / 2];
            Report("pdf_certificate_median_ms", median.ToString("0.00", CultureInfo.InvariantCulture), median <= 10, "≤ 10 ms");
        }

        // 5. In-process, on the generated database: the planner, the sender to a local SMTP sink, concurrent quiz writers.
        using (var sink = SmtpSink.Start())
        await using (var inProcess = new BenchSite(connectionString, Path.Combine(root, "content"), folder,
            [("Email:Smtp:Host", "127.0.0.1"), ("Email:Smtp:Port", sink.Port.ToString(CultureInfo.InvariantCulture)), ("Site:PublicBaseUrl", baseUrl)]))
        {
            if (Runs("reminder_planner"))
            {
                var planner = await InProcess.ReminderPlannerAsync(inProcess.Services, connectionString);
                var plannerRatio = planner.Planning / planner.RawCount;
                Report("reminder_planner_planned", planner.Planned.ToString(CultureInfo.InvariantCulture));
                Report("reminder_planner_raw_count", $"{planner.Due} in {planner.RawCount.TotalMilliseconds:0} ms");
                Report("reminder_planner_seconds", planner.Planning.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture), planner.Planning.TotalSeconds <= 2, "≤ 2 s");
                Report("reminder_planner_ratio_to_raw_count", plannerRatio.ToString("0.0", CultureInfo.InvariantCulture), plannerRatio <= 3, "≤ 3");
            }
            if (Runs("outbox_send"))
            {
                var outbox = await InProcess.OutboxSendAsync(inProcess.Services, () => sink.Sessions, () => sink.Messages.Count, options.OutboxMessages);
                var perSecond = outbox.Sent / outbox.Elapsed.TotalSeconds;
                Report("outbox_send_messages", $"{outbox.Sent} sent, {outbox.Received} received, {outbox.Sessions} SMTP connection(s)");
                Report("outbox_send_per_second", perSecond.ToString("0", CultureInfo.InvariantCulture), perSecond >= 1000 && outbox.Received == outbox.Sent, "≥ 1,000/s");
            }
            if (Runs("quiz_submit_concurrent"))
            {
                var quiz = await InProcess.QuizSubmitAsync(inProcess.Services, data.Learners, options.Connections, TimeSpan.FromSeconds(options.Seconds));
                var commitsPerSecond = quiz.Commits / quiz.Elapsed.TotalSeconds;
                Report("quiz_submit_concurrent_commits", quiz.Commits.ToString(CultureInfo.InvariantCulture));
                Report("quiz_submit_concurrent_errors", quiz.Errors.ToString(CultureInfo.InvariantCulture), quiz.Errors == 0, "0");
                Report("quiz_submit_concurrent_stored_once", quiz.Stored, quiz.StoredOnce, "each accepted submission stored once");
                Report("quiz_submit_concurrent_per_second", commitsPerSecond.ToString("0", CultureInfo.InvariantCulture), commitsPerSecond >= 500, "≥ 500/s");
                foreach (var sample in quiz.ErrorSamples)
                {
                    Console.WriteLine($"  quiz error: {sample}");
                }
            }
        }

        // 6. The report.
        var commandLine = "dotnet run -c Release --project tests/Practitioners.Benchmarks -- " + string.Join(' ', args);
        var report = new StringBuilder()
            .AppendLine($"# Benchmark run {now:yyyy-MM-dd HH:mm} UTC")
            .AppendLine()
            .AppendLine($"- Machine: {Environment.ProcessorCount} cores, {MemoryGigabytes():0} GiB memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}")
            .AppendLine($"- Command: `{commandLine}`")
            .AppendLine($"- Data: {options.People:N0} people, {options.Certificates:N0} certificates in {options.Communities} communities of one street; wrk {options.Connections} connections × {options.Seconds} s per scenario")
            .AppendLine()
            .AppendLine("| figure | value | verdict |")
            .AppendLine("|---|---|---|");
        foreach (var (name, value, verdict) in results)
        {
            report.AppendLine($"| {name} | {value} | {verdict ?? ""} |");
        }
        var output = Path.Combine(folder, "report.md");
        await File.WriteAllTextAsync(output, report.ToString());
        Console.WriteLine($"report: {output}");
        return results.Any(r => r.Verdict?.StartsWith("FAIL", StringComparison.Ordinal) == true) ? 1 : 0;

        static async Task<bool> Ready(HttpClient http)
        {
            try
            {
                return (await http.GetAsync("/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        static async Task<(string Cookie, string Token)> AntiforgeryAsync(string baseUrl)
        {
            var cookies = new CookieContainer();
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            var page = await http.GetStringAsync("/account/sign-in");
            var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            return (cookies.GetCookieHeader(new Uri(baseUrl)), token);
        }

        static async Task<string> SignInAsync(string baseUrl, string email)
        {
            var cookies = new CookieContainer();
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            var page = await http.GetStringAsync("/account/sign-in");
            var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var response = await http.PostAsync("/account/sign-in", new FormUrlEncodedContent(
                [new("__RequestVerificationToken", token), new("Email", email), new("Password", Generator.Password)]));
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Sign-in of {email} answered {(int)response.StatusCode}.");
            }
            return cookies.GetCookieHeader(new Uri(baseUrl));
        }

        static string Memory(int pid)
        {
            var status = File.ReadLines($"/proc/{pid}/status").ToList();
            double Mb(string key) => long.Parse(Regex.Match(status.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) ?? "0", @"\d+").Value,
                CultureInfo.InvariantCulture) / 1024.0;
            return string.Create(CultureInfo.InvariantCulture, $"{Mb("VmRSS:"):0} now (anonymous {Mb("RssAnon:"):0}, file {Mb("RssFile:"):0}), peak {Mb("VmHWM:"):0}");
        }

        static double PeakRssMegabytes(int pid)
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) ?? "VmHWM: 0 kB";
            return long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture) / 1024.0;
        }

        static double MemoryGigabytes()
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }

        static string FindRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Practitioners.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("Run from inside the repository.");
        }
    }
}

internal sealed record Options(int People, int Certificates, int Communities, int Seconds, int Connections, int OutboxMessages, bool Reuse, string[] Only)
{
    public static Options Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        return new Options(Get("people", 100_000), Get("certificates", 1_000_000), Get("communities", 10), Get("seconds", 15), Get("connections", 64), Get("outbox-messages", 20_000),
            args.Contains("--reuse"), Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length ? args[o + 1].Split(',') : []);
    }
}

/// <summary>The site's services against the benchmark database, to create the schema and the accounts the scenarios use.</summary>
internal sealed class BenchSite(string connectionString, string content, string folder, IEnumerable<(string, string)>? extra = null) : WebApplicationFactory<Program>
{
    public static IEnumerable<(string, string)> Settings(string connectionString, string content, string folder) =>
    [
        ("ConnectionStrings:Default", connectionString),
        ("Content:Folder", content),
        ("Jobs:Enabled", "false"),
        ("Seeding:DemoData", "false"),
        ("Email:Smtp:Host", ""),
        ("Email:PickupDirectory", ""),
        ("RateLimits:VerificationPerMinute", "100000000"),
        ("RateLimits:AccountPerMinute", "100000000"),
        ("RateLimits:PartnerApiPerMinute", "100000000"),
        // The benchmark's manager signs in with a password only: the dashboard's speed is measured, not the second step.
        ("Security:RequireTwoFactorForStaff", "false"),
        ("OpenBadges:KeyFile", Path.Combine(folder, "issuer.pem")),
        ("Logging:LogLevel:Default", "Warning"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings(connectionString, content, folder).Concat(extra ?? []))
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>What the scenarios need from the generated database.</summary>
internal sealed record BenchData(long StreetId, IReadOnlyList<string> Codes, IReadOnlyList<string> Numbers, IReadOnlyList<string> Learners)
{
    /// <summary>Reads them back from a database generated by an earlier run.</summary>
    public static BenchData Read(string connectionString, DateTime now)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        List<string> Strings(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$now", now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            using var reader = command.ExecuteReader();
            var list = new List<string>();
            while (reader.Read())
            {
                list.Add(reader.GetString(0));
            }
            return list;
        }
        const string Valid = "FROM Certificates WHERE RevokedAt IS NULL AND SuspendedAt IS NULL AND ExpiresAt > $now AND UserId LIKE 'bench-%' ORDER BY Id LIMIT 50000";
        var street = long.Parse(Strings("SELECT CAST(Id AS TEXT) FROM Streets WHERE Code = 'bench'")[0], CultureInfo.InvariantCulture);
        return new BenchData(street, Strings("SELECT VerificationCode " + Valid), Strings("SELECT Number " + Valid),
            Strings("SELECT Id FROM AspNetUsers WHERE Id LIKE 'bench-learner-%' ORDER BY Id"));
    }
}
