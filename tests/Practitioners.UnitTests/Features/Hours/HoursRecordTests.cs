using Practitioners.Web.Features.Hours;

namespace Practitioners.UnitTests.Features.Hours;

public sealed class HoursRecordTests
{
    private static readonly DateTime Start = new(2026, 3, 4, 1, 0, 0, DateTimeKind.Utc);

    private static Activity Activity() => new() { Id = 7, CommunityId = 3, StartsAt = Start, EndsAt = Start.AddHours(3), Capacity = 5, CheckInCode = "X" };

    private static HoursRecord Attended(DateTime checkIn, DateTime checkOut) =>
        HoursRecord.FromAttendance(new SignUp { Id = 1, ActivityId = 7, UserId = "u", CheckedInAt = checkIn, CheckedOutAt = checkOut }, Activity(), "m", checkOut);

    [Fact]
    public void FromAttendance_CountsOnlyTheActivitysOwnTime()
    {
        var record = Attended(Start.AddMinutes(-20), Start.AddHours(3).AddMinutes(25));
        Assert.Equal((Start, Start.AddHours(3), 180, HoursState.Pending), (record.StartAt, record.EndAt, record.Minutes, record.State));
    }

    [Fact]
    public void FromAttendance_WithoutALaterCheckOut_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Attended(Start.AddHours(1), Start.AddMinutes(30)));

    [Fact]
    public void Approve_WhenAlreadyDecided_Throws()
    {
        var record = Attended(Start, Start.AddHours(2));
        record.Approve("m", Start.AddDays(1));
        Assert.Throws<InvalidOperationException>(() => record.Approve("m", Start.AddDays(2)));
        Assert.Throws<InvalidOperationException>(() => record.Reject("no", "m", Start.AddDays(2)));
    }

    [Fact]
    public void Adjust_MakesANewApprovedRecord_AndSupersedesThisOne_WithTheReason()
    {
        var record = Attended(Start, Start.AddHours(3));
        var adjusted = record.Adjust(Start.AddMinutes(30), Start.AddHours(3), "迟到", "m", Start.AddDays(1), Activity());
        Assert.Equal((HoursState.Superseded, 180), (record.State, record.Minutes));
        Assert.Equal((HoursState.Approved, 150, "迟到", "u"), (adjusted.State, adjusted.Minutes, adjusted.Reason, adjusted.UserId));
        Assert.Throws<InvalidOperationException>(() => record.Adjust(Start, Start.AddHours(1), "again", "m", Start.AddDays(2), Activity()));
    }

    [Fact]
    public void Adjust_LongerThanTheActivity_OrWithoutAReason_Throws()
    {
        var record = Attended(Start, Start.AddHours(3));
        Assert.Throws<ArgumentException>(() => record.Adjust(Start.AddHours(-1), Start.AddHours(3), "早到", "m", Start.AddDays(1), Activity()));
        Assert.Throws<ArgumentException>(() => record.Adjust(Start, Start.AddHours(2), " ", "m", Start.AddDays(1), Activity()));
        Assert.Equal(HoursState.Pending, record.State);
    }

    [Fact]
    public void Activity_ScanWindow_HasThirtyMinutesGraceEitherSide()
    {
        var activity = Activity();
        Assert.False(activity.InScanWindow(Start.AddMinutes(-31)));
        Assert.True(activity.InScanWindow(Start.AddMinutes(-30)));
        Assert.True(activity.InScanWindow(Start.AddHours(3).AddMinutes(30)));
        Assert.False(activity.InScanWindow(Start.AddHours(3).AddMinutes(31)));
    }
}
