using Microsoft.Extensions.Time.Testing;
using Practitioners.Web.Features.Training;

namespace Practitioners.UnitTests.Features.Training;

public sealed class AttemptRulesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    [Fact]
    public void NoAttempts_IsNotStarted_OrInProgressOnceALessonIsRead()
    {
        Assert.Equal(ModuleState.NotStarted, AttemptRules.Standing(false, false, [], 3, 60, Now).State);
        Assert.Equal(ModuleState.InProgress, AttemptRules.Standing(false, true, [], 3, 60, Now).State);
    }

    [Fact]
    public void FailedAttempt_CoolsDown_ThenAllowsAnother_AsTheClockMoves()
    {
        var attempts = new List<(DateTime, int, bool)> { (Now, 50, false) };

        var during = AttemptRules.Standing(false, true, attempts, 3, 60, Now);
        _clock.Advance(TimeSpan.FromMinutes(59));
        var stillDuring = AttemptRules.Standing(false, true, attempts, 3, 60, _clock.GetUtcNow().UtcDateTime);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var after = AttemptRules.Standing(false, true, attempts, 3, 60, _clock.GetUtcNow().UtcDateTime);

        Assert.Equal(ModuleState.CoolingDown, during.State);
        Assert.Equal(attempts[0].Item1.AddMinutes(60), during.NextAttemptAt);
        Assert.Equal(ModuleState.CoolingDown, stillDuring.State);
        Assert.Equal(ModuleState.Failed, after.State);
        Assert.Equal(2, after.AttemptsLeft);
    }

    [Fact]
    public void AllAttemptsUsed_LeavesNoAttempts_EvenAfterTheCooldown()
    {
        var attempts = new List<(DateTime, int, bool)> { (Now.AddHours(-5), 40, false), (Now.AddHours(-3), 60, false), (Now.AddHours(-1), 70, false) };

        var standing = AttemptRules.Standing(false, true, attempts, 3, 30, Now);

        Assert.Equal(ModuleState.NoAttemptsLeft, standing.State);
        Assert.Equal(70, standing.BestScore);
    }

    [Fact]
    public void UnlimitedAttempts_NeverRunOut()
    {
        var attempts = Enumerable.Range(1, 10).Select(i => (Now.AddDays(-i), 10, false)).ToList();

        var standing = AttemptRules.Standing(false, true, attempts, 0, 0, Now);

        Assert.Equal(ModuleState.Failed, standing.State);
        Assert.Null(standing.AttemptsLeft);
    }

    [Fact]
    public void Passed_WinsOverEverythingElse()
    {
        var attempts = new List<(DateTime, int, bool)> { (Now, 90, true) };

        Assert.Equal(ModuleState.Passed, AttemptRules.Standing(true, true, attempts, 1, 60, Now).State);
    }
}
