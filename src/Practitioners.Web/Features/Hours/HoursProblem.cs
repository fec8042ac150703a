namespace Practitioners.Web.Features.Hours;

/// <summary>Why a request about an activity or hours was refused; each has a message under "Hours.Problem.{name}".</summary>
public enum HoursProblem
{
    NoCredential = 1,
    Full,
    Overlaps,
    AlreadySignedUp,
    AlreadyStarted,
    NotSignedUp,
    NotCheckedIn,
    AlreadyCheckedIn,
    AlreadyCheckedOut,
    CheckOutBeforeCheckIn,
    OutsideWindow,
    LongerThanActivity,
    InFuture,
    EndBeforeStart,
    TooLong,
    NotPending,
    NoCommunity,
    NotAProvider,
    AlreadyDelegated,
    InvalidCode,
}

/// <summary>A use case's answer: done, or refused for one reason (and then nothing was recorded).</summary>
public readonly record struct HoursResult(HoursProblem? Problem)
{
    public static readonly HoursResult Done = new(null);

    public bool Succeeded => Problem is null;

    public static implicit operator HoursResult(HoursProblem problem) => new(problem);
}
