using Practitioners.Web.Features.Training.Content;

namespace Practitioners.Web.Features.Training;

public sealed record MyTrainingViewModel(IReadOnlyList<PathProgress> Paths);

public sealed record ModulePageViewModel(ModuleProgress Module, string Summary, IReadOnlyList<(int Number, string Title, bool Read)> Lessons,
    int PassMarkPercent, int QuestionsPerAttempt, int MaxAttempts, int CooldownMinutes, bool Refresher);

public sealed record LessonViewModel(string ModuleId, string ModuleTitle, int Number, int LessonCount, string Title, string Html, bool Read);

public sealed record QuizQuestionView(string Id, QuestionType Type, string Text, IReadOnlyList<(string Id, string Text)> Options);

public sealed record QuizViewModel(Guid AttemptId, string ModuleId, string ModuleTitle, int PassMarkPercent, IReadOnlyList<QuizQuestionView> Questions);

public sealed record ResultQuestionView(string Text, bool Correct, IReadOnlyList<string> Chosen, IReadOnlyList<string> CorrectOptions, string Explanation);

public sealed record QuizResultViewModel(string ModuleId, string ModuleTitle, int Score, bool Passed, int PassMarkPercent,
    IReadOnlyList<ResultQuestionView> Questions, ModuleStanding Standing, bool PathComplete);

public sealed record ModuleStatsRow(string ModuleId, int Version, string Title, bool Refresher, string? HeldBackReason,
    int Started, int Passed, int Attempts, int PassedAttempts, double? AverageScore)
{
    public double? PassRate => Attempts == 0 ? null : 100.0 * PassedAttempts / Attempts;
}

public sealed record TrainingAdminViewModel(IReadOnlyList<ModuleStatsRow> Modules);
