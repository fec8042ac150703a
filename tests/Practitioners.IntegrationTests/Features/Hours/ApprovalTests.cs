using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Hours;

namespace Practitioners.IntegrationTests.Features.Hours;

/// <summary>Approving in bulk, adjusting with a reason (a new record, audited), rejecting, and off-site submissions.</summary>
public sealed class ApprovalTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public ApprovalTests(SiteFactory site) => _site = site;

    /// <summary>Two volunteers attended 09:00–12:00; their hours wait for the manager.</summary>
    private async Task<(HttpClient Manager, string ManagerEmail, int ActivityId, IReadOnlyList<long> Records, DateOnly Day)> AttendedAsync(string code)
    {
        var community = await _site.CreateCommunityAsync(code);
        var managerEmail = $"mgr-{code}@example.cn";
        var manager = await _site.ManagerOfAsync(managerEmail, community.Id, "审核员");
        var day = _site.Day();
        var (activityId, _) = await manager.CreateActivityAsync(HoursJourneys.ActivityForm(community.Id, "社区花园", day, "09:00", "12:00"));
        var ids = new List<string>();
        foreach (var n in new[] { "a", "b" })
        {
            var (v, user) = await _site.CertifiedAsync($"{code}-{n}@example.cn", $"志愿者{n}", code);
            (await v.SignUpForAsync(activityId)).EnsureSuccessStatusCode();
            ids.Add(user.Id);
        }
        await _site.MoveToAsync(day, "12:30", [(manager, managerEmail)]);
        foreach (var userId in ids)
        {
            var signUpId = await _site.SignUpIdAsync(activityId, userId);
            (await manager.AttendAsync(activityId, signUpId, false, "09:00")).EnsureSuccessStatusCode();
            (await manager.AttendAsync(activityId, signUpId, true, "12:00")).EnsureSuccessStatusCode();
        }
        var records = await _site.WithDbAsync(db => db.HoursRecords.Where(h => h.ActivityId == activityId).OrderBy(h => h.Id).Select(h => h.Id).ToListAsync());
        return (manager, managerEmail, activityId, records, day);
    }

    [Fact]
    public async Task Manager_ApprovesPendingHoursInBulk_RecordingWhoAndWhen()
    {
        var (manager, _, _, records, _) = await AttendedAsync("appr-bulk");
        var queue = await manager.GetStringAsync("/manage/hours");
        Assert.All(records, id => Assert.Contains($"data-hours=\"{id}\"", queue));

        var response = await manager.SubmitAsync("/manage/hours", "/manage/hours/approve", records.Select(id => new KeyValuePair<string, string>("ids", id.ToString())));
        Assert.Contains("已审核通过 2 条记录", await response.Content.ReadAsStringAsync());

        var managerId = await _site.WithDbAsync(db => db.Users.Where(u => u.Email == "mgr-appr-bulk@example.cn").Select(u => u.Id).SingleAsync());
        var decided = await _site.WithDbAsync(db => db.HoursRecords.Where(h => records.Contains(h.Id)).Select(h => new { h.State, h.DecidedByUserId, h.DecidedAt }).ToListAsync());
        Assert.All(decided, d => Assert.Equal((HoursState.Approved, managerId, _site.Clock.GetUtcNow().UtcDateTime), (d.State, d.DecidedByUserId, d.DecidedAt!.Value)));
        Assert.Equal(2, await _site.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == "hours.approved" && e.ActorUserId == managerId)));
        Assert.Contains("没有符合条件的记录", await manager.GetStringAsync("/manage/hours"));
    }

    [Fact]
    public async Task Adjustment_IsANewApprovedRecordWithTheReason_TheOldOneSuperseded_AndAudited()
    {
        var (manager, _, _, records, day) = await AttendedAsync("appr-adjust");
        var original = records[0];
        var form = $"/manage/hours/{original}";
        var longer = await manager.SubmitAsync(form, $"{form}/adjust",
            [new("Date", day.ToString("yyyy-MM-dd")), new("StartTime", "08:00"), new("EndTime", "12:00"), new("Reason", "提前到场")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longer.StatusCode);
        Assert.Contains("时长不能超过活动本身的时间", await longer.Content.ReadAsStringAsync());
        var noReason = await manager.SubmitAsync(form, $"{form}/adjust",
            [new("Date", day.ToString("yyyy-MM-dd")), new("StartTime", "09:30"), new("EndTime", "12:00"), new("Reason", "")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.Equal(2, await _site.WithDbAsync(db => db.HoursRecords.CountAsync(h => records.Contains(h.Id) || h.ReplacesId == original)));

        var adjusted = await manager.SubmitAsync(form, $"{form}/adjust",
            [new("Date", day.ToString("yyyy-MM-dd")), new("StartTime", "09:30"), new("EndTime", "12:00"), new("Reason", "迟到半小时")]);
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);

        var old = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.Id == original));
        var replacement = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.ReplacesId == original));
        Assert.Equal((HoursState.Superseded, 180), (old.State, old.Minutes));
        Assert.Equal((HoursState.Approved, 150, "迟到半小时", old.UserId), (replacement.State, replacement.Minutes, replacement.Reason, replacement.UserId));
        var audit = await _site.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.Action == "hours.adjusted" && e.SubjectId == original.ToString()));
        Assert.Contains("迟到半小时", System.Text.RegularExpressions.Regex.Unescape(audit.Data!));
        Assert.Contains("迟到半小时", await manager.GetStringAsync($"/manage/hours/{replacement.Id}"));
        // A superseded record is not adjusted again.
        var twice = await manager.PostAsync($"{form}/adjust", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", (await manager.GetDocumentAsync(form)).AntiforgeryToken()), new("Date", day.ToString("yyyy-MM-dd")),
             new("StartTime", "10:00"), new("EndTime", "12:00"), new("Reason", "再改")]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
    }

    [Fact]
    public async Task Rejection_NeedsAReason_AndIsAudited()
    {
        var (manager, _, _, records, _) = await AttendedAsync("appr-reject");
        await manager.SubmitAsync($"/manage/hours/{records[1]}", $"/manage/hours/{records[1]}/reject", [new("reason", "")]);
        Assert.Equal(HoursState.Pending, await _site.WithDbAsync(db => db.HoursRecords.Where(h => h.Id == records[1]).Select(h => h.State).SingleAsync()));
        await manager.SubmitAsync($"/manage/hours/{records[1]}", $"/manage/hours/{records[1]}/reject", [new("reason", "未实际到场")]);
        var rejected = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.Id == records[1]));
        Assert.Equal((HoursState.Rejected, "未实际到场"), (rejected.State, rejected.DecisionReason));
        Assert.True(await _site.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "hours.rejected" && e.SubjectId == records[1].ToString())));
    }

    [Fact]
    public async Task OffSiteHours_ArePendingUntilApproved_AndBadSubmissionsRecordNothing()
    {
        var community = await _site.CreateCommunityAsync("appr-offsite");
        var manager = await _site.ManagerOfAsync("mgr-appr-offsite@example.cn", community.Id);
        var (volunteer, user) = await _site.CertifiedAsync("offsite@example.cn", "线上辅导", "appr-offsite");
        var today = _site.Day(0);
        string D(DateOnly d) => d.ToString("yyyy-MM-dd");
        async Task<HttpResponseMessage> Submit(string date, string start, string end, string text, int? communityId = null) =>
            await volunteer.SubmitAsync("/me/hours/off-site", "/me/hours/off-site",
                [new("CommunityId", (communityId ?? community.Id).ToString()), new("Date", date), new("StartTime", start), new("EndTime", end), new("Description", text)]);

        var future = await Submit(D(today.AddDays(1)), "09:00", "10:00", "明天的辅导");
        var backwards = await Submit(D(today.AddDays(-1)), "11:00", "10:00", "倒着");
        var tooLong = await Submit(D(today.AddDays(-1)), "06:00", "19:00", "太长");
        var other = await _site.CreateCommunityAsync("appr-offsite-other");
        var elsewhere = await Submit(D(today.AddDays(-1)), "09:00", "10:00", "别的社区", other.Id);
        Assert.All([future, backwards, tooLong, elsewhere], r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Contains("时间还没到", await future.Content.ReadAsStringAsync());
        Assert.Contains("一次提交最多 12 小时", await tooLong.Content.ReadAsStringAsync());
        Assert.False(await _site.WithDbAsync(db => db.HoursRecords.AnyAsync(h => h.UserId == user.Id)));

        var ok = await Submit(D(today.AddDays(-1)), "19:00", "20:30", "为社区儿童线上辅导数学");
        Assert.Equal("/me/hours", ok.RequestMessage!.RequestUri!.AbsolutePath);
        var record = await _site.WithDbAsync(db => db.HoursRecords.SingleAsync(h => h.UserId == user.Id));
        Assert.Equal((HoursKind.OffSite, HoursState.Pending, 90, (int?)null), (record.Kind, record.State, record.Minutes, record.ActivityId));
        Assert.Contains("为社区儿童线上辅导数学", await manager.GetStringAsync("/manage/hours"));
        await manager.SubmitAsync("/manage/hours", "/manage/hours/approve", [new("ids", record.Id.ToString())]);
        Assert.Contains("data-total-hours>1.5<", await volunteer.GetStringAsync("/me/hours"));
    }
}
