using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.Web.Features.Training;

/// <summary>Where content comes from: a folder of files in production, a corpus in tests.</summary>
public interface IContentSource
{
    ContentReadResult Read();
}

public sealed class FolderContentSource(string folder) : IContentSource
{
    public string Folder { get; } = folder;

    public ContentReadResult Read() => ContentReader.Read(Folder);
}

/// <summary>
/// Publishes content/ into the database at start-up. A new version becomes a new <see cref="ModuleVersion"/> row;
/// nothing published is changed. A module with problems is held back: learners keep the last good version
/// (or see it as unavailable if there is none) and training admins see why. Start-up never fails on content.
/// </summary>
public sealed class ContentSync(AppDbContext db, TimeProvider clock, ILogger<ContentSync> logger)
{
    public async Task<IReadOnlyList<ContentProblem>> RunAsync(ContentReadResult read, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var problems = read.Problems.ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var modules = await db.TrainingModules.ToDictionaryAsync(m => m.Id, ct);
        var versions = await db.ModuleVersions.AsNoTracking()
            .Select(v => new { v.ModuleId, v.Version, v.ContentHash })
            .ToDictionaryAsync(v => (v.ModuleId, v.Version), v => v.ContentHash, ct);

        foreach (var module in read.Content.Modules)
        {
            if (!modules.TryGetValue(module.Id, out var row))
            {
                row = new TrainingModule { Id = module.Id, UpdatedAt = now };
                db.TrainingModules.Add(row);
                modules[module.Id] = row;
            }
            if (versions.TryGetValue((module.Id, module.Version), out var publishedHash))
            {
                if (publishedHash != module.ContentHash)
                {
                    var problem = new ContentProblem($"modules/{module.Id}/module.yaml", 1,
                        $"the files of version {module.Version} changed after it was published; raise the version to publish the change");
                    problems.Add(problem);
                    Hold(row, [problem], now);
                    continue;
                }
            }
            else if (module.Version < row.CurrentVersion)
            {
                var problem = new ContentProblem($"modules/{module.Id}/module.yaml", 1,
                    $"version {module.Version} is older than the published version {row.CurrentVersion}");
                problems.Add(problem);
                Hold(row, [problem], now);
                continue;
            }
            else
            {
                db.ModuleVersions.Add(ToVersion(module, now));
                logger.LogInformation("Published module {Module} version {Version}", module.Id, module.Version);
            }
            row.CurrentVersion = module.Version;
            row.HeldBackReason = null;
            row.UpdatedAt = now;
        }

        foreach (var id in read.HeldBack.Where(id => !read.Content.Agreements.Any(a => a.Id == id)))
        {
            var mine = read.Problems.Where(p => p.File.StartsWith($"modules/{id}/", StringComparison.Ordinal)).ToList();
            if (mine.Count == 0)
            {
                continue;
            }
            if (!modules.TryGetValue(id, out var row))
            {
                row = new TrainingModule { Id = id, CurrentVersion = 0, UpdatedAt = now };
                db.TrainingModules.Add(row);
                modules[id] = row;
            }
            Hold(row, mine, now);
        }
        await db.SaveChangesAsync(ct);

        // Paths are configuration: replace them, keeping only modules that exist.
        await db.LearningPathEntries.ExecuteDeleteAsync(ct);
        foreach (var path in read.Content.Paths)
        {
            AddPath(path.CredentialType, PathKind.Initial, path.Initial, modules);
            AddPath(path.CredentialType, PathKind.Refresher, path.Refresher, modules);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        foreach (var problem in problems)
        {
            logger.LogWarning("Content problem: {Problem}", problem.ToString());
        }
        return problems;
    }

    private void AddPath(char type, PathKind kind, IReadOnlyList<string> moduleIds, Dictionary<string, TrainingModule> modules)
    {
        var position = 0;
        foreach (var id in moduleIds.Where(modules.ContainsKey))
        {
            db.LearningPathEntries.Add(new LearningPathEntry { CredentialType = type.ToString(), Kind = kind, Position = position++, ModuleId = id });
        }
    }

    private static void Hold(TrainingModule row, IEnumerable<ContentProblem> problems, DateTime now)
    {
        var text = string.Join("\n", problems.Select(p => p.ToString()));
        row.HeldBackReason = text.Length > 4000 ? text[..4000] : text;
        row.UpdatedAt = now;
    }

    private static ModuleVersion ToVersion(ModuleContent m, DateTime now) => new()
    {
        ModuleId = m.Id,
        Version = m.Version,
        TitleZh = m.Title.Zh,
        TitleEn = m.Title.En,
        SummaryZh = m.Summary.Zh,
        SummaryEn = m.Summary.En,
        Roles = string.Join(",", m.Roles),
        EstimatedMinutes = m.EstimatedMinutes,
        PassMarkPercent = m.PassMarkPercent,
        QuestionsPerAttempt = m.QuestionsPerAttempt,
        MaxAttempts = m.MaxAttempts,
        CooldownMinutes = m.CooldownMinutes,
        Refresher = m.Refresher,
        LessonCount = m.Lessons.Count,
        ContentHash = m.ContentHash,
        Body = new ModuleBody(m.Lessons, m.Questions).ToJson(),
        PublishedAt = now,
    };
}
