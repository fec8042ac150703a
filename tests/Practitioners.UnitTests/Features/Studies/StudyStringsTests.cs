using Practitioners.Web.Features.Studies;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.UnitTests.Features.Studies;

/// <summary>Keys the studies pages and emails build from enum values, which the source scan cannot see.</summary>
public sealed class StudyStringsTests
{
    private readonly StringTable _table = new();

    public static TheoryData<string> Keys()
    {
        var keys = new TheoryData<string>();
        foreach (var state in Enum.GetValues<StudyState>())
        {
            keys.Add($"StudyState.{state}");
        }
        foreach (var state in Enum.GetValues<EnrolmentState>())
        {
            keys.Add($"EnrolmentState.{state}");
            keys.Add($"EnrolmentState.{state}.Text");
        }
        foreach (var consent in Enum.GetValues<ConsentState>())
        {
            keys.Add($"ConsentState.{consent}");
        }
        foreach (var gate in Enum.GetValues<RequestOutcome>().Except([RequestOutcome.Requested, RequestOutcome.StaleText, RequestOutcome.NameMismatch]))
        {
            keys.Add($"Studies.Gate.{gate}");
        }
        foreach (var outcome in Enum.GetValues<DecisionOutcome>().Except([DecisionOutcome.Done, DecisionOutcome.NotFound]))
        {
            keys.Add($"Studies.Decision.{outcome}");
        }
        foreach (var outcome in Enum.GetValues<PublishOutcome>().Except([PublishOutcome.NotFound]))
        {
            keys.Add($"Studies.Publish.{outcome}");
        }
        foreach (var email in Enum.GetValues<StudyEmail>())
        {
            keys.Add($"Email.Study.{email}.Subject");
            keys.Add($"Email.Study.{email}.Body");
        }
        keys.Add("Studies.State.Ended");
        keys.Add("Email.Study.Link");
        keys.Add("Email.Study.RenewLink");
        return keys;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void EveryBuiltKey_ExistsInBothLanguages(string key)
    {
        Assert.NotNull(_table.Find(key, Cultures.Chinese));
        Assert.NotNull(_table.Find(key, Cultures.English));
    }
}
