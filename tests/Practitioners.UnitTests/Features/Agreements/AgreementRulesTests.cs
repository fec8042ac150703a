using Practitioners.Web.Features.Agreements;

namespace Practitioners.UnitTests.Features.Agreements;

public sealed class AgreementRulesTests
{
    private static readonly DateTime Jan1 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Hash_IsSha256OfUtf8_AndIgnoresLineEndingStyle()
    {
        // The SHA-256 test vector for "abc": the same on every machine and runtime.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AgreementRules.Hash("abc"));
        Assert.Equal(AgreementRules.Hash("第一条\n第二条\n"), AgreementRules.Hash("第一条\r\n第二条\r\n"));
        Assert.NotEqual(AgreementRules.Hash("第一条"), AgreementRules.Hash("第一條"));
    }

    [Fact]
    public void MinorVersion_NeedsNoNewSignature()
    {
        VersionInfo[] versions = [new(1, Jan1, true), new(2, Jan1.AddMonths(2), false)];

        var status = AgreementRules.Status(versions, null, (1, Jan1.AddDays(3)), AgreementRules.DefaultGrace, Jan1.AddMonths(3));

        Assert.Equal(AgreementState.Valid, status.State);
        Assert.Equal(2, status.CurrentVersion);
    }

    [Fact]
    public void MaterialVersion_AsksForASignature_WithinTheGracePeriod_ThenIsOverdue()
    {
        var effective = Jan1.AddMonths(2);
        VersionInfo[] versions = [new(1, Jan1, true), new(2, effective, true)];
        var signed = (1, Jan1.AddDays(3));

        var before = AgreementRules.Status(versions, null, signed, AgreementRules.DefaultGrace, effective.AddDays(-1));
        var during = AgreementRules.Status(versions, null, signed, AgreementRules.DefaultGrace, effective.AddDays(29));
        var after = AgreementRules.Status(versions, null, signed, AgreementRules.DefaultGrace, effective.AddDays(30));
        var resigned = AgreementRules.Status(versions, null, (2, effective.AddDays(5)), AgreementRules.DefaultGrace, effective.AddDays(40));

        Assert.Equal(AgreementState.Valid, before.State);
        Assert.Equal(1, before.CurrentVersion);
        Assert.Equal(AgreementState.ResignDue, during.State);
        Assert.Equal(effective.AddDays(30), during.Deadline);
        Assert.Equal(AgreementState.Overdue, after.State);
        Assert.Equal(AgreementState.Valid, resigned.State);
    }

    [Fact]
    public void ReacceptancePeriod_WorksLikeAMaterialVersion()
    {
        VersionInfo[] versions = [new(1, Jan1, true)];
        var signed = (1, Jan1.AddDays(10));

        Assert.Equal(AgreementState.Valid, AgreementRules.Status(versions, 12, signed, AgreementRules.DefaultGrace, Jan1.AddMonths(12)).State);
        var due = AgreementRules.Status(versions, 12, signed, AgreementRules.DefaultGrace, Jan1.AddMonths(12).AddDays(11));
        Assert.Equal(AgreementState.ResignDue, due.State);
        Assert.Equal(Jan1.AddDays(10).AddMonths(12).AddDays(30), due.Deadline);
        Assert.Equal(AgreementState.Overdue, AgreementRules.Status(versions, 12, signed, AgreementRules.DefaultGrace, Jan1.AddMonths(13).AddDays(11)).State);
    }

    [Fact]
    public void NeverSigned_IsNotSigned_AndAFutureVersionIsNotYetCurrent()
    {
        VersionInfo[] versions = [new(1, Jan1, true), new(2, Jan1.AddYears(1), true)];

        var status = AgreementRules.Status(versions, null, null, AgreementRules.DefaultGrace, Jan1.AddDays(1));

        Assert.Equal(AgreementState.NotSigned, status.State);
        Assert.Equal(1, status.CurrentVersion);
    }

    [Theory]
    [InlineData("李小雨", "李小雨", true)]
    [InlineData("李 小雨", "李小雨", true)]
    [InlineData("li  xiaoyu", "Li Xiaoyu", true)]
    [InlineData("Ｌｉ Ｘｉａｏｙｕ", "Li Xiaoyu", true)]
    [InlineData("李小", "李小雨", false)]
    [InlineData("  ", "李小雨", false)]
    public void NamesMatch_IgnoresSpacingCaseAndWidth(string typed, string expected, bool match) =>
        Assert.Equal(match, AgreementRules.NamesMatch(typed, expected));
}
