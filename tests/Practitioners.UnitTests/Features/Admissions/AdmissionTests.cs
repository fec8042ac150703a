using Practitioners.Web.Features.Admissions;

namespace Practitioners.UnitTests.Features.Admissions;

public sealed class AdmissionTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Apply_StartsInApplied_WithOneHistoryRow()
    {
        var a = Admission.Apply("u1", 7, RoleTrack.Volunteer, Now);

        Assert.Equal(AdmissionState.Applied, a.State);
        var first = Assert.Single(a.History);
        Assert.Null(first.From);
        Assert.Equal(AdmissionState.Applied, first.To);
        Assert.Equal(Now, first.At);
    }

    [Fact]
    public void MoveTo_RecordsEachChange_AndIgnoresTheSameState()
    {
        var a = Admission.Apply("u1", 7, RoleTrack.Volunteer, Now);

        a.MoveTo(AdmissionState.InTraining, "u1", Now.AddMinutes(1));
        a.MoveTo(AdmissionState.InTraining, "u1", Now.AddMinutes(2));
        a.MoveTo(AdmissionState.AwaitingSignature, "u1", Now.AddMinutes(3), "path complete");

        Assert.Equal(AdmissionState.AwaitingSignature, a.State);
        Assert.Equal(3, a.History.Count);
        Assert.Equal("path complete", a.History[^1].Reason);
        Assert.Equal(Now.AddMinutes(3), a.UpdatedAt);
    }

    [Fact]
    public void MoveTo_WhenWithdrawn_Throws()
    {
        var a = Admission.Apply("u1", 7, RoleTrack.Researcher, Now);
        a.MoveTo(AdmissionState.Withdrawn, "m1", Now, "moved away");

        Assert.Throws<InvalidOperationException>(() => a.MoveTo(AdmissionState.Active, "m1", Now));
    }

    [Theory]
    [InlineData(RoleTrack.Volunteer, 'V')]
    [InlineData(RoleTrack.ServiceProvider, 'P')]
    [InlineData(RoleTrack.Researcher, 'R')]
    public void CredentialLetter_FollowsTheTrack(RoleTrack track, char letter) =>
        Assert.Equal(letter, track.CredentialLetter());

    [Fact]
    public void Requirements_ListApproval_OnlyWhenTheCommunityAsksForIt()
    {
        Assert.DoesNotContain(Requirements.For(AdmissionState.Applied, false), r => r.Key == "Requirement.Approval");
        var withApproval = Requirements.For(AdmissionState.AwaitingApproval, true);
        Assert.Contains(withApproval, r => r.Key == "Requirement.Approval" && !r.Done);
        Assert.All(withApproval.Where(r => r.Key != "Requirement.Approval"), r => Assert.True(r.Done));
    }

    [Theory]
    [InlineData("2008-03-02", 18)]
    [InlineData("2008-03-03", 17)]
    [InlineData("2012-02-29", 14)]
    public void VolunteerAge_CountsWholeYears(string dob, int expected) =>
        Assert.Equal(expected, new VolunteerProfile { DateOfBirth = DateOnly.Parse(dob) }.AgeOn(new DateOnly(2026, 3, 2)));
}
