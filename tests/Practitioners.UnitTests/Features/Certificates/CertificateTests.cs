using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;

namespace Practitioners.UnitTests.Features.Certificates;

public sealed class CertificateTests
{
    private static readonly DateTime Issued = new(2026, 3, 2, 1, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Window = TimeSpan.FromDays(90);

    private static Certificate New() =>
        Certificate.Issue("CFC-V-2026-000001", CertificateCodes.NewVerificationCode(),
            Admission.Apply("u1", 1, RoleTrack.Volunteer, Issued), Issued, Issued.AddMonths(12), "u1");

    [Fact]
    public void Status_FollowsTheDates_ThroughTheRenewalWindowAndExpiry()
    {
        var c = New();

        Assert.Equal(CertificateStatus.Valid, c.StatusAt(Issued.AddMonths(12).AddDays(-91), Window));
        Assert.Equal(CertificateStatus.Expiring, c.StatusAt(Issued.AddMonths(12).AddDays(-90), Window));
        Assert.Equal(CertificateStatus.Expiring, c.StatusAt(Issued.AddMonths(12).AddTicks(-1), Window));
        Assert.Equal(CertificateStatus.Expired, c.StatusAt(Issued.AddMonths(12), Window));
    }

    [Fact]
    public void Renew_ExtendsFromTheOldExpiry_AndKeepsHistory()
    {
        var c = New();

        c.Renew(Issued.AddMonths(11), 12, "u1");

        Assert.Equal(Issued.AddMonths(24), c.ExpiresAt);
        Assert.Equal([CertificateEventKind.Issued, CertificateEventKind.Renewed], c.Events.Select(e => e.Kind));
        Assert.Equal(Issued.AddMonths(24), c.Events[^1].ExpiresAt);
    }

    [Fact]
    public void Renew_AfterExpiry_CountsFromTheRenewal()
    {
        var c = New();
        var late = Issued.AddMonths(12).AddDays(10);

        c.Renew(late, 12, "u1");

        Assert.Equal(late.AddMonths(12), c.ExpiresAt);
    }

    [Fact]
    public void Suspend_ThenReinstate_RestoresTheDateStatus()
    {
        var c = New();

        c.Suspend("投诉调查中", "m1", Issued.AddDays(1));
        Assert.Equal(CertificateStatus.Suspended, c.StatusAt(Issued.AddDays(2), Window));
        Assert.Throws<InvalidOperationException>(() => c.Suspend("again", "m1", Issued.AddDays(2)));

        c.Reinstate("调查结束", "m1", Issued.AddDays(3));
        Assert.Equal(CertificateStatus.Valid, c.StatusAt(Issued.AddDays(4), Window));
        Assert.Null(c.Reason);
    }

    [Fact]
    public void Revoke_IsFinal()
    {
        var c = New();
        c.Revoke("违反行为守则", "m1", Issued.AddDays(1));

        Assert.Equal(CertificateStatus.Revoked, c.StatusAt(Issued.AddDays(2), Window));
        Assert.Throws<InvalidOperationException>(() => c.Revoke("again", "m1", Issued.AddDays(2)));
        Assert.Throws<InvalidOperationException>(() => c.Reinstate("undo", "m1", Issued.AddDays(2)));
        Assert.Throws<InvalidOperationException>(() => c.Renew(Issued.AddDays(2), 12, "u1"));
        Assert.Throws<InvalidOperationException>(() => c.Suspend("x", "m1", Issued.AddDays(2)));
    }

    [Fact]
    public void StatusChanges_NeedAReason()
    {
        var c = New();

        Assert.Throws<ArgumentException>(() => c.Suspend("  ", "m1", Issued));
        Assert.Throws<ArgumentException>(() => c.Revoke("", "m1", Issued));
    }
}
