using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates;
using Practitioners.Web.Features.Communities;

namespace Practitioners.Web.Data.Seeding;

/// <summary>
/// Loads seeds/demo.json: streets, communities and one account per role. Idempotent: rows are matched by
/// code or email and only missing ones are added, so a restart never duplicates or overwrites anything.
/// </summary>
public sealed class DemoSeeder(
    AppDbContext db,
    UserManager<ApplicationUser> users,
    IConfiguration configuration,
    Microsoft.Extensions.Options.IOptions<CredentialSettings> credentials,
    IWebHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoSeeder> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task SeedAsync(CancellationToken ct)
    {
        var folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, configuration["Seeding:Folder"] ?? "seeds"));
        var file = Path.Combine(folder, "demo.json");
        await using var stream = File.OpenRead(file);
        var seed = await JsonSerializer.DeserializeAsync<DemoSeed>(stream, Json, ct)
            ?? throw new InvalidOperationException($"{file} is empty.");
        var now = clock.GetUtcNow().UtcDateTime;

        foreach (var s in seed.Streets)
        {
            var street = await db.Streets.Include(x => x.Communities).SingleOrDefaultAsync(x => x.Code == s.Code, ct);
            if (street is null)
            {
                street = new Street { Code = s.Code, NameZh = s.NameZh, NameEn = s.NameEn };
                db.Streets.Add(street);
            }
            foreach (var c in s.Communities.Where(c => street.Communities.All(x => x.Code != c.Code)))
            {
                street.Communities.Add(new Community { Code = c.Code, NameZh = c.NameZh, NameEn = c.NameEn, RequiresApproval = c.RequiresApproval });
            }
        }
        await db.SaveChangesAsync(ct);

        foreach (var u in seed.Users)
        {
            await SeedUserAsync(u, seed.Password, now, ct);
        }
        foreach (var c in seed.Certificates)
        {
            await SeedCertificateAsync(c, seed.Password, now, ct);
        }
        await DemoHours.SeedAsync(db, now, ct);
        logger.LogInformation("Demo data loaded from {File}", file);
    }

    /// <summary>The demo staff's authenticator key (Base32), published in the README: demo only.</summary>
    public const string DemoStaffAuthenticatorKey = "PRACTITIONERSDEMOSTAFFKEYTWOZERO";

    private async Task SeedUserAsync(DemoUser u, string password, DateTime now, CancellationToken ct)
    {
        var user = await users.FindByEmailAsync(u.Email);
        if (user is null)
        {
            user = new ApplicationUser
            {
                UserName = u.Email, Email = u.Email, EmailConfirmed = true, FullName = u.FullName,
                PreferredCulture = u.Culture, CreatedAt = now,
            };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding {u.Email}: {string.Join("; ", created.Errors.Select(e => e.Description))}");
            }
        }
        foreach (var role in u.Roles)
        {
            if (!await users.IsInRoleAsync(user, role))
            {
                await users.AddToRoleAsync(user, role);
            }
        }
        // Demo staff must use two-step verification like real staff: they share one published authenticator key
        // (README, "Demo accounts"), so anyone trying the demo can add it to an app. Never outside Development.
        if (u.Roles.Any(r => Features.Accounts.TwoFactor.StaffTwoFactorFilter.StaffRoles.Contains(r)) && !user.TwoFactorEnabled)
        {
            await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", DemoStaffAuthenticatorKey);
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        if (u.ManageStreet is { } streetCode)
        {
            var streetId = await db.Streets.Where(s => s.Code == streetCode).Select(s => s.Id).SingleAsync(ct);
            if (!await db.ManagerAssignments.AnyAsync(a => a.UserId == user.Id && a.StreetId == streetId, ct))
            {
                db.ManagerAssignments.Add(new ManagerAssignment { UserId = user.Id, StreetId = streetId, AssignedAt = now });
            }
        }
        if (u.ManageCommunity is { } communityCode)
        {
            var communityId = await db.Communities.Where(c => c.Code == communityCode).Select(c => c.Id).SingleAsync(ct);
            if (!await db.ManagerAssignments.AnyAsync(a => a.UserId == user.Id && a.CommunityId == communityId, ct))
            {
                db.ManagerAssignments.Add(new ManagerAssignment { UserId = user.Id, CommunityId = communityId, AssignedAt = now });
            }
        }

        if (u.Volunteer is { } v && await db.VolunteerProfiles.FindAsync([user.Id], ct) is null)
        {
            db.VolunteerProfiles.Add(new VolunteerProfile
            {
                UserId = user.Id, School = v.School, StudentNumber = v.StudentNumber, Major = v.Major,
                ExpectedGraduationYear = v.ExpectedGraduationYear, DateOfBirth = v.DateOfBirth, UpdatedAt = now,
            });
        }
        if (u.Provider is { } p && await db.ProviderProfiles.FindAsync([user.Id], ct) is null)
        {
            db.ProviderProfiles.Add(new ProviderProfile
            {
                UserId = user.Id, Organisation = p.Organisation, Profession = p.Profession, Employment = p.Employment,
                LicenceType = p.LicenceType, LicenceNumber = p.LicenceNumber, UpdatedAt = now,
            });
        }
        if (u.Researcher is { } r && await db.ResearcherProfiles.FindAsync([user.Id], ct) is null)
        {
            db.ResearcherProfiles.Add(new ResearcherProfile
            {
                UserId = user.Id, Institution = r.Institution, Position = r.Position, Orcid = r.Orcid, UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);

        foreach (var a in u.Admissions)
        {
            var communityId = await db.Communities.Where(c => c.Code == a.Community).Select(c => c.Id).SingleAsync(ct);
            if (!await db.Admissions.AnyAsync(x => x.UserId == user.Id && x.CommunityId == communityId && x.Track == a.Track, ct))
            {
                db.Admissions.Add(Admission.Apply(user.Id, communityId, a.Track, now));
            }
            if (!await users.IsInRoleAsync(user, a.Track.IdentityRole()))
            {
                await users.AddToRoleAsync(user, a.Track.IdentityRole());
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A certified person in a given state, with a fixed verification code so the README can link to it.
    /// Issued months ago (so that it is valid, expiring or expired today), then suspended or revoked if asked.
    /// </summary>
    private async Task SeedCertificateAsync(DemoCertificate c, string password, DateTime now, CancellationToken ct)
    {
        if (await db.Certificates.AnyAsync(x => x.VerificationCode == c.Code, ct))
        {
            return;
        }
        await SeedUserAsync(new DemoUser { Email = c.Email, FullName = c.FullName, Culture = c.Culture }, password, now, ct);
        var user = await users.FindByEmailAsync(c.Email) ?? throw new InvalidOperationException(c.Email);
        var communityId = await db.Communities.Where(x => x.Code == c.Community).Select(x => x.Id).SingleAsync(ct);
        var issued = now.AddMonths(-c.IssuedMonthsAgo);
        var admission = Admission.Apply(user.Id, communityId, c.Track, issued);
        foreach (var state in new[] { AdmissionState.InTraining, AdmissionState.AwaitingSignature, AdmissionState.Active })
        {
            admission.MoveTo(state, user.Id, issued, "demo data");
        }
        db.Admissions.Add(admission);
        if (!await users.IsInRoleAsync(user, c.Track.IdentityRole()))
        {
            await users.AddToRoleAsync(user, c.Track.IdentityRole());
        }
        await db.SaveChangesAsync(ct);

        await SignForDemoAsync(admission, user.Id, c.FullName, issued, ct);

        var letter = c.Track.CredentialLetter();
        var prefix = $"CFC-{letter}-{issued.Year}-";
        var last = await db.Certificates.Where(x => x.Number.StartsWith(prefix)).MaxAsync(x => (string?)x.Number, ct);
        var number = CertificateCodes.Number(letter, issued.Year, (last is null ? 0 : int.Parse(last[^6..])) + 1);
        var certificate = Certificate.Issue(number, c.Code, admission, issued, issued.AddMonths(credentials.Value.For(c.Track).ValidityMonths), null);
        var admin = await db.Users.Where(u => u.Email == "admin@demo.practitioners.cn").Select(u => u.Id).FirstOrDefaultAsync(ct) ?? user.Id;
        if (c.State == "suspended")
        {
            certificate.Suspend(c.Reason!, admin, now.AddDays(-3));
            admission.MoveTo(AdmissionState.Suspended, admin, now.AddDays(-3), c.Reason);
        }
        else if (c.State == "revoked")
        {
            certificate.Revoke(c.Reason!, admin, now.AddDays(-3));
            admission.MoveTo(AdmissionState.Withdrawn, admin, now.AddDays(-3), c.Reason);
        }
        else if (certificate.ExpiresAt <= now)
        {
            admission.MoveTo(AdmissionState.Lapsed, null, certificate.ExpiresAt, "certificate expired");
        }
        db.Certificates.Add(certificate);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A certified demo person has signed their role's agreement (and been countersigned where it needs that).</summary>
    private async Task SignForDemoAsync(Admission admission, string userId, string fullName, DateTime at, CancellationToken ct)
    {
        var track = admission.Track.ToString();
        var agreement = (await db.Agreements.AsNoTracking().Where(a => !a.Template && a.Roles.Contains(track)).ToListAsync(ct))
            .FirstOrDefault(a => a.AppliesTo(admission.Track));
        var version = agreement is null ? null : await db.AgreementVersions.AsNoTracking()
            .Where(v => v.AgreementId == agreement.Id).OrderBy(v => v.Version).FirstOrDefaultAsync(ct);
        if (agreement is null || version is null)
        {
            return;
        }
        var holder = new Features.Agreements.Signature
        {
            AgreementId = agreement.Id, Version = version.Version, Role = Features.Agreements.SignatureRole.Holder, UserId = userId,
            AdmissionId = admission.Id, Language = "zh-CN", TextHash = Features.Agreements.AgreementRules.Hash(version.TextZh),
            TypedName = fullName, NeedsCountersignature = agreement.Countersignature, SignedAt = at, IpAddress = "127.0.0.1", UserAgent = "demo data",
        };
        db.Signatures.Add(holder);
        await db.SaveChangesAsync(ct);
        if (agreement.Countersignature)
        {
            var manager = await db.ManagerAssignments.Where(m => m.CommunityId == admission.CommunityId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.FullName }).FirstOrDefaultAsync(ct);
            if (manager is not null)
            {
                db.Signatures.Add(new Features.Agreements.Signature
                {
                    AgreementId = agreement.Id, Version = version.Version, Role = Features.Agreements.SignatureRole.Countersigner, UserId = manager.Id,
                    ForSignatureId = holder.Id, Language = "zh-CN", TextHash = holder.TextHash, TypedName = manager.FullName, SignedAt = at,
                    IpAddress = "127.0.0.1", UserAgent = "demo data",
                });
                await db.SaveChangesAsync(ct);
            }
        }
    }

    private sealed record DemoCertificate(string Email, string FullName, string Culture, RoleTrack Track, string Community, string Code,
        int IssuedMonthsAgo, string State, string? Reason);

    private sealed class DemoSeed
    {
        public List<DemoCertificate> Certificates { get; init; } = [];
        public string Password { get; init; } = "";
        public List<DemoStreet> Streets { get; init; } = [];
        public List<DemoUser> Users { get; init; } = [];
    }

    private sealed record DemoStreet(string Code, string NameZh, string NameEn, List<DemoCommunity> Communities);

    private sealed record DemoCommunity(string Code, string NameZh, string NameEn, bool RequiresApproval);

    private sealed class DemoUser
    {
        public string Email { get; init; } = "";
        public string FullName { get; init; } = "";
        public string Culture { get; init; } = "zh-CN";
        public List<string> Roles { get; init; } = [];
        public string? ManageStreet { get; init; }
        public string? ManageCommunity { get; init; }
        public DemoVolunteer? Volunteer { get; init; }
        public DemoProvider? Provider { get; init; }
        public DemoResearcher? Researcher { get; init; }
        public List<DemoAdmission> Admissions { get; init; } = [];
    }

    private sealed record DemoVolunteer(string School, string StudentNumber, string Major, int ExpectedGraduationYear, DateOnly DateOfBirth);

    private sealed record DemoProvider(string Organisation, string Profession, Employment Employment, string LicenceType, string LicenceNumber);

    private sealed record DemoResearcher(string Institution, string Position, string? Orcid);

    private sealed record DemoAdmission(string Community, RoleTrack Track);
}
