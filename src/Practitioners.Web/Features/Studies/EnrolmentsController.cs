using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Agreements;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

/// <summary>Joining a study (sign its agreement and ask), the lead's decision, and leaving or being taken off the team.</summary>
[Authorize]
[Route("studies/{id:int}")]
public sealed class EnrolmentsController(
    AppDbContext db,
    RequestEnrolment requests,
    LessonRenderer renderer,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => StudyAccess.UserId(User);

    [HttpGet("join")]
    public async Task<IActionResult> Join(int id, CancellationToken ct)
    {
        var study = await requests.LoadAsync(id, ct);
        if (study is null || study.State == StudyState.Draft)
        {
            return NotFound();
        }
        var gate = await requests.GateAsync(study, UserId, ct);
        if (gate != RequestOutcome.Requested)
        {
            TempData["Flash"] = l[$"Studies.Gate.{gate}"].Value;
            return Redirect($"/studies/{id}");
        }
        return View(await JoinModelAsync(study, new JoinInput(), ct));
    }

    [HttpPost("join")]
    public async Task<IActionResult> Join(int id, JoinInput input, CancellationToken ct)
    {
        var study = await requests.LoadAsync(id, ct);
        if (study is null || study.State == StudyState.Draft)
        {
            return NotFound();
        }
        if (!ModelState.IsValid)
        {
            return View(await JoinModelAsync(study, input, ct));
        }
        var evidence = new StudySignatureEvidence(input.Language, input.TextHash, input.TypedName,
            HttpContext.Connection.RemoteIpAddress?.ToString(), Request.Headers.UserAgent.ToString());
        var outcome = await requests.RunAsync(UserId, id, evidence, ct);
        switch (outcome)
        {
            case RequestOutcome.Requested:
                TempData["Flash"] = l["Studies.Requested"].Value;
                return Redirect($"/studies/{id}");
            case RequestOutcome.NotFound:
                return NotFound();
            case RequestOutcome.StaleText:
                ModelState.Clear();
                ModelState.AddModelError("", l["Agreements.Stale"]);
                return View(await JoinModelAsync(study, new JoinInput { TypedName = input.TypedName }, ct));
            case RequestOutcome.NameMismatch:
                var model = await JoinModelAsync(study, input, ct);
                ModelState.AddModelError(nameof(input.TypedName), l["Agreements.NameMismatch", model.ExpectedName]);
                return View(model);
            default:
                // The gate closed while the page was open (credential lapsed, team filled, study ended).
                ModelState.AddModelError("", $"{l[$"Studies.Gate.{outcome}"]} {l["Studies.NothingRecorded"]}");
                return View(await JoinModelAsync(study, input, ct));
        }
    }

    [HttpPost("enrolments/{enrolmentId:int}/decision")]
    public async Task<IActionResult> Decide(int id, int enrolmentId, DecisionInput input, [FromServices] DecideEnrolment decide, CancellationToken ct)
    {
        var outcome = await decide.RunAsync(User, id, enrolmentId, input.Approve, input.Reason, ct);
        if (outcome == DecisionOutcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = l[outcome == DecisionOutcome.Done
            ? input.Approve ? "Studies.Enrolment.Approved" : "Studies.Enrolment.Declined"
            : $"Studies.Decision.{outcome}"].Value;
        return Redirect($"/studies/{id}/roster");
    }

    [HttpPost("enrolments/{enrolmentId:int}/end")]
    public async Task<IActionResult> End(int id, int enrolmentId, DecisionInput input, [FromServices] EndEnrolment end, CancellationToken ct)
    {
        var outcome = await end.RunAsync(User, id, enrolmentId, input.Reason, ct);
        if (outcome == DecisionOutcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = l[outcome == DecisionOutcome.Done ? "Studies.Enrolment.Ended" : $"Studies.Decision.{outcome}"].Value;
        var own = await db.Enrolments.AnyAsync(e => e.Id == enrolmentId && e.UserId == UserId, ct);
        return Redirect(own ? $"/studies/{id}" : $"/studies/{id}/roster");
    }

    private async Task<JoinViewModel> JoinModelAsync(Study study, JoinInput input, CancellationToken ct)
    {
        var language = Cultures.Current;
        var text = study.Agreement!.Text(language);
        var name = await db.Users.Where(u => u.Id == UserId).Select(u => u.FullName).SingleAsync(ct);
        return new JoinViewModel(study.Id, study.Title,
            new StudyAgreementView(language, AgreementRules.Hash(text), renderer.Render(text), study.Agreement.TemplateVersion, false), name, input);
    }
}
