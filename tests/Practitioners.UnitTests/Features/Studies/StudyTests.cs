using Practitioners.Web.Features.Studies;

namespace Practitioners.UnitTests.Features.Studies;

public sealed class StudyTests
{
    private static readonly DateTime Now = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);

    private static StudyDetails Details(DateOnly? start = null, DateOnly? end = null, string ethics = "IRB-1", int[]? communities = null) =>
        new("标题", "Title", "简介", "", "华东大学", ethics, "伦理委员会", start ?? new DateOnly(2026, 4, 1), end ?? new DateOnly(2026, 12, 31), 3,
            "", "", communities ?? [1]);

    private static StudyAgreement Agreement() => new() { TemplateId = "t", TemplateVersion = 1, TextZh = "甲", TextEn = "a", PublishedAt = Now };

    [Fact]
    public void Create_WithTheEndBeforeTheStart_Throws() =>
        Assert.Throws<ArgumentException>(() => Study.Create(Details(new DateOnly(2026, 5, 1), new DateOnly(2026, 4, 30)), "lead", "lead", Now));

    [Fact]
    public void Create_WithoutAnEthicsApprovalNumber_Throws() =>
        Assert.Throws<ArgumentException>(() => Study.Create(Details(ethics: "  "), "lead", "lead", Now));

    [Fact]
    public void Create_InNoCommunity_Throws() =>
        Assert.Throws<ArgumentException>(() => Study.Create(Details(communities: []), "lead", "lead", Now));

    [Fact]
    public void AOneDayStudy_IsOpenAllThatDay_AndEndedAtMidnightAfter()
    {
        var day = new DateOnly(2026, 6, 1);
        var study = Study.Create(Details(day, day), "lead", "lead", Now);

        Assert.False(study.HasEnded(new DateTime(2026, 6, 1, 23, 59, 59, DateTimeKind.Utc)));
        Assert.True(study.HasEnded(new DateTime(2026, 6, 2, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Edit_AfterPublishing_Throws()
    {
        var study = Study.Create(Details(), "lead", "lead", Now);
        study.Publish(Agreement(), Now);

        Assert.Throws<InvalidOperationException>(() => study.Edit(Details(), Now));
        Assert.Throws<InvalidOperationException>(() => study.Publish(Agreement(), Now));
    }

    [Fact]
    public void Edit_KeepsTheCommunitiesStillListed_AndAddsAndDropsTheOthers()
    {
        var study = Study.Create(Details(communities: [1, 2]), "lead", "lead", Now);
        var kept = study.Communities.Single(c => c.CommunityId == 2);

        study.Edit(Details(communities: [2, 3]), Now);

        Assert.Equal([2, 3], study.Communities.Select(c => c.CommunityId).Order());
        Assert.Same(kept, study.Communities.Single(c => c.CommunityId == 2));
    }

    [Fact]
    public void AcceptsRequests_OnlyWhenPublished_NotEnded_AndAgreedByACommunity()
    {
        var study = Study.Create(Details(communities: [1, 2]), "lead", "lead", Now);
        Assert.False(study.AcceptsRequests(Now));
        study.Publish(Agreement(), Now);
        Assert.False(study.AcceptsRequests(Now));

        study.Communities[0].Decide(approve: false, "场地维修", "manager", Now);
        Assert.False(study.AcceptsRequests(Now));
        study.Communities[1].Decide(approve: true, null, "manager", Now);
        Assert.True(study.AcceptsRequests(Now));
        Assert.False(study.AcceptsRequests(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

        study.Withdraw("经费取消", Now);
        Assert.False(study.AcceptsRequests(Now));
        Assert.Throws<InvalidOperationException>(() => study.Withdraw("again", Now));
    }

    [Fact]
    public void Consent_ADeclineNeedsAReason_AndADecisionIsFinal()
    {
        var consent = new StudyCommunity { CommunityId = 1 };

        Assert.Throws<ArgumentException>(() => consent.Decide(approve: false, " ", "manager", Now));
        consent.Decide(approve: true, null, "manager", Now);

        Assert.Equal(ConsentState.Approved, consent.Consent);
        Assert.Throws<InvalidOperationException>(() => consent.Decide(approve: false, "改主意", "manager", Now));
    }
}
