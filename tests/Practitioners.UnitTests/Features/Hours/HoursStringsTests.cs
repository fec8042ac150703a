using Practitioners.Web.Features.Hours;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.UnitTests.Features.Hours;

/// <summary>Keys built from enums (Hours.Problem.{x}, HoursState.{x}) are invisible to the source scan: each must exist in both languages.</summary>
public sealed class HoursStringsTests
{
    private readonly StringTable _table = new();

    [Fact]
    public void EveryProblemAndState_HasAMessageInBothLanguages()
    {
        var keys = Enum.GetNames<HoursProblem>().Select(p => $"Hours.Problem.{p}")
            .Concat(Enum.GetNames<HoursState>().Select(s => $"HoursState.{s}"))
            .Concat(Enum.GetNames<Practitioners.Web.Features.Admissions.RoleTrack>().Select(t => $"Track.{t}"));
        foreach (var key in keys)
        {
            Assert.False(_table.Find(key, Cultures.Chinese) is null, $"{key} (zh-CN)");
            Assert.False(_table.Find(key, Cultures.English) is null, $"{key} (en)");
        }
    }
}
