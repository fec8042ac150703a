using Practitioners.Web.Data.Sql;

namespace Practitioners.UnitTests.Data;

public sealed class WriteLockTests
{
    [Fact]
    public void Key_IsTheSameInEveryProcess_SoNodesOfDifferentBuildsWaitForEachOther()
    {
        // FNV-1a of the UTF-8 id, computed independently; string.GetHashCode would differ from process to process.
        Assert.Equal(-182259790, WriteLock.Of(LockPurpose.CertificateNumber, "CFC-V-2026-").Key);
        Assert.Equal(WriteLock.Of(LockPurpose.StudyTeam, 42).Key, WriteLock.Of(LockPurpose.ActivityPlaces, "42").Key);
        Assert.NotEqual(WriteLock.Of(LockPurpose.StudyTeam, 42).Key, WriteLock.Of(LockPurpose.StudyTeam, 43).Key);
    }
}
