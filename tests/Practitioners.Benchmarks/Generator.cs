using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.Benchmarks;

/// <summary>
/// Fills a site database with one street of communities, people, admissions and certificates in realistic states,
/// with prepared bulk inserts in one transaction (not entity by entity). The schema comes from the site itself.
/// </summary>
public sealed class Generator(string connectionString, int communities, int people, int certificates, DateTime now, int learners = 3_000)
{
    public const string Password = "benchmark password 1";

    /// <summary>The modules of each role's initial path (content/paths.yaml), for the completions of trained people.</summary>
    public static readonly Dictionary<string, string[]> Paths = new()
    {
        ["Volunteer"] = ["core-rights-principles", "core-abuse-recognition-reporting", "core-needs-by-age", "core-safe-spaces",
            "volunteer-conduct-boundaries", "volunteer-safe-activity", "volunteer-families-grandparents"],
        ["ServiceProvider"] = ["core-rights-principles", "core-abuse-recognition-reporting", "core-needs-by-age", "core-safe-spaces",
            "provider-case-management-referral", "provider-inclusive-disability", "provider-ethics-records"],
        ["Researcher"] = ["core-rights-principles", "core-abuse-recognition-reporting", "researcher-consent-assent",
            "researcher-child-data-protection", "researcher-child-participation"],
    };

    public List<string> Codes { get; } = [];

    /// <summary>People in training (a volunteer admission, nothing passed) for the concurrent quiz scenario.</summary>
    public List<string> Learners { get; } = [];
    public List<string> Numbers { get; } = [];

    public TimeSpan Run(string passwordHash, string securityStamp)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Exec(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;");
        using var tx = connection.BeginTransaction();
        var street = Scalar(connection, tx, "INSERT INTO Streets (Code, NameZh, NameEn) VALUES ('bench', '基准街道', 'Benchmark street') RETURNING Id");
        var communityIds = new List<long>();
        for (var c = 0; c < communities; c++)
        {
            communityIds.Add(Scalar(connection, tx,
                $"INSERT INTO Communities (StreetId, Code, NameZh, NameEn, RequiresApproval) VALUES ({street}, 'bench-{c}', '基准社区{c}', 'Benchmark community {c}', 0) RETURNING Id"));
        }

        var user = Prepare(connection, tx, """
            INSERT INTO AspNetUsers (Id, FullName, PreferredCulture, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail,
              EmailConfirmed, PasswordHash, SecurityStamp, ConcurrencyStamp, PhoneNumber, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
            VALUES ($id, $name, 'zh-CN', $now, $email, $upper, $email, $upper, 1, $hash, $stamp, $stamp, $phone, 0, 0, 1, 0)
            """, "$id", "$name", "$now", "$email", "$upper", "$hash", "$stamp", "$phone");
        var admission = Prepare(connection, tx, """
            INSERT INTO Admissions (UserId, CommunityId, Track, State, CreatedAt, UpdatedAt) VALUES ($user, $community, $track, $state, $at, $at) RETURNING Id
            """, "$user", "$community", "$track", "$state", "$at");
        var certificate = Prepare(connection, tx, """
            INSERT INTO Certificates (Number, VerificationCode, UserId, AdmissionId, CommunityId, Track, IssuedAt, ExpiresAt, SuspendedAt, RevokedAt, Reason)
            VALUES ($number, $code, $user, $admission, $community, $track, $issued, $expires, $suspended, $revoked, $reason) RETURNING Id
            """, "$number", "$code", "$user", "$admission", "$community", "$track", "$issued", "$expires", "$suspended", "$revoked", "$reason");
        var issued = Prepare(connection, tx, """
            INSERT INTO CertificateEvents (CertificateId, Kind, At, ExpiresAt) VALUES ($certificate, 'Issued', $at, $expires)
            """, "$certificate", "$at", "$expires");

        var completion = Prepare(connection, tx, """
            INSERT INTO ModuleCompletions (UserId, ModuleId, Version, Score, CompletedAt, AttemptId) VALUES ($user, $module, 1, 90, $at, $attempt)
            """, "$user", "$module", "$at", "$attempt");
        var signature = Prepare(connection, tx, """
            INSERT INTO Signatures (AgreementId, Version, Role, UserId, AdmissionId, Language, TextHash, TypedName, NeedsCountersignature, NeedsGuardian, Declined, SignedAt)
            VALUES ('provider-access-agreement', 1, 'Holder', $user, $admission, 'zh-CN', 'benchmark', $name, 1, 0, 0, $at)
            """, "$user", "$admission", "$name", "$at");

        var random = new Random(20261129);
        var tracks = new[] { "Volunteer", "ServiceProvider", "Researcher" };
        var perPerson = Math.Max(1, (int)Math.Ceiling(certificates / (double)people));
        var sequence = new Dictionary<string, int>();
        var made = 0;
        for (var p = 0; p < people; p++)
        {
            var id = $"bench-{p:D7}";
            Run(user, id, $"基准人员{p}", Iso(now), $"p{p}@bench.example.cn", $"P{p}@BENCH.EXAMPLE.CN", passwordHash, securityStamp, $"139{p:D8}");
            // Everyone certified passed their role's path; one in a hundred is waiting for approval of a second role and
            // one in a hundred has signed a provider agreement that waits for a countersignature.
            foreach (var module in Paths[tracks[p % 3]])
            {
                Run(completion, id, module, Iso(now.AddDays(-random.Next(30, 900))), Guid.NewGuid().ToString());
            }
            if (p % 100 is 0 or 1)
            {
                var extra = (long)Run(admission, id, communityIds[p % communityIds.Count], tracks[(p + 1) % 3],
                    p % 100 == 0 ? "AwaitingApproval" : "AwaitingSignature", Iso(now.AddDays(-random.Next(0, 20))))!;
                if (p % 100 == 1)
                {
                    Run(signature, id, extra, $"基准人员{p}", Iso(now.AddDays(-random.Next(0, 20))));
                }
            }
            for (var k = 0; k < perPerson && made < certificates; k++, made++)
            {
                // Admissions spread over communities and roles so that (person, community, role) stays unique.
                var community = communityIds[(p + k) % communityIds.Count];
                var track = tracks[(k / communityIds.Count + p) % 3];
                var issuedAt = now.AddDays(-random.Next(0, 800));
                var months = track == "Volunteer" ? 12 : track == "ServiceProvider" ? 24 : 36;
                var expires = issuedAt.AddMonths(months);
                var roll = random.Next(100);
                var revoked = roll < 2 ? Iso(issuedAt.AddDays(10)) : null;
                var suspended = roll is >= 2 and < 4 ? Iso(issuedAt.AddDays(10)) : null;
                var state = revoked is not null ? "Withdrawn" : suspended is not null ? "Suspended" : expires <= now ? "Lapsed" : "Active";
                var admissionId = (long)Run(admission, id, community, track, state, Iso(issuedAt))!;
                var prefix = $"CFC-{track[0] switch { 'V' => 'V', 'S' => 'P', _ => 'R' }}-{issuedAt.Year}-";
                var n = sequence[prefix] = sequence.GetValueOrDefault(prefix) + 1;
                var number = prefix + n.ToString("D6");
                var code = CertificateCodes.NewVerificationCode();
                var certificateId = (long)Run(certificate, number, code, id, admissionId, community, track, Iso(issuedAt), Iso(expires), suspended, revoked,
                    revoked is not null || suspended is not null ? "benchmark" : null)!;
                Run(issued, certificateId, Iso(issuedAt), Iso(expires));
                if (revoked is null && suspended is null && expires > now && Codes.Count < 50_000)
                {
                    Codes.Add(code);
                    Numbers.Add(number);
                }
            }
        }
        for (var i = 0; i < learners; i++)
        {
            var id = $"bench-learner-{i:D5}";
            Run(user, id, $"基准学员{i}", Iso(now), $"l{i}@bench.example.cn", $"L{i}@BENCH.EXAMPLE.CN", passwordHash, securityStamp, $"138{i:D8}");
            Run(admission, id, communityIds[i % communityIds.Count], "Volunteer", "InTraining", Iso(now));
            Learners.Add(id);
        }
        tx.Commit();
        Exec(connection, "ANALYZE;");
        return watch.Elapsed;
    }

    private static string Iso(DateTime d) => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF");

    private static long Scalar(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }
        command.Prepare();
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
