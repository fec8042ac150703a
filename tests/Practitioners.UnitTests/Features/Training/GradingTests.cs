using Practitioners.Web.Features.Training;
using Practitioners.Web.Features.Training.Content;

namespace Practitioners.UnitTests.Features.Training;

public sealed class GradingTests
{
    private static readonly LocalizedText T = new("题", "Q");

    private static readonly QuestionContent Single = new("s1", QuestionType.Single, T,
        [new("a", T, false), new("b", T, true), new("c", T, false)], T);

    private static readonly QuestionContent Multi = new("m1", QuestionType.Multiple, T,
        [new("a", T, true), new("b", T, true), new("c", T, false)], T);

    private static readonly QuestionContent TrueFalse = new("t1", QuestionType.TrueFalse, T,
        [new("true", T, false), new("false", T, true)], T);

    private static readonly Dictionary<string, QuestionContent> Bank = new() { ["s1"] = Single, ["m1"] = Multi, ["t1"] = TrueFalse };

    private static readonly QuizDraw Draw = new([new("s1", ["c", "a", "b"]), new("m1", ["b", "c", "a"]), new("t1", ["true", "false"])]);

    private static Dictionary<string, IReadOnlyList<string>> Answers(params (string Q, string[] O)[] answers) =>
        answers.ToDictionary(a => a.Q, a => (IReadOnlyList<string>)a.O);

    [Fact]
    public void Grade_AllRight_Scores100AndPasses()
    {
        var result = Grading.Grade(Draw, Answers(("s1", ["b"]), ("m1", ["b", "a"]), ("t1", ["false"])), Bank, 80);

        Assert.Equal(100, result.Score);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Grade_MultipleChoice_NeedsExactlyTheCorrectSet()
    {
        var partial = Grading.Grade(Draw, Answers(("s1", ["b"]), ("m1", ["a"]), ("t1", ["false"])), Bank, 80);
        var extra = Grading.Grade(Draw, Answers(("s1", ["b"]), ("m1", ["a", "b", "c"]), ("t1", ["false"])), Bank, 80);

        Assert.False(partial.Questions.Single(q => q.QuestionId == "m1").Correct);
        Assert.False(extra.Questions.Single(q => q.QuestionId == "m1").Correct);
        Assert.Equal(66, partial.Score);
        Assert.False(partial.Passed);
    }

    [Fact]
    public void Grade_Unanswered_CountsAsWrong_AndThePassMarkIsInclusive()
    {
        var result = Grading.Grade(Draw, Answers(("s1", ["b"]), ("t1", ["false"])), Bank, 66);

        Assert.Equal(66, result.Score);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Check_RefusesQuestionsNotDrawn_UnknownOptions_AndTwoAnswersToASingleChoice()
    {
        var notDrawn = new QuizDraw([new("s1", ["a", "b", "c"])]);

        Assert.Equal(AnswerCheck.UnknownQuestion, Grading.Check(notDrawn, Answers(("m1", ["a"])), Bank));
        Assert.Equal(AnswerCheck.UnknownQuestion, Grading.Check(Draw, Answers(("zz", ["a"])), Bank));
        Assert.Equal(AnswerCheck.UnknownOption, Grading.Check(Draw, Answers(("s1", ["x"])), Bank));
        Assert.Equal(AnswerCheck.UnknownOption, Grading.Check(Draw, Answers(("m1", ["a", "a"])), Bank));
        Assert.Equal(AnswerCheck.TooManyOptions, Grading.Check(Draw, Answers(("s1", ["a", "b"])), Bank));
        Assert.Equal(AnswerCheck.Valid, Grading.Check(Draw, Answers(("m1", ["a", "b"])), Bank));
    }

    [Fact]
    public void Draw_TakesTheRequestedNumber_WithoutRepeats_AndKeepsEveryOption()
    {
        var bank = Enumerable.Range(1, 12).Select(i => Single with { Id = $"q{i}" }).ToList();

        var draw = QuizDraw.Draw(bank, 8);

        Assert.Equal(8, draw.Questions.Count);
        Assert.Equal(8, draw.Questions.Select(q => q.QuestionId).Distinct().Count());
        Assert.All(draw.Questions, q => Assert.Equal(["a", "b", "c"], q.OptionIds.Order()));
    }

    [Fact]
    public void Draw_VariesBetweenAttempts()
    {
        var bank = Enumerable.Range(1, 12).Select(i => Single with { Id = $"q{i}" }).ToList();

        var draws = Enumerable.Range(0, 20).Select(_ => string.Join(",", QuizDraw.Draw(bank, 8).Questions.Select(q => q.QuestionId))).ToHashSet();

        // 12!/4! orderings: twenty identical draws would mean the shuffle does nothing.
        Assert.True(draws.Count > 1);
    }

    [Fact]
    public void Draw_RoundTripsThroughJson()
    {
        var json = Draw.ToJson();

        Assert.Equal(Draw.Questions.Select(q => q.QuestionId + string.Join("", q.OptionIds)),
            QuizDraw.FromJson(json).Questions.Select(q => q.QuestionId + string.Join("", q.OptionIds)));
    }
}
