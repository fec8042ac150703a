using Practitioners.TestSupport;
using Practitioners.Web.Features.Studies;

namespace Practitioners.UnitTests.Features.Studies;

public sealed class StudyAgreementTextTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["title"] = "T", ["institution"] = "I", ["lead"] = "L", ["ethicsApproval"] = "E", ["communities"] = "C",
        ["startDate"] = "S", ["endDate"] = "D", ["terms"] = "X",
    };

    [Fact]
    public void Fill_ReplacesEveryPlaceholder_AsOftenAsItAppears() =>
        Assert.Equal("T at I, T again; {{ not.study }}", StudyAgreementText.Fill("{{study.title}} at {{ study.institution }}, {{study.title}} again; {{ not.study }}", Values));

    [Fact]
    public void Fill_RefusesAPlaceholderItDoesNotKnow() =>
        Assert.Throws<InvalidOperationException>(() => StudyAgreementText.Fill("{{study.budget}}", Values));

    /// <summary>The template in content/ asks only for what a study provides, in both languages.</summary>
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void TheTemplateInContent_FillsCompletely(string language)
    {
        var folder = Path.Combine(Repository.Root, "content", "agreements", StudyAgreementText.TemplateId);
        foreach (var version in Directory.EnumerateDirectories(folder))
        {
            var filled = StudyAgreementText.Fill(File.ReadAllText(Path.Combine(version, $"{language}.md")), Values);

            Assert.DoesNotContain("{{", filled);
            Assert.Contains("X", filled);
        }
    }
}
