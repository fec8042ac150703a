using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Data;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Studies;

/// <summary>For families: the approved studies running in a community, with who runs them and under which ethics approval.</summary>
[AllowAnonymous]
public sealed class CommunityStudiesController(AppDbContext db, TimeProvider clock) : Controller
{
    [HttpGet("/communities/{code}/studies")]
    public async Task<IActionResult> Index(string code, CancellationToken ct)
    {
        var english = Cultures.IsEnglish;
        var community = await db.Communities.AsNoTracking().Where(c => c.Code == code)
            .Select(c => new { c.Id, c.Code, Name = english ? c.NameEn : c.NameZh, Street = english ? c.Street.NameEn : c.Street.NameZh })
            .SingleOrDefaultAsync(ct);
        if (community is null)
        {
            return NotFound();
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var studies = await db.Studies.AsNoTracking()
            .Where(s => s.State == StudyState.Published
                && s.Communities.Any(c => c.CommunityId == community.Id && c.Consent == ConsentState.Approved))
            .OrderBy(s => s.StartDate).ThenBy(s => s.Id)
            .Select(s => new
            {
                s.EndDate,
                Study = new PublicStudy(english && s.TitleEn != "" ? s.TitleEn : s.TitleZh, english && s.SummaryEn != "" ? s.SummaryEn : s.SummaryZh,
                    s.Institution, s.EthicsApprovalNumber, s.EthicsBody, s.StartDate, s.EndDate, s.Lead.FullName),
            })
            .Take(500)
            .ToListAsync(ct);
        return View("Community", new CommunityStudiesViewModel(community.Code, community.Name, community.Street,
            studies.Where(s => s.EndDate >= today).Select(s => s.Study).ToList(),
            studies.Where(s => s.EndDate < today).Select(s => s.Study).Reverse().ToList()));
    }
}
