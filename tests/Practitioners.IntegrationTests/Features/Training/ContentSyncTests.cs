using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.IntegrationTests.Features.Training;

public sealed class ContentSyncTests : IDisposable
{
    private readonly SiteFactory _site = new();
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "practitioners-content-" + Guid.NewGuid().ToString("N"));

    public ContentSyncTests()
    {
        CopyDirectory(Path.Combine(Repository.Root, "content"), _copy);
        _ = _site.Server; // publishes the shipped content once
    }

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_copy, recursive: true);
    }

    [Fact]
    public async Task ChangedFilesWithoutANewVersion_AreHeldBack_AndLearnersKeepThePublishedVersion()
    {
        var lesson = Path.Combine(_copy, "modules", "core-safe-spaces", "lessons", "01.zh-CN.md");
        await File.AppendAllTextAsync(lesson, "\n\n新增的一段话。\n");

        var problems = await SyncAsync();

        Assert.Contains(problems, p => p.File == "modules/core-safe-spaces/module.yaml" && p.Message.Contains("raise the version"));
        var module = await _site.WithDbAsync(db => db.TrainingModules.SingleAsync(m => m.Id == "core-safe-spaces"));
        Assert.Equal(1, module.CurrentVersion);
        Assert.Contains("raise the version", module.HeldBackReason);
        Assert.Equal(1, await _site.WithDbAsync(db => db.ModuleVersions.CountAsync(v => v.ModuleId == "core-safe-spaces")));
    }

    [Fact]
    public async Task BrokenModule_IsHeldBack_ButItsPathsStay()
    {
        var manifest = Path.Combine(_copy, "modules", "volunteer-safe-activity", "module.yaml");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("passMarkPercent: 80", "passMarkPercent: 180"));
        var pathsBefore = await _site.WithDbAsync(db => db.LearningPathEntries.CountAsync());

        var problems = await SyncAsync();

        Assert.Contains(problems, p => p.File == "modules/volunteer-safe-activity/module.yaml" && p.Line > 1);
        var module = await _site.WithDbAsync(db => db.TrainingModules.SingleAsync(m => m.Id == "volunteer-safe-activity"));
        Assert.Equal(1, module.CurrentVersion);
        Assert.NotNull(module.HeldBackReason);
        Assert.Equal(pathsBefore, await _site.WithDbAsync(db => db.LearningPathEntries.CountAsync()));
    }

    [Fact]
    public async Task NewVersion_IsPublishedBesideTheOld_AndOldCompletionsAreKept()
    {
        var user = await _site.CreateUserAsync("kept@example.cn");
        await _site.WithDbAsync(async db =>
        {
            db.ModuleCompletions.Add(new ModuleCompletion { UserId = user.Id, ModuleId = "core-rights-principles", Version = 1, Score = 90, CompletedAt = _site.Clock.GetUtcNow().UtcDateTime, AttemptId = Guid.NewGuid() });
            return await db.SaveChangesAsync();
        });
        var manifest = Path.Combine(_copy, "modules", "core-rights-principles", "module.yaml");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest)).Replace("version: 1", "version: 2"));
        await File.AppendAllTextAsync(Path.Combine(_copy, "modules", "core-rights-principles", "lessons", "01.en.md"), "\n\nA new paragraph.\n");

        var problems = await SyncAsync();

        Assert.DoesNotContain(problems, p => p.File.Contains("core-rights-principles"));
        var versions = await _site.WithDbAsync(db => db.ModuleVersions.Where(v => v.ModuleId == "core-rights-principles").OrderBy(v => v.Version).Select(v => new { v.Version, v.ContentHash }).ToListAsync());
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.NotEqual(versions[0].ContentHash, versions[1].ContentHash);
        Assert.Equal(2, await _site.WithDbAsync(db => db.TrainingModules.Where(m => m.Id == "core-rights-principles").Select(m => m.CurrentVersion).SingleAsync()));
        var completion = await _site.WithDbAsync(db => db.ModuleCompletions.SingleAsync(c => c.UserId == user.Id));
        Assert.Equal((1, 90), (completion.Version, completion.Score));
    }

    private async Task<IReadOnlyList<ContentProblem>> SyncAsync()
    {
        IReadOnlyList<ContentProblem> problems = [];
        await _site.WithScopeAsync(async sp =>
            problems = await sp.GetRequiredService<ContentSync>().RunAsync(new FolderContentSource(_copy).Read(), CancellationToken.None));
        return problems;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
