using Practitioners.Web.Features.Accounts;

namespace Practitioners.UnitTests.Features.Accounts;

public sealed class CommonPasswordValidatorTests
{
    [Theory]
    [InlineData("12345678")]
    [InlineData("Password123")]
    [InlineData("PASSWORD1")]
    [InlineData("woaini1314")]
    public void IsCommon_RecognisesListedPasswords_IgnoringCase(string password) =>
        Assert.True(CommonPasswordValidator.IsCommon(password));

    [Theory]
    [InlineData("river lamp orchard")]
    [InlineData("和平里社区-周三作业辅导")]
    public void IsCommon_AcceptsUnlistedPasswords(string password) =>
        Assert.False(CommonPasswordValidator.IsCommon(password));
}
