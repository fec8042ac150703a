using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Audit;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Training;

/// <summary>Training admins: every module with its version, learners started and passed, pass rate and average score.</summary>
[Authorize(Roles = Roles.TrainingAdmin + "," + Roles.Admin)]
[Route("training/admin")]
public sealed class TrainingAdminController(AppDbContext db, AuditLog audit, TimeProvider clock, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var modules = await db.TrainingModules.AsNoTracking().OrderBy(m => m.Id)
            .Select(m => new
            {
                m.Id, m.CurrentVersion, m.HeldBackReason,
                Version = db.ModuleVersions.Where(v => v.ModuleId == m.Id && v.Version == m.CurrentVersion)
                    .Select(v => new { v.TitleZh, v.TitleEn, v.Refresher }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var readers = await db.LessonReads.AsNoTracking().Select(r => new { r.ModuleId, r.UserId })
            .Union(db.QuizAttempts.AsNoTracking().Select(a => new { a.ModuleId, a.UserId }))
            .GroupBy(x => x.ModuleId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var passed = await db.ModuleCompletions.AsNoTracking().Select(c => new { c.ModuleId, c.UserId }).Distinct()
            .GroupBy(x => x.ModuleId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var attempts = await db.QuizAttempts.AsNoTracking().Where(a => a.SubmittedAt != null)
            .GroupBy(a => a.ModuleId)
            .Select(g => new { g.Key, Count = g.Count(), Passed = g.Count(a => a.Passed == true), Average = g.Average(a => (double?)a.Score) })
            .ToDictionaryAsync(x => x.Key, ct);

        var rows = modules.Select(m => new ModuleStatsRow(
            m.Id, m.CurrentVersion, m.Version is null ? m.Id : Cultures.Pick(m.Version.TitleZh, m.Version.TitleEn),
            m.Version?.Refresher ?? false, m.HeldBackReason,
            readers.GetValueOrDefault(m.Id), passed.GetValueOrDefault(m.Id),
            attempts.TryGetValue(m.Id, out var a) ? a.Count : 0, a?.Passed ?? 0, a?.Average)).ToList();
        return View("Admin", new TrainingAdminViewModel(rows));
    }

    /// <summary>Opens a new round of attempts for a learner who used them all; recorded and audited.</summary>
    [HttpPost("reset")]
    public async Task<IActionResult> Reset(ResetAttemptsInput input, CancellationToken ct)
    {
        var user = ModelState.IsValid ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == input.Email, ct) : null;
        var version = await db.TrainingModules.Where(m => m.Id == input.ModuleId).Select(m => (int?)m.CurrentVersion).SingleOrDefaultAsync(ct);
        if (user is null || version is null or 0)
        {
            TempData["Flash"] = l["TrainingAdmin.Reset.NotFound"].Value;
            return RedirectToAction(nameof(Index));
        }
        var by = User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        db.AttemptResets.Add(new AttemptReset { UserId = user.Id, ModuleId = input.ModuleId, Version = version.Value, At = clock.GetUtcNow().UtcDateTime, ByUserId = by });
        audit.Record("training.attempts.reset", "Module", input.ModuleId, by, new { user = user.Id, version });
        await db.SaveChangesAsync(ct);
        TempData["Flash"] = l["TrainingAdmin.Reset.Done", input.Email, input.ModuleId].Value;
        return RedirectToAction(nameof(Index));
    }
}

public sealed class ResetAttemptsInput
{
    [Required(ErrorMessage = "Validation.Required")]
    [EmailAddress(ErrorMessage = "Validation.Email")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required")]
    [Display(Name = "Field.Module")]
    public string ModuleId { get; set; } = "";
}
