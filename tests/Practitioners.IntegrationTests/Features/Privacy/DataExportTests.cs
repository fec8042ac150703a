using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Privacy;

public sealed class DataExportTests : IDisposable
{
    private readonly SiteFactory _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task APerson_DownloadsAllTheirData_AsJson_AndNobodyElses()
    {
        var (user, admission, _) = await _site.TrainedAsync("export@example.cn", RoleTrack.Volunteer, "导出者", communityCode: "export-c");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("export@example.cn");
        await client.SignAsync(admission, "导出者");
        await _site.TrainedAsync("other@example.cn", RoleTrack.Volunteer, "别人", communityCode: "export-c");
        var number = await _site.WithDbAsync(db => db.Certificates.Where(c => c.UserId == user.Id).Select(c => c.Number).SingleAsync());

        var response = await client.GetAsync("/account/data/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("export@example.cn", root.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("导出者", root.GetProperty("profile").GetProperty("fullName").GetString());
        Assert.Equal("师范大学", root.GetProperty("volunteerProfile")[0].GetProperty("school").GetString());
        Assert.Equal(admission, root.GetProperty("admissions")[0].GetProperty("id").GetInt32());
        Assert.True(root.GetProperty("admissionHistory").GetArrayLength() >= 2);
        Assert.True(root.GetProperty("training").GetProperty("completions").GetArrayLength() > 0);
        Assert.Equal("导出者", root.GetProperty("signatures")[0].GetProperty("typedName").GetString());
        Assert.Equal(number, root.GetProperty("certificates")[0].GetProperty("number").GetString());
        Assert.True(root.GetProperty("auditAboutYou").GetArrayLength() > 0);
        Assert.DoesNotContain("other@example.cn", text);
        Assert.DoesNotContain("别人", text);
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "privacy.exported" && e.SubjectId == user.Id)));
    }
}
