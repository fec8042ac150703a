using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using UglyToad.PdfPig;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>My service record, the service-hours certificate PDF read back, its public verification, and the managers' CSV export.</summary>
public sealed class ServiceRecordTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public ServiceRecordTests(SiteFactory site) => _site = site;

    /// <summary>One volunteer served two activities (3 h and 1.5 h) in one community; the manager approved both.</summary>
    private async Task<(HttpClient Volunteer, string Email, HttpClient Manager, string ManagerEmail, int CommunityId, int[] Activities, DateOnly Day)> ServedAsync(string code,
        string title = "儿童阅读陪伴")
    {
        var community = await _site.CreateCommunityAsync(code);
        var managerEmail = $"mgr-{code}@example.cn";
        var manager = await _site.ManagerOfAsync(managerEmail, community.Id);
        var day = _site.Day();
        var (first, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, title, day, "09:00", "12:00"));
        var (second, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "社区环境清洁", day, "14:00", "15:30"));
        var email = $"{code}@example.cn";
        var (volunteer, user) = await _site.CertifiedAsync(email, "陈思远", code);
        (await volunteer.SignUpForAsync(first)).EnsureSuccessStatusCode();
        (await volunteer.SignUpForAsync(second)).EnsureSuccessStatusCode();
        await _site.MoveToAsync(day, "16:00", [(manager, managerEmail), (volunteer, email)]);
        foreach (var (id, start, end) in new[] { (first, "09:00", "12:00"), (second, "14:00", "15:30") })
        {
            var signUpId = await _site.SignUpIdAsync(id, user.Id);
            (await manager.AttendAsync(id, signUpId, false, start)).EnsureSuccessStatusCode();
            (await manager.AttendAsync(id, signUpId, true, end)).EnsureSuccessStatusCode();
        }
        var records = await _site.WithDbAsync(db => db.HoursRecords.Where(h => h.UserId == user.Id).Select(h => h.Id).ToListAsync());
        await manager.SubmitAsync("/manage/hours", "/manage/hours/approve", records.Select(r => new KeyValuePair<string, string>("ids", r.ToString())));
        return (volunteer, email, manager, managerEmail, community.Id, [first, second], day);
    }

    [Fact]
    public async Task HoursCertificate_ReadsBackWithTheTotal_ChineseText_AndVerifiesPublicly()
    {
        var (volunteer, _, _, _, _, _, day) = await ServedAsync("rec-pdf");
        var page = await volunteer.GetStringAsync("/me/hours");
        Assert.Contains("data-total-hours>4.5<", page);
        Assert.Contains($"{day:yyyy-MM}", page);

        var from = day.AddDays(-1).ToString("yyyy-MM-dd");
        var to = day.AddDays(1).ToString("yyyy-MM-dd");
        var response = await volunteer.SubmitAsync("/me/hours", "/me/hours/certificates", [new("From", from), new("To", to)]);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var certificate = await _site.WithDbAsync(db => db.HoursCertificates.SingleAsync(c => c.User.Email == "rec-pdf@example.cn"));
        Assert.Equal((270, 2, 2), (certificate.TotalMinutes, certificate.ActivityCount, certificate.RecordCount));

        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var first = pdf.GetPages().First();
        Assert.True(first.Height > first.Width, "A4 portrait");
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("志愿服务时长证明", text);
        Assert.Contains("Certificate of Volunteer Service Hours", text);
        Assert.Contains("陈思远", text);
        Assert.Contains("4.5", text);
        Assert.Contains("儿童阅读陪伴", text);
        Assert.Contains("测试社区", text);
        Assert.Contains("测试街道", text);
        Assert.Contains(certificate.Number, text);
        // The address under the QR code wraps inside its column; its start is on one line.
        Assert.Contains($"/verify/hours/{certificate.VerificationCode[..8]}", text);
        Assert.Single(first.GetImages());

        // The same period again is the same certificate, not a second one.
        await volunteer.SubmitAsync("/me/hours", "/me/hours/certificates", [new("From", from), new("To", to)]);
        Assert.Equal(1, await _site.WithDbAsync(db => db.HoursCertificates.CountAsync(c => c.UserId == certificate.UserId)));

        // A school checks it without signing in.
        var school = _site.CreateClient();
        var verify = await school.GetAsync($"/verify/hours/{certificate.VerificationCode}");
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var verified = await verify.Content.ReadAsStringAsync();
        Assert.Contains("陈思远", verified);
        Assert.Contains("data-total-hours>4.5<", verified);
        Assert.Contains(certificate.Number, verified);
        Assert.True(verify.Headers.CacheControl!.NoStore);
        Assert.DoesNotContain("rec-pdf@example.cn", verified);
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync("/verify/hours/ZZZZZZZZZZZZZZZZZZZZ")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await school.GetAsync("/verify/hours/not-a-code")).StatusCode);

        // Only the holder downloads it.
        await _site.CreateUserAsync("rec-nosy@example.cn");
        var nosy = _site.CreateBrowserClient();
        await nosy.SignInAsync("rec-nosy@example.cn");
        Assert.Equal(HttpStatusCode.NotFound, (await nosy.GetAsync($"/me/hours/certificates/{certificate.Number}/pdf")).StatusCode);
    }

    [Fact]
    public async Task Certificate_ForAPeriodWithoutApprovedHours_IsRefused()
    {
        var (volunteer, _, _, _, _, _, day) = await ServedAsync("rec-empty");
        var response = await volunteer.SubmitAsync("/me/hours", "/me/hours/certificates",
            [new("From", day.AddDays(5).ToString("yyyy-MM-dd")), new("To", day.AddDays(9).ToString("yyyy-MM-dd"))]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("没有已审核的服务时长", await response.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.HoursCertificates.AnyAsync(c => c.User.Email == "rec-empty@example.cn")));
    }

    [Fact]
    public async Task Export_IsExcelFriendlyCsv_PerActivityAndPerPerson_WithFormulasNeutralised()
    {
        var (_, email, manager, _, communityId, activities, day) = await ServedAsync("rec-csv", title: "=HYPERLINK(\"x\")");
        var userId = await _site.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

        var all = await manager.GetAsync($"/manage/hours/export?community={communityId}&from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}");
        Assert.Equal("text/csv", all.Content.Headers.ContentType!.MediaType);
        var bytes = await all.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("姓名", lines[0]);
        Assert.Contains(lines, l => l.Contains("陈思远") && l.Contains(",3,") && l.Contains("\"'=HYPERLINK(\"\"x\"\")\""));
        Assert.Contains(lines, l => l.Contains("社区环境清洁") && l.Contains(",1.5,"));

        var one = Encoding.UTF8.GetString(await manager.GetByteArrayAsync($"/manage/hours/export?activity={activities[1]}"));
        Assert.Equal(2, one.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var person = Encoding.UTF8.GetString(await manager.GetByteArrayAsync($"/manage/hours/export?person={userId}"));
        Assert.Equal(3, person.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        var otherDay = Encoding.UTF8.GetString(await manager.GetByteArrayAsync($"/manage/hours/export?from={day.AddDays(1):yyyy-MM-dd}"));
        Assert.Single(otherDay.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "hours.exported")));
    }
}
