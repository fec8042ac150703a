using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Reminders;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Infrastructure.Email;
using Practitioners.Web.Infrastructure.Jobs;

namespace Practitioners.Benchmarks;

public sealed record PlannerFigures(TimeSpan Planning, int Planned, TimeSpan RawCount, long Due);

public sealed record OutboxFigures(int Sent, TimeSpan Elapsed, int Sessions, int Received);

public sealed record QuizFigures(int Commits, int Errors, TimeSpan Elapsed, IReadOnlyList<string> ErrorSamples, bool StoredOnce, string Stored);

/// <summary>The in-process scenarios: the site's own services against the generated database, no HTTP.</summary>
internal static class InProcess
{
    /// <summary>
    /// The daily planner over the whole database, against the reference: a raw count of the certificates in the
    /// same expiry windows through the ExpiresAt index, in the same process on the same file.
    /// </summary>
    public static async Task<PlannerFigures> ReminderPlannerAsync(IServiceProvider services, string connectionString)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var zone = sp.GetRequiredService<IOptions<JobOptions>>().Value.Zone;
        var catchUp = sp.GetRequiredService<IOptions<ReminderSettings>>().Value.CatchUpDays;
        var credentials = sp.GetRequiredService<IOptions<CredentialSettings>>().Value;

        var watch = Stopwatch.StartNew();
        long due = 0;
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var track in Enum.GetValues<RoleTrack>())
            {
                var type = credentials.For(track);
                var windows = ReminderWindow.For(type.ReminderDays, now, zone, catchUp)
                    .Concat(ReminderWindow.For(type.ManagerReminderDays.Select(d => -d), now, zone, catchUp));
                foreach (var window in windows)
                {
                    await using var count = connection.CreateCommand();
                    count.CommandText = "SELECT count(*) FROM Certificates WHERE ExpiresAt >= $from AND ExpiresAt < $before AND Track = $track";
                    count.Parameters.AddWithValue("$from", window.From.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
                    count.Parameters.AddWithValue("$before", window.Before.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF"));
                    count.Parameters.AddWithValue("$track", track.ToString());
                    due += (long)(await count.ExecuteScalarAsync())!;
                }
            }
        }
        var raw = watch.Elapsed;
        watch.Restart();
        var planned = await sp.GetRequiredService<PlanReminders>().PlanAsync(CancellationToken.None);
        return new PlannerFigures(watch.Elapsed, planned, raw, due);
    }

    /// <summary>Renders the planned reminders into the outbox, then times the sender draining it to the sink.</summary>
    public static async Task<OutboxFigures> OutboxSendAsync(IServiceProvider services, Func<int> sessions, Func<int> received, int limit)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            // Keep the run to a fixed number of messages so that its length does not depend on the day's windows.
            await db.Database.ExecuteSqlRawAsync(
                "DELETE FROM Reminders WHERE Id NOT IN (SELECT Id FROM Reminders ORDER BY Id LIMIT {0})", limit);
            await scope.ServiceProvider.GetRequiredService<RenderReminders>().RunAsync(CancellationToken.None);
        }
        var watch = Stopwatch.StartNew();
        var sent = 0;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<SendOutbox>().RunAsync(CancellationToken.None);
            sent += run.Sent;
            if (run.Sent == 0)
            {
                break;
            }
        }
        return new OutboxFigures(sent, watch.Elapsed, sessions(), received());
    }

    /// <summary>
    /// Writers at once, each taking learners in turn and starting and submitting quiz attempts through the site's
    /// own use cases for a fixed time; a commit is a graded submission. Errors are exceptions and refusals.
    /// </summary>
    public static async Task<QuizFigures> QuizSubmitAsync(IServiceProvider services, IReadOnlyList<string> learners, int writers, TimeSpan duration)
    {
        var queue = new ConcurrentQueue<(string Learner, string Module)>(
            learners.SelectMany(l => Generator.Paths["Volunteer"].Select(m => (l, m))));
        var commits = 0;
        var errors = 0;
        var samples = new ConcurrentBag<string>();
        var graded = new ConcurrentBag<Guid>();
        var stop = DateTime.UtcNow + duration;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < stop && queue.TryDequeue(out var work))
            {
                try
                {
                    while (DateTime.UtcNow < stop)
                    {
                        await using var scope = services.CreateAsyncScope();
                        var sp = scope.ServiceProvider;
                        var (outcome, attemptId) = await sp.GetRequiredService<StartQuizAttempt>().RunAsync(work.Learner, work.Module, CancellationToken.None);
                        if (outcome != StartAttemptOutcome.Started || attemptId is not { } id)
                        {
                            if (outcome == StartAttemptOutcome.NotFound)
                            {
                                Interlocked.Increment(ref errors);
                                samples.Add($"start {work.Module}: {outcome}");
                            }
                            break; // passed, cooling down or out of attempts: the next learner and module
                        }
                        var db = sp.GetRequiredService<AppDbContext>();
                        var drawn = QuizDraw.FromJson(await db.QuizAttempts.AsNoTracking().Where(a => a.Id == id).Select(a => a.Drawn).SingleAsync());
                        var answers = drawn.Questions.ToDictionary(q => q.QuestionId, q => (IReadOnlyList<string>)[q.OptionIds[Random.Shared.Next(q.OptionIds.Count)]]);
                        var (submitted, _) = await sp.GetRequiredService<SubmitQuiz>().RunAsync(work.Learner, id, answers, CancellationToken.None);
                        if (submitted == SubmitOutcome.Graded)
                        {
                            Interlocked.Increment(ref commits);
                            graded.Add(id);
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                            samples.Add($"submit: {submitted}");
                        }
                    }
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    samples.Add(e.GetType().Name + ": " + e.Message);
                }
            }
        }))).ConfigureAwait(false);
        var elapsed = watch.Elapsed;

        // Every accepted submission stored exactly once: its attempt closed with a score, one "submitted" audit row each.
        var ids = graded.Select(g => g.ToString()).ToList();
        var stored = 0;
        var audited = 0;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var chunk in ids.Chunk(500))
            {
                var guids = chunk.Select(Guid.Parse).ToList();
                stored += await db.QuizAttempts.CountAsync(a => guids.Contains(a.Id) && a.SubmittedAt != null && a.Score != null);
                audited += await db.AuditEvents.CountAsync(e => e.Action == "training.quiz.submitted" && chunk.Contains(e.SubjectId));
            }
        }
        return new QuizFigures(commits, errors, elapsed, samples.Take(5).ToList(), ids.Distinct().Count() == commits && stored == commits && audited == commits,
            $"{ids.Distinct().Count()} distinct attempts graded, {stored} stored with a score, {audited} audit rows");
    }
}
