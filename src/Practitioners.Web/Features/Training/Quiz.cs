using System.Security.Cryptography;
using System.Text.Json;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.Web.Features.Training;

/// <summary>The questions of one attempt, each with its options in the order shown.</summary>
public sealed record QuizDraw(IReadOnlyList<DrawnQuestion> Questions)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static QuizDraw FromJson(string json) => JsonSerializer.Deserialize<QuizDraw>(json, Json)!;

    /// <summary>Draws questions from the bank and shuffles their options, with a cryptographic RNG.</summary>
    public static QuizDraw Draw(IReadOnlyList<QuestionContent> bank, int count)
    {
        var questions = bank.ToArray();
        RandomNumberGenerator.Shuffle(questions.AsSpan());
        return new QuizDraw(questions.Take(Math.Min(count, questions.Length)).Select(q =>
        {
            var options = q.Options.Select(o => o.Id).ToArray();
            if (q.Type != QuestionType.TrueFalse)
            {
                RandomNumberGenerator.Shuffle(options.AsSpan());
            }
            return new DrawnQuestion(q.Id, options);
        }).ToList());
    }
}

public sealed record DrawnQuestion(string QuestionId, IReadOnlyList<string> OptionIds);

public enum AnswerCheck
{
    Valid,
    UnknownQuestion,
    UnknownOption,
    TooManyOptions,
}

public sealed record QuestionResult(string QuestionId, bool Correct, IReadOnlyList<string> Chosen);

public sealed record QuizResult(int Score, bool Passed, IReadOnlyList<QuestionResult> Questions);

public static class Grading
{
    /// <summary>
    /// Checks that answers name only drawn questions and their options, and that single-answer questions
    /// have at most one option. Unanswered questions are allowed (they count as wrong).
    /// </summary>
    public static AnswerCheck Check(QuizDraw draw, IReadOnlyDictionary<string, IReadOnlyList<string>> answers,
        IReadOnlyDictionary<string, QuestionContent> bank)
    {
        var drawn = draw.Questions.ToDictionary(q => q.QuestionId);
        foreach (var (questionId, chosen) in answers)
        {
            if (!drawn.TryGetValue(questionId, out var question) || !bank.TryGetValue(questionId, out var content))
            {
                return AnswerCheck.UnknownQuestion;
            }
            if (chosen.Any(o => !question.OptionIds.Contains(o)) || chosen.Distinct().Count() != chosen.Count)
            {
                return AnswerCheck.UnknownOption;
            }
            if (content.Type != QuestionType.Multiple && chosen.Count > 1)
            {
                return AnswerCheck.TooManyOptions;
            }
        }
        return AnswerCheck.Valid;
    }

    /// <summary>A question is right when exactly its correct options were chosen; the score is the percentage right.</summary>
    public static QuizResult Grade(QuizDraw draw, IReadOnlyDictionary<string, IReadOnlyList<string>> answers,
        IReadOnlyDictionary<string, QuestionContent> bank, int passMarkPercent)
    {
        var results = draw.Questions.Select(q =>
        {
            var chosen = answers.TryGetValue(q.QuestionId, out var c) ? c : [];
            var correct = bank[q.QuestionId].Options.Where(o => o.Correct).Select(o => o.Id).ToHashSet();
            return new QuestionResult(q.QuestionId, correct.SetEquals(chosen), chosen);
        }).ToList();
        var score = results.Count == 0 ? 0 : (int)Math.Floor(100.0 * results.Count(r => r.Correct) / results.Count);
        return new QuizResult(score, score >= passMarkPercent, results);
    }
}

public enum ModuleState
{
    NotStarted,
    InProgress,
    Passed,
    Failed,
    CoolingDown,
    NoAttemptsLeft,
}

/// <summary>Where a learner stands with one module version.</summary>
public sealed record ModuleStanding(ModuleState State, int AttemptsUsed, int? AttemptsLeft, DateTime? NextAttemptAt, int? BestScore);

public static class AttemptRules
{
    /// <summary>
    /// Works out the learner's state from their submitted attempts (oldest first) since the last reset.
    /// A failed attempt starts the cooldown; when the attempts are used up only a training admin can open a new round.
    /// </summary>
    public static ModuleStanding Standing(bool passed, bool anyProgress, IReadOnlyList<(DateTime SubmittedAt, int Score, bool Passed)> attempts,
        int maxAttempts, int cooldownMinutes, DateTime now)
    {
        var best = attempts.Count == 0 ? (int?)null : attempts.Max(a => a.Score);
        if (passed)
        {
            return new ModuleStanding(ModuleState.Passed, attempts.Count, null, null, best);
        }
        int? left = maxAttempts == 0 ? null : Math.Max(0, maxAttempts - attempts.Count);
        if (left == 0)
        {
            return new ModuleStanding(ModuleState.NoAttemptsLeft, attempts.Count, 0, null, best);
        }
        if (attempts.Count > 0)
        {
            var next = attempts[^1].SubmittedAt.AddMinutes(cooldownMinutes);
            return next > now
                ? new ModuleStanding(ModuleState.CoolingDown, attempts.Count, left, next, best)
                : new ModuleStanding(ModuleState.Failed, attempts.Count, left, null, best);
        }
        return new ModuleStanding(anyProgress ? ModuleState.InProgress : ModuleState.NotStarted, 0, left, null, best);
    }
}
