using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Practitioners.Web.Data;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Infrastructure.Localization;

namespace Practitioners.Web.Features.Admissions;

/// <summary>A person's own page: their admissions, and starting a new role track.</summary>
[Authorize]
public sealed class TracksController(
    AppDbContext db,
    StartRoleTrack startRoleTrack,
    Agreements.AgreementStanding agreementStanding,
    Microsoft.Extensions.Options.IOptions<Certificates.CredentialSettings> credentials,
    SignInManager<ApplicationUser> signIn,
    TimeProvider clock,
    IStringLocalizer<SharedResource> l) : Controller
{
    private string UserId => User.FindFirstValue(ClaimTypes.NameIdentifier)!;

    [HttpGet("/me")]
    public async Task<IActionResult> Dashboard(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == UserId)
            .Select(u => new { u.FullName, u.EmailConfirmed }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return Challenge();
        }
        var english = Cultures.IsEnglish;
        var rows = await db.Admissions.AsNoTracking()
            .Where(a => a.UserId == UserId)
            .OrderByDescending(a => a.CreatedAt)
            .Select(a => new
            {
                a.Id,
                a.Track,
                Community = english ? a.Community.NameEn : a.Community.NameZh,
                Street = english ? a.Community.Street.NameEn : a.Community.Street.NameZh,
                a.State,
                a.CreatedAt,
                a.Community.RequiresApproval,
            })
            .ToListAsync(ct);
        var admissions = new List<AdmissionSummary>();
        foreach (var a in rows)
        {
            // A person holds one to three admissions: one small query each.
            var agreement = a.State == AdmissionState.Withdrawn ? null : await agreementStanding.ForAdmissionAsync(a.Id, a.Track, ct);
            admissions.Add(new AdmissionSummary(a.Id, a.Track, a.Community, a.Street, a.State, a.CreatedAt,
                Requirements.For(a.State, a.RequiresApproval), agreement));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var certificates = (await db.Certificates.AsNoTracking().Where(c => c.UserId == UserId)
                .Select(c => new { c.AdmissionId, c.Number, c.VerificationCode, c.Track, c.ExpiresAt, c.SuspendedAt, c.RevokedAt })
                .ToListAsync(ct))
            .Select(c => new CertificateSummary(c.AdmissionId, c.Number, c.VerificationCode,
                Certificates.Certificate.Status(c.ExpiresAt, c.SuspendedAt, c.RevokedAt, now, credentials.Value.For(c.Track).RenewalWindow), c.ExpiresAt))
            .ToList();
        // The latest holder signature per admission, for the signed agreement's PDF.
        var signatures = (await db.Signatures.AsNoTracking()
                .Where(s => s.UserId == UserId && s.Role == Agreements.SignatureRole.Holder && s.AdmissionId != null)
                .Select(s => new { AdmissionId = s.AdmissionId!.Value, s.Id })
                .ToListAsync(ct))
            .GroupBy(s => s.AdmissionId).Select(g => (g.Key, g.Max(s => s.Id))).ToList();
        return View(new DashboardViewModel(user.FullName, user.EmailConfirmed, admissions, certificates, signatures));
    }

    [HttpGet("/tracks/start")]
    public async Task<IActionResult> Start(CancellationToken ct) =>
        View(await ChooseModelAsync(new ChooseTrackInput(), ct));

    [HttpPost("/tracks/start")]
    public async Task<IActionResult> Start(ChooseTrackInput input, CancellationToken ct)
    {
        if (ModelState.IsValid && !await db.Communities.AnyAsync(c => c.Id == input.CommunityId, ct))
        {
            ModelState.AddModelError(nameof(input.CommunityId), l["Tracks.UnknownCommunity"]);
        }
        if (!ModelState.IsValid)
        {
            return View(await ChooseModelAsync(input, ct));
        }
        return RedirectToAction(nameof(Profile), new { track = input.Track!.Value.ToString().ToLowerInvariant(), community = input.CommunityId });
    }

    [HttpGet("/tracks/{track}")]
    public async Task<IActionResult> Profile(string track, int community, CancellationToken ct)
    {
        if (!TryParseTrack(track, out var roleTrack))
        {
            return NotFound();
        }
        var option = await CommunityAsync(community, ct);
        if (option is null)
        {
            TempData["Flash"] = l["Tracks.UnknownCommunity"].Value;
            return RedirectToAction(nameof(Start));
        }
        TrackProfileInput input = roleTrack switch
        {
            RoleTrack.Volunteer => await db.VolunteerProfiles.AsNoTracking().Where(p => p.UserId == UserId)
                .Select(p => new VolunteerTrackInput
                {
                    School = p.School, StudentNumber = p.StudentNumber, Major = p.Major,
                    ExpectedGraduationYear = p.ExpectedGraduationYear, DateOfBirth = p.DateOfBirth,
                }).SingleOrDefaultAsync(ct) ?? new VolunteerTrackInput(),
            RoleTrack.ServiceProvider => await db.ProviderProfiles.AsNoTracking().Where(p => p.UserId == UserId)
                .Select(p => new ProviderTrackInput
                {
                    Organisation = p.Organisation, Profession = p.Profession, Employment = p.Employment,
                    LicenceType = p.LicenceType, LicenceNumber = p.LicenceNumber,
                }).SingleOrDefaultAsync(ct) ?? new ProviderTrackInput(),
            _ => await db.ResearcherProfiles.AsNoTracking().Where(p => p.UserId == UserId)
                .Select(p => new ResearcherTrackInput { Institution = p.Institution, Position = p.Position, Orcid = p.Orcid })
                .SingleOrDefaultAsync(ct) ?? new ResearcherTrackInput(),
        };
        input.CommunityId = community;
        return View("Profile", new TrackProfileViewModel(roleTrack, option, input));
    }

    [HttpPost("/tracks/volunteer")]
    public Task<IActionResult> Volunteer(VolunteerTrackInput input, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (input.DateOfBirth is { } dob)
        {
            var age = new VolunteerProfile { DateOfBirth = dob }.AgeOn(today);
            if (age is < 14 or > 100)
            {
                ModelState.AddModelError(nameof(input.DateOfBirth), l["Tracks.VolunteerAge"]);
            }
        }
        return StartAsync(RoleTrack.Volunteer, input, now =>
        {
            var profile = db.VolunteerProfiles.Find(UserId);
            if (profile is null)
            {
                profile = new VolunteerProfile { UserId = UserId };
                db.VolunteerProfiles.Add(profile);
            }
            profile.School = input.School.Trim();
            profile.StudentNumber = input.StudentNumber.Trim();
            profile.Major = input.Major.Trim();
            profile.ExpectedGraduationYear = input.ExpectedGraduationYear!.Value;
            profile.DateOfBirth = input.DateOfBirth!.Value;
            profile.UpdatedAt = now;
        }, ct);
    }

    [HttpPost("/tracks/serviceprovider")]
    public Task<IActionResult> ServiceProvider(ProviderTrackInput input, CancellationToken ct) =>
        StartAsync(RoleTrack.ServiceProvider, input, now =>
        {
            var profile = db.ProviderProfiles.Find(UserId);
            if (profile is null)
            {
                profile = new ProviderProfile { UserId = UserId };
                db.ProviderProfiles.Add(profile);
            }
            profile.Organisation = input.Organisation.Trim();
            profile.Profession = input.Profession.Trim();
            profile.Employment = input.Employment!.Value;
            profile.LicenceType = input.LicenceType.Trim();
            profile.LicenceNumber = input.LicenceNumber.Trim();
            profile.UpdatedAt = now;
        }, ct);

    [HttpPost("/tracks/researcher")]
    public Task<IActionResult> Researcher(ResearcherTrackInput input, CancellationToken ct) =>
        StartAsync(RoleTrack.Researcher, input, now =>
        {
            var profile = db.ResearcherProfiles.Find(UserId);
            if (profile is null)
            {
                profile = new ResearcherProfile { UserId = UserId };
                db.ResearcherProfiles.Add(profile);
            }
            profile.Institution = input.Institution.Trim();
            profile.Position = input.Position.Trim();
            profile.Orcid = string.IsNullOrWhiteSpace(input.Orcid) ? null : input.Orcid.Trim();
            profile.UpdatedAt = now;
        }, ct);

    private async Task<IActionResult> StartAsync(RoleTrack track, TrackProfileInput input, Action<DateTime> saveProfile, CancellationToken ct)
    {
        var option = input.CommunityId is { } id ? await CommunityAsync(id, ct) : null;
        if (option is null)
        {
            ModelState.AddModelError(nameof(input.CommunityId), l["Tracks.UnknownCommunity"]);
            return View("Start", await ChooseModelAsync(new ChooseTrackInput { Track = track }, ct));
        }
        if (!ModelState.IsValid)
        {
            return View("Profile", new TrackProfileViewModel(track, option, input));
        }
        var (outcome, _) = await startRoleTrack.RunAsync(UserId, track, option.Id, saveProfile, ct);
        switch (outcome)
        {
            case StartTrackOutcome.Started:
                // The new role must be in the cookie now, not at the next sign-in.
                if (await signIn.UserManager.GetUserAsync(User) is { } user)
                {
                    await signIn.RefreshSignInAsync(user);
                }
                TempData["Flash"] = l["Tracks.Started"].Value;
                return RedirectToAction(nameof(Dashboard));
            case StartTrackOutcome.EmailNotConfirmed:
                ModelState.AddModelError("", l["Tracks.ConfirmEmailFirst"]);
                break;
            case StartTrackOutcome.AlreadyOpen:
                ModelState.AddModelError("", l["Tracks.AlreadyOpen"]);
                break;
            default:
                ModelState.AddModelError(nameof(input.CommunityId), l["Tracks.UnknownCommunity"]);
                break;
        }
        return View("Profile", new TrackProfileViewModel(track, option, input));
    }

    private async Task<ChooseTrackViewModel> ChooseModelAsync(ChooseTrackInput input, CancellationToken ct)
    {
        var confirmed = await db.Users.Where(u => u.Id == UserId).Select(u => u.EmailConfirmed).SingleOrDefaultAsync(ct);
        var communities = await db.Communities.AsNoTracking().ToOptions(Cultures.IsEnglish).ToListAsync(ct);
        // Communities that invited this person and where they have not applied yet.
        var invitedBy = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedByUserId == UserId && !db.Admissions.Any(a => a.UserId == UserId && a.CommunityId == i.CommunityId && a.State != AdmissionState.Withdrawn))
            .Select(i => i.CommunityId).Distinct().ToListAsync(ct);
        return new ChooseTrackViewModel(input, communities, confirmed, communities.Where(c => invitedBy.Contains(c.Id)).ToList());
    }

    private Task<CommunityOption?> CommunityAsync(int id, CancellationToken ct) =>
        db.Communities.AsNoTracking().Where(c => c.Id == id).ToOptions(Cultures.IsEnglish).SingleOrDefaultAsync(ct);

    private static bool TryParseTrack(string value, out RoleTrack track) =>
        Enum.TryParse(value, ignoreCase: true, out track) && Enum.IsDefined(track) && !int.TryParse(value, out _);
}
