using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Hours;

namespace Practitioners.Web.Data.Seeding;

/// <summary>
/// Demo activities and hours in 和平里社区: 赵晓明 (the valid demo volunteer) served two past activities and one off-site task,
/// all approved; one more attendance waits in the manager's queue; one activity is coming up. Added once, matched by title.
/// </summary>
internal static class DemoHours
{
    private const string Marker = "儿童阅读陪伴（示例）";

    public static async Task SeedAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        if (await db.Activities.AnyAsync(a => a.Title == Marker, ct))
        {
            return;
        }
        var community = await db.Communities.Where(c => c.Code == "xinhua-heping").Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
        var volunteer = await db.Users.Where(u => u.Email == "valid.volunteer@demo.practitioners.cn").Select(u => u.Id).SingleOrDefaultAsync(ct);
        var manager = await db.Users.Where(u => u.Email == "manager.heping@demo.practitioners.cn").Select(u => u.Id).SingleOrDefaultAsync(ct);
        if (community is null || volunteer is null || manager is null)
        {
            return;
        }
        // Asia/Shanghai has no daylight saving: local = UTC + 8.
        var today = DateOnly.FromDateTime(now.AddHours(8));
        DateTime At(int daysAgo, int hour, int minute = 0) =>
            DateTime.SpecifyKind(today.AddDays(-daysAgo).ToDateTime(new TimeOnly(hour, minute)).AddHours(-8), DateTimeKind.Utc);

        Activity New(string title, string place, DateTime starts, DateTime ends, int capacity, int? children) => new()
        {
            CommunityId = community.Value, Title = title, Place = place, StartsAt = starts, EndsAt = ends, RequiredTrack = RoleTrack.Volunteer,
            Capacity = capacity, ChildrenUnderAge = children, CheckInCode = CertificateCodes.NewVerificationCode(), CreatedByUserId = manager,
            CreatedAt = starts.AddDays(-10),
        };
        var reading = New(Marker, "和平里社区图书室", At(14, 9), At(14, 12), 12, null);
        var cleanUp = New("社区环境清洁日（示例）", "和平里社区中心广场", At(35, 14), At(35, 16, 30), 20, null);
        var crafts = New("亲子手工坊（示例）", "和平里社区活动室", At(3, 9), At(3, 11), 8, 6);
        var upcoming = New("周末图书角（示例）", "和平里社区图书室", At(-7, 9), At(-7, 11, 30), 10, 12);
        db.Activities.AddRange(reading, cleanUp, crafts, upcoming);
        await db.SaveChangesAsync(ct);

        var records = new List<HoursRecord>();
        foreach (var activity in new[] { reading, cleanUp, crafts })
        {
            var signUp = new SignUp
            {
                ActivityId = activity.Id, UserId = volunteer, SignedUpAt = activity.StartsAt.AddDays(-5),
                CheckedInAt = activity.StartsAt.AddMinutes(-5), CheckedInByUserId = manager, CheckedOutAt = activity.EndsAt, CheckedOutByUserId = manager,
            };
            db.SignUps.Add(signUp);
            await db.SaveChangesAsync(ct);
            var record = HoursRecord.FromAttendance(signUp, activity, manager, activity.EndsAt);
            if (activity != crafts)
            {
                record.Approve(manager, activity.EndsAt.AddDays(1));
            }
            records.Add(record);
        }
        var offSite = HoursRecord.OffSite(volunteer, community.Value, At(20, 19), At(20, 20, 30), "为社区儿童线上辅导作业（示例）", At(20, 21));
        offSite.Approve(manager, At(19, 10));
        records.Add(offSite);
        db.HoursRecords.AddRange(records);
        await db.SaveChangesAsync(ct);
    }
}
