using Practitioners.Web.Features.Studies;

namespace Practitioners.UnitTests.Features.Studies;

public sealed class EnrolmentTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);

    private static Enrolment Requested() => Enrolment.Request(1, "researcher", 7, Now);

    [Fact]
    public void TheWholeLife_IsRecordedInTheHistory()
    {
        var enrolment = Requested();

        enrolment.Approve("lead", Now);
        enrolment.Suspend("credential not valid", Now.AddDays(1));
        enrolment.Resume("credential valid again", Now.AddDays(2));
        enrolment.End("study ended", null, Now.AddDays(3));

        Assert.Equal(EnrolmentState.Ended, enrolment.State);
        Assert.Equal([EnrolmentState.Requested, EnrolmentState.Approved, EnrolmentState.Suspended, EnrolmentState.Approved, EnrolmentState.Ended],
            enrolment.History.Select(h => h.To));
        Assert.Equal(["researcher", "lead", null, null, null], enrolment.History.Select(h => h.ByUserId));
    }

    [Fact]
    public void OnlyAnApprovedPlace_IsSuspended_AndOnlyASuspendedOne_Resumes()
    {
        var enrolment = Requested();

        Assert.Throws<InvalidOperationException>(() => enrolment.Suspend("credential not valid", Now));
        Assert.Throws<InvalidOperationException>(() => enrolment.Resume("credential valid again", Now));
    }

    [Fact]
    public void DeclinedAndEnded_AreFinal()
    {
        var declined = Requested();
        declined.Decline("不匹配", "lead", Now);
        var ended = Requested();
        ended.End("left the study", "researcher", Now);

        Assert.Throws<InvalidOperationException>(() => declined.Approve("lead", Now));
        Assert.Throws<InvalidOperationException>(() => declined.End("x", null, Now));
        Assert.Throws<InvalidOperationException>(() => ended.Approve("lead", Now));
    }

    [Fact]
    public void ADecline_NeedsAReason() =>
        Assert.Throws<ArgumentException>(() => Requested().Decline(" ", "lead", Now));

    [Theory]
    [InlineData(EnrolmentState.Approved, false, true, EnrolmentState.Suspended)]
    [InlineData(EnrolmentState.Approved, true, true, EnrolmentState.Approved)]
    [InlineData(EnrolmentState.Suspended, true, true, EnrolmentState.Approved)]
    [InlineData(EnrolmentState.Suspended, false, true, EnrolmentState.Suspended)]
    [InlineData(EnrolmentState.Approved, true, false, EnrolmentState.Ended)]
    [InlineData(EnrolmentState.Requested, true, false, EnrolmentState.Ended)]
    [InlineData(EnrolmentState.Requested, false, true, EnrolmentState.Requested)]
    [InlineData(EnrolmentState.Declined, true, false, EnrolmentState.Declined)]
    public void TheStateShown_IsTheStateAsOfNow(EnrolmentState stored, bool credentialValid, bool studyOpen, EnrolmentState shown) =>
        Assert.Equal(shown, StudyRoster.Effective(stored, credentialValid, studyOpen));
}
