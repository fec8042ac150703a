using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Training;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

/// <summary>The studies hub, writing and publishing a study, its page, withdrawing it, and the communities' consent.</summary>
[Authorize]
[Route("studies")]
public sealed class StudiesController(
    AppDbContext db,
    StudyAccess access,
    Communities.CommunityAccess communityAccess,
    CredentialStanding credentials,
    StudyAgreementText agreementText,
    RequestEnrolment requests,
    LessonRenderer renderer,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => StudyAccess.UserId(User);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var english = Cultures.IsEnglish;
        var credential = await credentials.ForAsync(UserId, ct);
        var admin = User.IsInRole(Roles.Admin);

        var leading = await ListAsync(db.Studies.Where(s => s.LeadUserId == UserId || (s.State == StudyState.Draft && s.CreatedByUserId == UserId)), today, english, ct);
        var managed = admin ? db.Communities.Select(c => c.Id) : communityAccess.ManagedCommunityIds(UserId);
        var awaiting = User.IsInRole(Roles.CommunityManager) || admin
            ? await db.StudyCommunities.AsNoTracking()
                .Where(c => c.Consent == ConsentState.Pending && managed.Contains(c.CommunityId))
                .Join(db.Studies.Where(s => s.State == StudyState.Published && s.EndDate >= today), c => c.StudyId, s => s.Id, (c, s) => new { c, s })
                .OrderBy(x => x.s.StartDate)
                .Select(x => new ConsentItem(x.s.Id, english ? x.s.TitleEn : x.s.TitleZh, x.s.Institution, x.c.CommunityId,
                    english ? x.c.Community.NameEn : x.c.Community.NameZh, x.s.StartDate, x.s.EndDate))
                .ToListAsync(ct)
            : [];
        var mine = await db.Enrolments.AsNoTracking().Where(e => e.UserId == UserId)
            .OrderByDescending(e => e.RequestedAt)
            .Select(e => new MyEnrolmentItem(e.StudyId, e.Id, english ? e.Study.TitleEn : e.Study.TitleZh, e.State, e.Study.EndDate))
            .ToListAsync(ct);
        var open = await ListAsync(db.Studies.Where(s => s.State == StudyState.Published && s.EndDate >= today
            && s.Communities.Any(c => c.Consent == ConsentState.Approved)), today, english, ct);

        var isResearcher = User.IsInRole(Roles.Researcher);
        var valid = credential?.IsValid == true;
        mine = mine.Select(m => m with { State = StudyRoster.Effective(m.State, valid, m.EndDate >= today) }).ToList();
        return View(new StudiesIndexViewModel(admin || valid, isResearcher, credential, leading, awaiting, mine, open));
    }

    [HttpGet("new")]
    public async Task<IActionResult> New(CancellationToken ct)
    {
        if (!await MayCreateAsync(ct))
        {
            return View("NotAllowed");
        }
        return View("Form", await FormAsync(null, new StudyInput(), ct));
    }

    [HttpPost("new")]
    public async Task<IActionResult> New(StudyInput input, [FromServices] SaveStudy save, CancellationToken ct)
    {
        if (!await MayCreateAsync(ct))
        {
            return View("NotAllowed");
        }
        CheckDetails(input);
        if (User.IsInRole(Roles.Admin) && string.IsNullOrWhiteSpace(input.LeadEmail))
        {
            ModelState.AddModelError(nameof(input.LeadEmail), l["Validation.Required", l["Studies.Field.LeadEmail"]]);
        }
        if (!ModelState.IsValid)
        {
            return View("Form", await FormAsync(null, input, ct));
        }
        var result = await save.CreateAsync(User, input.ToDetails(), input.LeadEmail, ct);
        if (result.Outcome == SaveStudyOutcome.Saved)
        {
            TempData["Flash"] = l["Studies.Created"].Value;
            return Redirect($"/studies/{result.StudyId}");
        }
        AddError(result.Outcome);
        return View("Form", await FormAsync(null, input, ct));
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Show(int id, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().Include(s => s.Lead).Include(s => s.Agreement)
            .Include(s => s.Communities).ThenInclude(c => c.Community)
            .SingleOrDefaultAsync(s => s.Id == id, ct);
        if (study is null || !StudyAccess.CanSee(User, study))
        {
            return NotFound();
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var mayDecide = await access.ManagedAsync(User, study, ct);
        var communities = study.Communities.OrderBy(c => c.Community.Code)
            .Select(c => new CommunityConsentView(c.CommunityId, c.Community.Code, c.Community.Name, c.Consent, c.Reason, c.DecidedAt,
                study.State == StudyState.Published && c.Consent == ConsentState.Pending && mayDecide.Contains(c.CommunityId)))
            .ToList();
        var counts = await db.Enrolments.Where(e => e.StudyId == id)
            .GroupBy(e => e.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var mine = await db.Enrolments.AsNoTracking().Where(e => e.StudyId == id && e.UserId == UserId)
            .OrderByDescending(e => e.Id)
            .Select(e => new MyEnrolmentItem(e.StudyId, e.Id, "", e.State, study.EndDate)).FirstOrDefaultAsync(ct);
        if (mine is not null)
        {
            var open = study.State == StudyState.Published && !study.HasEnded(now);
            mine = mine with { Title = study.Title, State = StudyRoster.Effective(mine.State, await credentials.HoldsValidAsync(UserId, ct), open) };
        }
        var gate = study.State == StudyState.Draft ? (RequestOutcome?)null : await requests.GateAsync(study, UserId, ct);
        return View(new StudyViewModel(study, study.Lead.FullName, communities, StudyAccess.Leads(User, study),
            await access.CanSeeRosterAsync(User, study, ct), gate, mine, await AgreementAsync(study, now, ct),
            counts.GetValueOrDefault(EnrolmentState.Approved) + counts.GetValueOrDefault(EnrolmentState.Suspended),
            counts.GetValueOrDefault(EnrolmentState.Requested), study.HasEnded(now)));
    }

    [HttpGet("{id:int}/edit")]
    public async Task<IActionResult> Edit(int id, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().Include(s => s.Communities).Include(s => s.Lead).SingleOrDefaultAsync(s => s.Id == id, ct);
        if (study is null || !StudyAccess.Leads(User, study))
        {
            return NotFound();
        }
        if (study.State != StudyState.Draft)
        {
            TempData["Flash"] = l["Studies.NotDraft"].Value;
            return Redirect($"/studies/{id}");
        }
        return View("Form", await FormAsync(id, StudyInput.From(study, study.Lead.Email), ct));
    }

    [HttpPost("{id:int}/edit")]
    public async Task<IActionResult> Edit(int id, StudyInput input, [FromServices] SaveStudy save, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (study is null || !StudyAccess.Leads(User, study))
        {
            return NotFound();
        }
        CheckDetails(input);
        if (!ModelState.IsValid)
        {
            return View("Form", await FormAsync(id, input, ct));
        }
        var result = await save.EditAsync(User, id, input.ToDetails(), ct);
        switch (result.Outcome)
        {
            case SaveStudyOutcome.Saved:
                TempData["Flash"] = l["Studies.Saved"].Value;
                return Redirect($"/studies/{id}");
            case SaveStudyOutcome.NotFound:
                return NotFound();
            case SaveStudyOutcome.NotDraft:
                TempData["Flash"] = l["Studies.NotDraft"].Value;
                return Redirect($"/studies/{id}");
            default:
                AddError(result.Outcome);
                return View("Form", await FormAsync(id, input, ct));
        }
    }

    [HttpPost("{id:int}/publish")]
    public async Task<IActionResult> Publish(int id, [FromServices] PublishStudy publish, CancellationToken ct)
    {
        var outcome = await publish.RunAsync(User, id, ct);
        if (outcome == PublishOutcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = l[$"Studies.Publish.{outcome}"].Value;
        return Redirect($"/studies/{id}");
    }

    [HttpPost("{id:int}/withdraw")]
    public async Task<IActionResult> Withdraw(int id, [FromForm] string? reason, [FromServices] WithdrawStudy withdraw, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (study is null || !StudyAccess.Leads(User, study))
        {
            return NotFound();
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            TempData["Flash"] = l["Studies.ReasonRequired"].Value;
            return Redirect($"/studies/{id}");
        }
        TempData["Flash"] = l[await withdraw.RunAsync(User, id, reason, ct) ? "Studies.Withdrawn" : "Studies.AlreadyWithdrawn"].Value;
        return Redirect($"/studies/{id}");
    }

    [HttpPost("{id:int}/consent/{communityId:int}")]
    public async Task<IActionResult> Consent(int id, int communityId, DecisionInput input, [FromServices] DecideConsent decide, CancellationToken ct)
    {
        var outcome = await decide.RunAsync(User, id, communityId, input.Approve, input.Reason, ct);
        if (outcome == ConsentOutcome.NotFound)
        {
            return NotFound();
        }
        TempData["Flash"] = l[outcome switch
        {
            ConsentOutcome.Decided => input.Approve ? "Studies.Consent.Approved" : "Studies.Consent.Declined",
            ConsentOutcome.ReasonRequired => "Studies.ReasonRequired",
            _ => "Studies.Consent.AlreadyDecided",
        }].Value;
        return Redirect($"/studies/{id}");
    }

    private async Task<bool> MayCreateAsync(CancellationToken ct) =>
        User.IsInRole(Roles.Admin) || await credentials.HoldsValidAsync(UserId, ct);

    /// <summary>Rules across fields, with the attribute checks: each a clear message, and nothing saved.</summary>
    private void CheckDetails(StudyInput input)
    {
        if (input.StartDate is { } start && input.EndDate is { } end && end < start)
        {
            ModelState.AddModelError(nameof(input.EndDate), l["Studies.EndBeforeStart"]);
        }
        if (input.Communities.Count == 0)
        {
            ModelState.AddModelError(nameof(input.Communities), l["Studies.CommunitiesRequired"]);
        }
    }

    private void AddError(SaveStudyOutcome outcome)
    {
        var (field, key) = outcome switch
        {
            SaveStudyOutcome.NoValidCredential => ("", "Studies.NoValidCredential"),
            SaveStudyOutcome.LeadNotFound => (nameof(StudyInput.LeadEmail), "Studies.LeadNotFound"),
            SaveStudyOutcome.LeadWithoutCredential => (nameof(StudyInput.LeadEmail), "Studies.LeadWithoutCredential"),
            SaveStudyOutcome.UnknownCommunity => (nameof(StudyInput.Communities), "Studies.CommunitiesRequired"),
            _ => ("", "Studies.NotDraft"),
        };
        ModelState.AddModelError(field, $"{l[key]} {l["Studies.NothingRecorded"]}");
    }

    private async Task<StudyFormViewModel> FormAsync(int? id, StudyInput input, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        var communities = await db.Communities.AsNoTracking().OrderBy(c => c.Street.Code).ThenBy(c => c.Code)
            .Select(c => new CommunityChoice(c.Id, english ? c.NameEn : c.NameZh, english ? c.Street.NameEn : c.Street.NameZh))
            .ToListAsync(ct);
        return new StudyFormViewModel(id, input, communities, id is null && User.IsInRole(Roles.Admin));
    }

    /// <summary>The published text, or for a draft a preview of what publishing would fix.</summary>
    private async Task<StudyAgreementView?> AgreementAsync(Study study, DateTime now, CancellationToken ct)
    {
        var agreement = study.Agreement ?? (study.State == StudyState.Draft ? await agreementText.WriteAsync(study, now, ct) : null);
        if (agreement is null)
        {
            return null;
        }
        var language = Cultures.Current;
        var text = agreement.Text(language);
        return new StudyAgreementView(language, Agreements.AgreementRules.Hash(text), renderer.Render(text), agreement.TemplateVersion, study.Agreement is null);
    }

    private async Task<IReadOnlyList<StudyListItem>> ListAsync(IQueryable<Study> studies, DateOnly today, bool english, CancellationToken ct) =>
        await studies.AsNoTracking().OrderByDescending(s => s.StartDate).ThenBy(s => s.Id)
            .Select(s => new StudyListItem(s.Id, english ? s.TitleEn : s.TitleZh, s.Institution, s.StartDate, s.EndDate, s.State,
                db.Enrolments.Count(e => e.StudyId == s.Id && e.State == EnrolmentState.Requested),
                db.Enrolments.Count(e => e.StudyId == s.Id && (e.State == EnrolmentState.Approved || e.State == EnrolmentState.Suspended)),
                s.MaxTeamSize, s.EndDate < today))
            .Take(200)
            .ToListAsync(ct);
}
