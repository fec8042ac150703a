using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Training.Content;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.Web.Features.Training;

/// <summary>The learner's side: my training, lessons, quizzes and results.</summary>
[Authorize]
[Route("training")]
public sealed class TrainingController(
    AppDbContext db,
    LearnerProgress progress,
    ModuleBodyCache cache,
    StartQuizAttempt startAttempt,
    SubmitQuiz submitQuiz,
    MarkLessonRead markRead,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new MyTrainingViewModel(await progress.PathsAsync(UserId, ct)));

    [HttpGet("modules/{id}")]
    public async Task<IActionResult> Module(string id, CancellationToken ct)
    {
        if (await progress.StudyAsync(UserId, id, ct) is not { Available: true } module)
        {
            return NotFound();
        }
        var (version, body) = await LoadAsync(id, module.Version, ct);
        var lessons = body.Lessons.Select(les => (les.Number, les.Title.Current, module.ReadLessons.Contains(les.Number))).ToList();
        return View(new ModulePageViewModel(module, Cultures.Pick(version.SummaryZh, version.SummaryEn), lessons,
            version.PassMarkPercent, version.QuestionsPerAttempt, version.MaxAttempts, version.CooldownMinutes, version.Refresher));
    }

    [HttpGet("modules/{id}/lessons/{number:int}")]
    public async Task<IActionResult> Lesson(string id, int number, CancellationToken ct)
    {
        if (await progress.LessonAsync(UserId, id, ct) is not { } module)
        {
            return NotFound();
        }
        // A hot page: the lesson standing above holds the title and the lessons read, and the body is parsed once per
        // process, so only its two queries run per view.
        var body = cache.Get(id, module.Version, () => db.ModuleVersions.Where(v => v.ModuleId == id && v.Version == module.Version).Select(v => v.Body).Single());
        var lesson = body.Lessons.FirstOrDefault(x => x.Number == number);
        if (lesson is null)
        {
            return NotFound();
        }
        return View(new LessonViewModel(id, module.Title, number, body.Lessons.Count, lesson.Title.Current,
            cache.LessonHtml(id, module.Version, lesson, Cultures.Current), module.ReadLessons.Contains(number)));
    }

    [HttpPost("modules/{id}/lessons/{number:int}/read")]
    public async Task<IActionResult> MarkRead(string id, int number, CancellationToken ct)
    {
        if (await progress.LessonAsync(UserId, id, ct) is not { } module
            || number < 1 || number > module.LessonCount)
        {
            return NotFound();
        }
        await markRead.RunAsync(UserId, id, module.Version, number, ct);
        return number < module.LessonCount
            ? RedirectToAction(nameof(Lesson), new { id, number = number + 1 })
            : RedirectToAction(nameof(Module), new { id });
    }

    [HttpPost("modules/{id}/attempts")]
    public async Task<IActionResult> StartAttempt(string id, CancellationToken ct)
    {
        var (outcome, attemptId) = await startAttempt.RunAsync(UserId, id, ct);
        switch (outcome)
        {
            case StartAttemptOutcome.Started:
                return RedirectToAction(nameof(Attempt), new { attemptId });
            case StartAttemptOutcome.NotFound:
                return NotFound();
            default:
                TempData["Flash"] = l[$"Training.Start.{outcome}"].Value;
                return RedirectToAction(nameof(Module), new { id });
        }
    }

    [HttpGet("attempts/{attemptId:guid}")]
    public async Task<IActionResult> Attempt(Guid attemptId, CancellationToken ct)
    {
        var attempt = await db.QuizAttempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attemptId && a.UserId == UserId, ct);
        if (attempt is null)
        {
            return NotFound();
        }
        var (version, body) = await LoadAsync(attempt.ModuleId, attempt.Version, ct);
        var draw = QuizDraw.FromJson(attempt.Drawn);
        if (attempt.SubmittedAt is not null)
        {
            var answers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, List<string>>>(attempt.Answers ?? "{}")!
                .ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value);
            var result = Grading.Grade(draw, answers, body.Bank, version.PassMarkPercent);
            return View("Result", await ResultModelAsync(attempt.ModuleId, version, body, draw, result, ct));
        }
        var questions = draw.Questions.Select(q =>
        {
            var content = body.Bank[q.QuestionId];
            var options = q.OptionIds.Select(o => (o, content.Options.First(x => x.Id == o).Text.Current)).ToList();
            return new QuizQuestionView(q.QuestionId, content.Type, content.Text.Current, options);
        }).ToList();
        return View("Quiz", new QuizViewModel(attemptId, attempt.ModuleId, version.Title, version.PassMarkPercent, questions));
    }

    [HttpPost("attempts/{attemptId:guid}")]
    public async Task<IActionResult> Submit(Guid attemptId, CancellationToken ct)
    {
        var answers = Request.Form
            .Where(f => f.Key.StartsWith("q.", StringComparison.Ordinal))
            .ToDictionary(f => f.Key[2..], f => (IReadOnlyList<string>)f.Value.Where(v => v is not null).Select(v => v!).ToList());
        var (outcome, _) = await submitQuiz.RunAsync(UserId, attemptId, answers, ct);
        return outcome switch
        {
            SubmitOutcome.Graded => RedirectToAction(nameof(Attempt), new { attemptId }),
            SubmitOutcome.NotFound => NotFound(),
            SubmitOutcome.AlreadySubmitted => Problem("Training.Submit.Replayed"),
            _ => Problem("Training.Submit.Invalid"),
        };
    }

    private ViewResult Problem(string key) => new()
    {
        ViewName = "Problem",
        StatusCode = StatusCodes.Status400BadRequest,
        ViewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(ViewData)
        {
            Model = new ProblemViewModel(l[key + ".Title"], l[key + ".Text"]),
        },
    };

    private async Task<QuizResultViewModel> ResultModelAsync(string moduleId, ModuleVersion version, ModuleBody body, QuizDraw draw,
        QuizResult result, CancellationToken ct)
    {
        var questions = result.Questions.Select(r =>
        {
            var q = body.Bank[r.QuestionId];
            string Text(string id) => q.Options.First(o => o.Id == id).Text.Current;
            return new ResultQuestionView(q.Text.Current, r.Correct, r.Chosen.Select(Text).ToList(),
                q.Options.Where(o => o.Correct).Select(o => o.Text.Current).ToList(), q.Explanation.Current);
        }).ToList();
        var module = await progress.ModuleAsync(UserId, moduleId, ct);
        var paths = await progress.PathsAsync(UserId, ct);
        var pathComplete = paths.Any(p => p.Kind == PathKind.Initial && p.Complete && p.Modules.Any(m => m.ModuleId == moduleId));
        return new QuizResultViewModel(moduleId, version.Title, result.Score, result.Passed, version.PassMarkPercent, questions,
            module?.Standing ?? new ModuleStanding(ModuleState.NotStarted, 0, null, null, null), pathComplete);
    }

    private async Task<(ModuleVersion Version, ModuleBody Body)> LoadAsync(string id, int version, CancellationToken ct)
    {
        // The version row without its body; the body is parsed once per process (see ModuleBodyCache).
        var row = await db.ModuleVersions.AsNoTracking()
            .Where(v => v.ModuleId == id && v.Version == version)
            .Select(v => new ModuleVersion
            {
                ModuleId = v.ModuleId, Version = v.Version, TitleZh = v.TitleZh, TitleEn = v.TitleEn,
                SummaryZh = v.SummaryZh, SummaryEn = v.SummaryEn, PassMarkPercent = v.PassMarkPercent,
                QuestionsPerAttempt = v.QuestionsPerAttempt, MaxAttempts = v.MaxAttempts, CooldownMinutes = v.CooldownMinutes,
                Refresher = v.Refresher, LessonCount = v.LessonCount, EstimatedMinutes = v.EstimatedMinutes,
            })
            .SingleAsync(ct);
        var body = cache.Get(id, version, () => db.ModuleVersions.Where(v => v.ModuleId == id && v.Version == version).Select(v => v.Body).Single());
        return (row, body);
    }
}
