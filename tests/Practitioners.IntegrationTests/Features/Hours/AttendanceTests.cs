using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Hours;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>Check-in and check-out by the organiser and by the volunteer's scan, and the hours they produce.</summary>
public sealed class AttendanceTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public AttendanceTests(SiteFactory site) => _site = site;

    private (HttpClient, string)[] _people = [];

    private async Task<(HttpClient Manager, HttpClient Volunteer, string UserId, int ActivityId, int SignUpId, DateOnly Day)> ArrangeAsync(string code)
    {
        var community = await _site.CreateCommunityAsync(code);
        var manager = await _site.ManagerOfAsync($"mgr-{code}@example.cn", community.Id);
        var day = _site.Day();
        var (activityId, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "图书角整理", day, "09:00", "12:00"));
        var (volunteer, user) = await _site.CertifiedAsync($"{code}@example.cn", "签到者", code);
        (await volunteer.SignUpForAsync(activityId)).EnsureSuccessStatusCode();
        _people = [(manager, $"mgr-{code}@example.cn"), (volunteer, $"{code}@example.cn")];
        return (manager, volunteer, user.Id, activityId, await _site.SignUpIdAsync(activityId, user.Id), day);
    }

    [Fact]
    public async Task OrganiserChecksInAndOut_MakesOnePendingHoursRecord_InsideTheActivity()
    {
        var (manager, _, userId, activityId, signUpId, day) = await ArrangeAsync("att-hours");
        await _site.MoveToAsync(day, "12:10", _people);

        var checkedIn = await manager.AttendAsync(activityId, signUpId, checkOut: false, time: "08:50");
        Assert.Equal(HttpStatusCode.OK, checkedIn.StatusCode);
        var checkedOut = await manager.AttendAsync(activityId, signUpId, checkOut: true, time: "11:30");
        Assert.Equal(HttpStatusCode.OK, checkedOut.StatusCode);

        var record = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.UserId == userId));
        // 08:50 counts from the start, 09:00 local (01:00 UTC); 11:30 local is 03:30 UTC.
        Assert.Equal((HoursState.Pending, HoursKind.Attendance, 150, 2.5m), (record.State, record.Kind, record.Minutes, record.Hours));
        Assert.Equal(new DateTime(day.Year, day.Month, day.Day, 1, 0, 0, DateTimeKind.Utc), record.StartAt);
        Assert.Equal(activityId, record.ActivityId);
        // A second check-out is refused and makes no second record.
        var again = await manager.AttendAsync(activityId, signUpId, checkOut: true, time: "11:40");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Equal(1, await _site.WithDbAsync(db => db.HoursRecords.CountAsync(h => h.UserId == userId)));
        Assert.Equal(2, await _site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.SubjectType == "Activity" && e.SubjectId == activityId.ToString()
            && e.Action.StartsWith("attendance."))));
    }

    [Fact]
    public async Task CheckOutBeforeCheckIn_AndBeyondTheActivity_AreRefused_AndRecordNothing()
    {
        var (manager, _, userId, activityId, signUpId, day) = await ArrangeAsync("att-bad");
        await _site.MoveToAsync(day, "08:00", _people);
        // Too early: outside the activity's window (30 minutes before the start).
        var early = await manager.AttendAsync(activityId, signUpId, checkOut: false);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("不在活动时间内", await early.Content.ReadAsStringAsync());
        Assert.Null(await _site.WithDbAsync(db => db.SignUps.Where(s => s.Id == signUpId).Select(s => s.CheckedInAt).SingleAsync()));

        await _site.MoveToAsync(day, "13:00", _people);
        // Out before anyone is in.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await manager.AttendAsync(activityId, signUpId, checkOut: true, time: "11:00")).StatusCode);
        (await manager.AttendAsync(activityId, signUpId, checkOut: false, time: "10:00")).EnsureSuccessStatusCode();
        var backwards = await manager.AttendAsync(activityId, signUpId, checkOut: true, time: "09:30");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, backwards.StatusCode);
        Assert.Contains("签退时间早于签到时间", await backwards.Content.ReadAsStringAsync());
        // Later than the activity's end and its grace: more hours than the activity has.
        await _site.MoveToAsync(day, "15:00", _people);
        var tooLong = await manager.AttendAsync(activityId, signUpId, checkOut: true, time: "14:30");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("时长不能超过活动本身的时间", await tooLong.Content.ReadAsStringAsync());
        // A time that has not come yet.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await manager.AttendAsync(activityId, signUpId, checkOut: true, time: "23:00")).StatusCode);

        Assert.Null(await _site.WithDbAsync(db => db.SignUps.Where(s => s.Id == signUpId).Select(s => s.CheckedOutAt).SingleAsync()));
        Assert.False(await _site.WithDbAsync(db => db.HoursRecords.AnyAsync(h => h.UserId == userId)));
    }

    [Fact]
    public async Task VolunteerScan_WorksOnlyInsideTheActivityWindow_AndWithTheActivitysCode()
    {
        var (manager, volunteer, userId, activityId, _, day) = await ArrangeAsync("att-scan");
        var code = await _site.WithDbAsync(db => db.Activities.Where(a => a.Id == activityId).Select(a => a.CheckInCode).SingleAsync());
        var scanUrl = $"/activities/{activityId}/scan/{code}";

        // The organiser's page shows the code only inside the window.
        await _site.MoveToAsync(day, "08:00", _people);
        Assert.DoesNotContain(scanUrl, await manager.GetStringAsync($"/organise/{activityId}"));
        var early = await volunteer.SubmitAsync(scanUrl, scanUrl, []);
        Assert.Contains("不在活动时间内", await early.Content.ReadAsStringAsync());
        Assert.Null(await _site.WithDbAsync(db => db.SignUps.Where(s => s.ActivityId == activityId).Select(s => s.CheckedInAt).SingleAsync()));

        // Another code, or another activity's, is not found.
        Assert.Equal(HttpStatusCode.NotFound, (await volunteer.GetAsync($"/activities/{activityId}/scan/0000000000000000000A")).StatusCode);

        await _site.MoveToAsync(day, "09:02", _people);
        Assert.Contains(scanUrl, await manager.GetStringAsync($"/organise/{activityId}"));
        var checkedIn = await volunteer.SubmitAsync(scanUrl, scanUrl, []);
        Assert.Contains("签到成功", await checkedIn.Content.ReadAsStringAsync());
        await _site.MoveToAsync(day, "11:47", _people);
        var checkedOut = await volunteer.SubmitAsync(scanUrl, scanUrl, []);
        Assert.Equal("/me/hours", checkedOut.RequestMessage!.RequestUri!.AbsolutePath);
        var record = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.UserId == userId));
        Assert.Equal(165, record.Minutes);

        // After the window nobody else can use the code.
        var (late, lateUser) = await _site.CertifiedAsync("att-scan-late@example.cn", "迟到", "att-scan");
        await _site.MoveToAsync(day, "12:31", [(late, "att-scan-late@example.cn")]);
        var refused = await late.PostAsync(scanUrl, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", (await late.GetDocumentAsync("/activities")).AntiforgeryToken())]));
        Assert.Contains("不在活动时间内", await refused.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.SignUps.AnyAsync(s => s.UserId == lateUser.Id)));
    }
}
