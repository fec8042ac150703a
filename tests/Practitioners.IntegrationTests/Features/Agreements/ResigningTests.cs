using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Training;

namespace Practitioners.IntegrationTests.Features.Agreements;

/// <summary>New agreement versions published from a copy of content/, with the clock moved through the grace period.</summary>
public sealed class ResigningTests : IDisposable
{
    private readonly SiteFactory _site = new();
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "practitioners-agreements-" + Guid.NewGuid().ToString("N"));

    public ResigningTests()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, "content"), "*", SearchOption.AllDirectories))
        {
            var target = file.Replace(Path.Combine(Repository.Root, "content"), _copy, StringComparison.Ordinal);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_copy, recursive: true);
    }

    private async Task PublishVersion2Async(bool material, DateOnly effective)
    {
        var folder = Path.Combine(_copy, "agreements", "volunteer-code-of-conduct");
        Directory.CreateDirectory(Path.Combine(folder, "v2"));
        foreach (var lang in new[] { "zh-CN", "en" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(folder, "v1", lang + ".md"));
            await File.WriteAllTextAsync(Path.Combine(folder, "v2", lang + ".md"), text + (lang == "en" ? "\n\nAdded clause." : "\n\n新增条款。"));
        }
        await File.AppendAllTextAsync(Path.Combine(folder, "agreement.yaml"), $"""
              - version: 2
                effective: {effective:yyyy-MM-dd}
                material: {(material ? "true" : "false")}
                changes: {"{"} zh-CN: 新增一条, en: One clause added {"}"}

            """);
        await _site.WithScopeAsync(async sp =>
        {
            var read = new FolderContentSource(_copy).Read();
            Assert.Empty(read.Problems);
            await sp.GetRequiredService<AgreementSync>().RunAsync(read, CancellationToken.None);
        });
    }

    private Task<AdmissionState> StateOf(int admissionId) =>
        _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == admissionId).Select(a => a.State).SingleAsync());

    private Task<int> SweepAsync()
    {
        var paused = 0;
        return _site.WithScopeAsync(async sp => paused = await sp.GetRequiredService<PauseOverdueAdmissions>().RunAsync(CancellationToken.None))
            .ContinueWith(_ => paused);
    }

    [Fact]
    public async Task MaterialVersion_AsksHoldersToResign_PausesThemAfterGrace_AndSigningResumes()
    {
        var (_, admissionId, _) = await _site.TrainedAsync("resign@example.cn", RoleTrack.Volunteer, "吴九");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("resign@example.cn");
        await client.SignAsync(admissionId, "吴九");
        Assert.Equal(AdmissionState.Active, await StateOf(admissionId));

        var effective = DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime).AddDays(10);
        await PublishVersion2Async(material: true, effective);
        Assert.DoesNotContain("有需要重新签署的新版本", await client.GetStringAsync("/me"));

        // Sessions end after 8 idle hours on the same clock: sign in again after each jump.
        _site.Clock.Advance(TimeSpan.FromDays(11));
        await client.SignInAsync("resign@example.cn");
        var dashboard = await client.GetStringAsync("/me");
        Assert.Contains("有需要重新签署的新版本", dashboard);
        Assert.Contains(effective.AddDays(30).ToString("yyyy-MM-dd"), dashboard);
        Assert.Equal(0, await SweepAsync());
        Assert.Equal(AdmissionState.Active, await StateOf(admissionId));

        _site.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(1, await SweepAsync());
        Assert.Equal(AdmissionState.AwaitingSignature, await StateOf(admissionId));
        await client.SignInAsync("resign@example.cn");
        Assert.Contains("准入已暂停", await client.GetStringAsync("/me"));

        var page = await client.GetStringAsync($"/agreements/sign/{admissionId}");
        Assert.Contains("新增一条", page);
        await client.SignAsync(admissionId, "吴九");
        Assert.Equal(AdmissionState.Active, await StateOf(admissionId));
        Assert.Equal([1, 2], await _site.WithDbAsync(db => db.Signatures.Where(s => s.AdmissionId == admissionId).OrderBy(s => s.Id).Select(s => s.Version).ToListAsync()));
    }

    [Fact]
    public async Task MinorVersion_NeedsNoAction()
    {
        var (_, admissionId, _) = await _site.TrainedAsync("minor-edit@example.cn", RoleTrack.Volunteer, "郑十");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("minor-edit@example.cn");
        await client.SignAsync(admissionId, "郑十");

        await PublishVersion2Async(material: false, DateOnly.FromDateTime(_site.Clock.GetUtcNow().UtcDateTime));
        _site.Clock.Advance(TimeSpan.FromDays(60));
        await client.SignInAsync("minor-edit@example.cn");

        Assert.Equal(0, await SweepAsync());
        Assert.Equal(AdmissionState.Active, await StateOf(admissionId));
        Assert.DoesNotContain("/agreements/sign/", await client.GetStringAsync("/me"));
    }

    [Fact]
    public async Task PublishedText_ChangedInPlace_IsRefused()
    {
        _ = _site.Server;
        var file = Path.Combine(_copy, "agreements", "volunteer-code-of-conduct", "v1", "zh-CN.md");
        await File.AppendAllTextAsync(file, "\n偷偷改动。\n");

        IReadOnlyList<Practitioners.Web.Features.Training.Content.ContentProblem> problems = [];
        await _site.WithScopeAsync(async sp => problems = await sp.GetRequiredService<AgreementSync>().RunAsync(new FolderContentSource(_copy).Read(), CancellationToken.None));

        Assert.Contains(problems, p => p.Message.Contains("changed after it was published"));
        Assert.DoesNotContain("偷偷改动", await _site.WithDbAsync(db => db.AgreementVersions.Where(v => v.AgreementId == "volunteer-code-of-conduct").Select(v => v.TextZh).SingleAsync()));
    }
}
