using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Training.Content;

/// <summary>Text in both languages, as written in content/.</summary>
public sealed record LocalizedText(string Zh, string En)
{
    public string Current => Cultures.Pick(Zh, En);

    public string For(string culture) => culture == Cultures.English ? En : Zh;
}

/// <summary>One version of a module as read from content/modules/&lt;id&gt;/.</summary>
public sealed record ModuleContent(
    string Id,
    int Version,
    LocalizedText Title,
    LocalizedText Summary,
    IReadOnlyList<RoleTrack> Roles,
    int EstimatedMinutes,
    int PassMarkPercent,
    int QuestionsPerAttempt,
    int MaxAttempts,
    int CooldownMinutes,
    bool Refresher,
    IReadOnlyList<LessonContent> Lessons,
    IReadOnlyList<QuestionContent> Questions)
{
    /// <summary>SHA-256 (hex) over the module's files, to notice content changed without a new version.</summary>
    public string ContentHash { get; init; } = "";
}

/// <summary>A lesson: number (01 → 1), title and Markdown body in both languages.</summary>
public sealed record LessonContent(int Number, LocalizedText Title, LocalizedText Markdown);

public enum QuestionType
{
    Single,
    Multiple,
    TrueFalse,
}

/// <summary>
/// A question of the bank. True/false questions carry two synthesised options, "true" and "false",
/// with the correct one marked, so grading treats every type alike.
/// </summary>
public sealed record QuestionContent(string Id, QuestionType Type, LocalizedText Text, IReadOnlyList<OptionContent> Options, LocalizedText Explanation);

public sealed record OptionContent(string Id, LocalizedText Text, bool Correct);

/// <summary>The modules a credential type requires (V, P or R), and the shorter set that renews it.</summary>
public sealed record LearningPath(char CredentialType, IReadOnlyList<string> Initial, IReadOnlyList<string> Refresher);

public sealed record AgreementContent(
    string Id,
    LocalizedText Title,
    IReadOnlyList<RoleTrack> Roles,
    bool Countersignature,
    int? GuardianConsentUnderAge,
    int? ReacceptanceMonths,
    bool Template,
    IReadOnlyList<AgreementVersionContent> Versions);

public sealed record AgreementVersionContent(int Version, DateOnly Effective, bool Material, LocalizedText Changes, LocalizedText Text);

public sealed record ContentSet(IReadOnlyList<ModuleContent> Modules, IReadOnlyList<LearningPath> Paths, IReadOnlyList<AgreementContent> Agreements);

/// <summary>A problem found in content/, reported as <c>file:line: message</c> (file relative to the content folder).</summary>
public sealed record ContentProblem(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>
/// What was read: every module, path and agreement that is valid, the problems found, and the ids of modules
/// and agreements that had problems (those are left out of <see cref="Content"/>).
/// </summary>
public sealed record ContentReadResult(ContentSet Content, IReadOnlyList<ContentProblem> Problems, IReadOnlySet<string> HeldBack);
