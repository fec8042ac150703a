using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Audit;

namespace Practitioners.Web.Features.Training;

public enum StartAttemptOutcome
{
    Started,
    NotFound,
    AlreadyPassed,
    CoolingDown,
    NoAttemptsLeft,
}

/// <summary>Opens an attempt (or returns the one still open): questions drawn and options shuffled now, once.</summary>
public sealed class StartQuizAttempt(AppDbContext db, LearnerProgress progress, ModuleBodyCache cache, AdvanceAdmissions advance, TimeProvider clock)
{
    public async Task<(StartAttemptOutcome Outcome, Guid? AttemptId)> RunAsync(string userId, string moduleId, CancellationToken ct)
    {
        if (await progress.StudyAsync(userId, moduleId, ct) is not { Available: true } module)
        {
            return (StartAttemptOutcome.NotFound, null);
        }
        switch (module.Standing.State)
        {
            case ModuleState.Passed: return (StartAttemptOutcome.AlreadyPassed, null);
            case ModuleState.CoolingDown: return (StartAttemptOutcome.CoolingDown, null);
            case ModuleState.NoAttemptsLeft: return (StartAttemptOutcome.NoAttemptsLeft, null);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var open = await db.QuizAttempts.AsNoTracking()
            .Where(a => a.UserId == userId && a.ModuleId == moduleId && a.Version == module.Version && a.SubmittedAt == null)
            .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        if (open is { } id)
        {
            return (StartAttemptOutcome.Started, id);
        }
        // The body is parsed once per process; it is read from the database only when the cache lacks it.
        var questionsPerAttempt = await db.ModuleVersions.AsNoTracking()
            .Where(v => v.ModuleId == moduleId && v.Version == module.Version)
            .Select(v => v.QuestionsPerAttempt).SingleAsync(ct);
        var body = cache.Get(moduleId, module.Version,
            () => db.ModuleVersions.Where(v => v.ModuleId == moduleId && v.Version == module.Version).Select(v => v.Body).Single());
        var attempt = new QuizAttempt
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            ModuleId = moduleId,
            Version = module.Version,
            StartedAt = clock.GetUtcNow().UtcDateTime,
            Drawn = QuizDraw.Draw(body.Questions, questionsPerAttempt).ToJson(),
        };
        db.QuizAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        await advance.RunAsync(userId, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (StartAttemptOutcome.Started, attempt.Id);
    }
}

public enum SubmitOutcome
{
    Graded,
    NotFound,
    AlreadySubmitted,
    InvalidAnswers,
}

/// <summary>
/// Grades an attempt on the server. The attempt is closed with a conditional update, so a replayed or
/// concurrent post of the same attempt is refused and changes nothing; a pass records the completion.
/// </summary>
public sealed class SubmitQuiz(AppDbContext db, ModuleBodyCache cache, AdvanceAdmissions advance, AuditLog audit, TimeProvider clock)
{
    public async Task<(SubmitOutcome Outcome, QuizResult? Result)> RunAsync(
        string userId, Guid attemptId, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, CancellationToken ct)
    {
        var attempt = await db.QuizAttempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attemptId && a.UserId == userId, ct);
        if (attempt is null)
        {
            return (SubmitOutcome.NotFound, null);
        }
        if (attempt.SubmittedAt is not null)
        {
            return (SubmitOutcome.AlreadySubmitted, null);
        }
        var passMark = await db.ModuleVersions.AsNoTracking()
            .Where(v => v.ModuleId == attempt.ModuleId && v.Version == attempt.Version)
            .Select(v => v.PassMarkPercent).SingleAsync(ct);
        var body = cache.Get(attempt.ModuleId, attempt.Version,
            () => db.ModuleVersions.Where(v => v.ModuleId == attempt.ModuleId && v.Version == attempt.Version).Select(v => v.Body).Single());
        var draw = QuizDraw.FromJson(attempt.Drawn);
        if (Grading.Check(draw, answers, body.Bank) != AnswerCheck.Valid)
        {
            return (SubmitOutcome.InvalidAnswers, null);
        }
        var result = Grading.Grade(draw, answers, body.Bank, passMark);
        var now = clock.GetUtcNow().UtcDateTime;
        var answersJson = System.Text.Json.JsonSerializer.Serialize(answers);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var closed = await db.QuizAttempts
            .Where(a => a.Id == attemptId && a.SubmittedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.SubmittedAt, now)
                .SetProperty(a => a.Answers, answersJson)
                .SetProperty(a => a.Score, result.Score)
                .SetProperty(a => a.Passed, result.Passed), ct);
        if (closed == 0)
        {
            return (SubmitOutcome.AlreadySubmitted, null);
        }
        if (result.Passed && !await db.ModuleCompletions.AnyAsync(c => c.UserId == userId && c.ModuleId == attempt.ModuleId && c.Version == attempt.Version, ct))
        {
            db.ModuleCompletions.Add(new ModuleCompletion
            {
                UserId = userId, ModuleId = attempt.ModuleId, Version = attempt.Version,
                Score = result.Score, CompletedAt = now, AttemptId = attemptId,
            });
            audit.Record("training.module.passed", "Module", attempt.ModuleId, userId, new { attempt.Version, result.Score });
        }
        audit.Record("training.quiz.submitted", "QuizAttempt", attemptId.ToString(), userId, new { result.Score, result.Passed });
        // The completion must be in the database before the admissions look at the path.
        await db.SaveChangesAsync(ct);
        await advance.RunAsync(userId, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (SubmitOutcome.Graded, result);
    }
}

/// <summary>Records a lesson as read (once) and lets the admission show that training has started.</summary>
public sealed class MarkLessonRead(AppDbContext db, AdvanceAdmissions advance, TimeProvider clock)
{
    public async Task RunAsync(string userId, string moduleId, int version, int lesson, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LessonReads.AnyAsync(r => r.UserId == userId && r.ModuleId == moduleId && r.Version == version && r.LessonNumber == lesson, ct))
        {
            db.LessonReads.Add(new LessonRead
            {
                UserId = userId, ModuleId = moduleId, Version = version, LessonNumber = lesson, ReadAt = clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
        }
        await advance.RunAsync(userId, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
