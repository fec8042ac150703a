using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.Web.Features.Training;

public sealed record ModuleProgress(
    string ModuleId, int Version, string Title, int EstimatedMinutes, int LessonCount, int LessonsRead,
    int? ResumeLesson, ModuleStanding Standing, bool Available, IReadOnlySet<int> ReadLessons);

/// <summary>What a lesson page needs of a module: no quiz standing.</summary>
public sealed record LessonStanding(int Version, string Title, int LessonCount, IReadOnlySet<int> ReadLessons);

public sealed record PathProgress(char CredentialType, PathKind Kind, IReadOnlyList<ModuleProgress> Modules)
{
    public int Passed => Modules.Count(m => m.Standing.State == ModuleState.Passed);
    public int Percent => Modules.Count == 0 ? 0 : 100 * Passed / Modules.Count;
    public bool Complete => Modules.Count > 0 && Passed == Modules.Count;
}

/// <summary>A learner's standing on every module of the paths their admissions need, in a fixed handful of queries.</summary>
public sealed class LearnerProgress(AppDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<PathProgress>> PathsAsync(string userId, CancellationToken ct)
    {
        var types = (await db.Admissions.AsNoTracking()
                .Where(a => a.UserId == userId && a.State != AdmissionState.Withdrawn)
                .Select(a => a.Track).Distinct().ToListAsync(ct))
            .Select(t => t.CredentialLetter().ToString()).ToList();
        if (types.Count == 0)
        {
            return [];
        }
        var entries = await db.LearningPathEntries.AsNoTracking()
            .Where(p => types.Contains(p.CredentialType))
            .OrderBy(p => p.CredentialType).ThenBy(p => p.Kind).ThenBy(p => p.Position)
            .ToListAsync(ct);
        var standings = await StandingsAsync(userId, entries.Select(e => e.ModuleId).Distinct().ToList(), ct);
        return entries
            .GroupBy(e => (e.CredentialType, e.Kind))
            .Select(g => new PathProgress(g.Key.CredentialType[0], g.Key.Kind, g.Select(e => standings[e.ModuleId]).ToList()))
            .OrderBy(p => "VPR".IndexOf(p.CredentialType, StringComparison.Ordinal)).ThenBy(p => p.Kind)
            .ToList();
    }

    /// <summary>
    /// One module's standing, or null when the person may not study it (it is on none of their open admissions' paths)
    /// or it does not exist. The lesson page, the module page and starting a quiz are hot: this is three compiled
    /// queries on one connection, with no collection parameters.
    /// </summary>
    public Task<ModuleProgress?> StudyAsync(string userId, string moduleId, CancellationToken ct) => StandingAsync(userId, moduleId, true, ct);

    /// <summary>One module's standing whether or not the person may still study it (a result page after the path changed).</summary>
    public Task<ModuleProgress?> ModuleAsync(string userId, string moduleId, CancellationToken ct) => StandingAsync(userId, moduleId, false, ct);

    private async Task<ModuleProgress?> StandingAsync(string userId, string moduleId, bool mustMayStudy, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await HeadQuery(db, userId, moduleId) is not { } head || (mustMayStudy && !head.MayStudy))
            {
                return null;
            }
            var read = await ReadAsync(userId, moduleId, head.CurrentVersion, ct);
            var mine = new List<(DateTime, int, bool)>();
            await foreach (var a in AttemptsQuery(db, userId, moduleId, head.CurrentVersion).WithCancellation(ct))
            {
                mine.Add((a.SubmittedAt, a.Score, a.Passed));
            }
            return Progress(moduleId, head.CurrentVersion, head.Version, head.Passed, read, mine, clock.GetUtcNow().UtcDateTime);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// What a lesson page shows: the module's current version, title, lesson count and the lessons read, or null when
    /// the person may not study it. Two compiled queries on one connection; the quiz standing is not read.
    /// </summary>
    public async Task<LessonStanding?> LessonAsync(string userId, string moduleId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await HeadQuery(db, userId, moduleId) is not { MayStudy: true, Version: { } v } head)
            {
                return null;
            }
            return new LessonStanding(head.CurrentVersion, Infrastructure.Localization.Cultures.Pick(v.TitleZh, v.TitleEn), v.LessonCount,
                await ReadAsync(userId, moduleId, head.CurrentVersion, ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<HashSet<int>> ReadAsync(string userId, string moduleId, int version, CancellationToken ct)
    {
        var read = new HashSet<int>();
        await foreach (var number in ReadsQuery(db, userId, moduleId, version).WithCancellation(ct))
        {
            read.Add(number);
        }
        return read;
    }

    private sealed record VersionFacts(string TitleZh, string TitleEn, int EstimatedMinutes, int LessonCount, int MaxAttempts, int CooldownMinutes);

    private sealed record ModuleHead(int CurrentVersion, VersionFacts? Version, bool Passed, bool MayStudy);

    private sealed record SubmittedAttempt(DateTime SubmittedAt, int Score, bool Passed);

    private static readonly Func<AppDbContext, string, string, Task<ModuleHead?>> HeadQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string userId, string moduleId) => db.TrainingModules.AsNoTracking()
            .Where(m => m.Id == moduleId)
            .Select(m => new ModuleHead(
                m.CurrentVersion,
                db.ModuleVersions.Where(v => v.ModuleId == m.Id && v.Version == m.CurrentVersion)
                    .Select(v => new VersionFacts(v.TitleZh, v.TitleEn, v.EstimatedMinutes, v.LessonCount, v.MaxAttempts, v.CooldownMinutes))
                    .FirstOrDefault(),
                db.ModuleCompletions.Any(c => c.UserId == userId && c.ModuleId == m.Id),
                // May study: the module is on the path of one of the person's open admissions.
                db.LearningPathEntries.Any(p => p.ModuleId == m.Id && db.Admissions.Any(a =>
                    a.UserId == userId && a.State != AdmissionState.Withdrawn
                    && ((a.Track == RoleTrack.Volunteer && p.CredentialType == "V")
                        || (a.Track == RoleTrack.ServiceProvider && p.CredentialType == "P")
                        || (a.Track == RoleTrack.Researcher && p.CredentialType == "R"))))))
            .FirstOrDefault());

    private static readonly Func<AppDbContext, string, string, int, IAsyncEnumerable<int>> ReadsQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string userId, string moduleId, int version) => db.LessonReads.AsNoTracking()
            .Where(r => r.UserId == userId && r.ModuleId == moduleId && r.Version == version)
            .Select(r => r.LessonNumber));

    private static readonly Func<AppDbContext, string, string, int, IAsyncEnumerable<SubmittedAttempt>> AttemptsQuery = EF.CompileAsyncQuery(
        (AppDbContext db, string userId, string moduleId, int version) => db.QuizAttempts.AsNoTracking()
            .Where(a => a.UserId == userId && a.ModuleId == moduleId && a.Version == version && a.SubmittedAt != null
                && !db.AttemptResets.Any(r => r.UserId == userId && r.ModuleId == moduleId && r.Version == version && r.At > a.SubmittedAt))
            .OrderBy(a => a.SubmittedAt)
            .Select(a => new SubmittedAttempt(a.SubmittedAt!.Value, a.Score ?? 0, a.Passed == true)));

    private static ModuleProgress Progress(string moduleId, int currentVersion, VersionFacts? v, bool passed, HashSet<int> read,
        List<(DateTime SubmittedAt, int Score, bool Passed)> mine, DateTime now)
    {
        var standing = v is null
            ? new ModuleStanding(ModuleState.NotStarted, 0, null, null, null)
            : AttemptRules.Standing(passed, read.Count > 0, mine, v.MaxAttempts, v.CooldownMinutes, now);
        int? resume = v is null ? null : Enumerable.Range(1, v.LessonCount).Cast<int?>().FirstOrDefault(n => !read.Contains(n!.Value));
        return new ModuleProgress(moduleId, currentVersion,
            v is null ? moduleId : Infrastructure.Localization.Cultures.Pick(v.TitleZh, v.TitleEn),
            v?.EstimatedMinutes ?? 0, v?.LessonCount ?? 0, read.Count, resume, standing, v is not null, read);
    }

    private async Task<Dictionary<string, ModuleProgress>> StandingsAsync(string userId, List<string> moduleIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var modules = await db.TrainingModules.AsNoTracking()
            .Where(m => moduleIds.Contains(m.Id))
            .Select(m => new
            {
                m.Id,
                m.CurrentVersion,
                Version = db.ModuleVersions.Where(v => v.ModuleId == m.Id && v.Version == m.CurrentVersion)
                    .Select(v => new { v.TitleZh, v.TitleEn, v.EstimatedMinutes, v.LessonCount, v.MaxAttempts, v.CooldownMinutes })
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);
        var passed = (await db.ModuleCompletions.AsNoTracking()
            .Where(c => c.UserId == userId && moduleIds.Contains(c.ModuleId))
            .Select(c => c.ModuleId).Distinct().ToListAsync(ct)).ToHashSet();
        var reads = await db.LessonReads.AsNoTracking()
            .Where(r => r.UserId == userId && moduleIds.Contains(r.ModuleId)
                && db.TrainingModules.Any(m => m.Id == r.ModuleId && m.CurrentVersion == r.Version))
            .Select(r => new { r.ModuleId, r.LessonNumber })
            .ToListAsync(ct);
        var attempts = await db.QuizAttempts.AsNoTracking()
            .Where(a => a.UserId == userId && moduleIds.Contains(a.ModuleId) && a.SubmittedAt != null
                && db.TrainingModules.Any(m => m.Id == a.ModuleId && m.CurrentVersion == a.Version)
                && !db.AttemptResets.Any(r => r.UserId == userId && r.ModuleId == a.ModuleId && r.Version == a.Version && r.At > a.SubmittedAt))
            .OrderBy(a => a.SubmittedAt)
            .Select(a => new { a.ModuleId, SubmittedAt = a.SubmittedAt!.Value, Score = a.Score ?? 0, Passed = a.Passed == true })
            .ToListAsync(ct);

        var result = new Dictionary<string, ModuleProgress>();
        foreach (var m in modules)
        {
            var v = m.Version is { } x ? new VersionFacts(x.TitleZh, x.TitleEn, x.EstimatedMinutes, x.LessonCount, x.MaxAttempts, x.CooldownMinutes) : null;
            var read = reads.Where(r => r.ModuleId == m.Id).Select(r => r.LessonNumber).ToHashSet();
            var mine = attempts.Where(a => a.ModuleId == m.Id).Select(a => (a.SubmittedAt, a.Score, a.Passed)).ToList();
            result[m.Id] = Progress(m.Id, m.CurrentVersion, v, passed.Contains(m.Id), read, mine, now);
        }
        return result;
    }
}

public static class TrainingQueries
{
    /// <summary>Whether the person has read a lesson, started a quiz or passed a module of the credential type's initial path.</summary>
    public static async Task<bool> TrainingStartedAsync(this AppDbContext db, string userId, char credentialType, CancellationToken ct) =>
        await Started(db, userId, credentialType.ToString(), ct);

    /// <summary>Whether the person has passed (any version of) every module on the initial path of a credential type.</summary>
    public static async Task<bool> InitialPathCompleteAsync(this AppDbContext db, string userId, char credentialType, CancellationToken ct) =>
        await PathExists(db, credentialType.ToString(), ct) && !await AnyMissing(db, userId, credentialType.ToString(), ct);

    // Compiled: both run inside the write transactions of quiz submissions and lesson reads, which SQLite serialises.
    private static readonly Func<AppDbContext, string, string, CancellationToken, Task<bool>> Started = EF.CompileAsyncQuery(
        (AppDbContext db, string userId, string type, CancellationToken ct) => db.LearningPathEntries
            .Where(p => p.CredentialType == type && p.Kind == PathKind.Initial)
            .Any(p => db.LessonReads.Any(r => r.UserId == userId && r.ModuleId == p.ModuleId)
                || db.QuizAttempts.Any(a => a.UserId == userId && a.ModuleId == p.ModuleId)
                || db.ModuleCompletions.Any(c => c.UserId == userId && c.ModuleId == p.ModuleId)));

    private static readonly Func<AppDbContext, string, CancellationToken, Task<bool>> PathExists = EF.CompileAsyncQuery(
        (AppDbContext db, string type, CancellationToken ct) => db.LearningPathEntries.Any(p => p.CredentialType == type && p.Kind == PathKind.Initial));

    private static readonly Func<AppDbContext, string, string, CancellationToken, Task<bool>> AnyMissing = EF.CompileAsyncQuery(
        (AppDbContext db, string userId, string type, CancellationToken ct) => db.LearningPathEntries.Any(p => p.CredentialType == type
            && p.Kind == PathKind.Initial && !db.ModuleCompletions.Any(c => c.UserId == userId && c.ModuleId == p.ModuleId)));
}
