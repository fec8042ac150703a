using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Security;

/// <summary>
/// The people and objects the access matrix is walked with: two communities, X and Y (in different streets), and in
/// each a certified volunteer, a provider whose agreement awaits countersignature, a notification and a quiz attempt;
/// a manager of each; a study lead with a published study in X; an admin. Every client is signed in (or anonymous).
/// </summary>
public sealed class AccessWorld : IAsyncLifetime
{
    public SiteFactory Site { get; } = new();

    public Dictionary<Persona, HttpClient> Clients { get; } = new();

    /// <summary>Antiforgery tokens per persona, read from a page that persona can open.</summary>
    public Dictionary<Persona, string> Tokens { get; } = new();

    public Side X { get; private set; } = null!;

    public Side Y { get; private set; } = null!;

    /// <summary>Placeholders that do not belong to one community.</summary>
    public Dictionary<string, string> Shared { get; } = new();

    public async Task InitializeAsync()
    {
        X = await SideAsync("x");
        Y = await SideAsync("y");

        await Site.CreateUserAsync("mx-admin@example.cn", "管理员", roles: Roles.Admin);
        await AssignManagerAsync("mx-mgr-x@example.cn", X.CommunityId);
        await AssignManagerAsync("mx-mgr-y@example.cn", Y.CommunityId);

        var (lead, _, _) = await Site.CertifiedResearcherAsync("mx-lead@example.cn", "李研究", "mx-z");
        var study = await lead.PublishedStudyAsync("儿童游戏空间", [X.CommunityId],
            DateOnly.FromDateTime(Site.Clock.GetUtcNow().UtcDateTime.AddDays(10)), DateOnly.FromDateTime(Site.Clock.GetUtcNow().UtcDateTime.AddDays(200)));
        Shared["study"] = study.ToString();
        Shared["module"] = await Site.WithDbAsync(db => db.TrainingModules.OrderBy(m => m.Id).Select(m => m.Id).FirstAsync());
        Shared["outbox"] = (await Site.WithDbAsync(db => db.OutboxMessages.OrderBy(m => m.Id).Select(m => m.Id).FirstOrDefaultAsync())).ToString();
        Shared["client"] = "mx-partner";
        // A pending deletion request of someone outside both communities: the admins' queue has something to decide.
        var asker = await Site.CreateUserAsync("mx-erase@example.cn", "删除申请人");
        Shared["deletion"] = await Site.WithDbAsync(async db =>
        {
            var request = Practitioners.Web.Features.Privacy.DeletionRequest.Ask(asker.Id, Site.Clock.GetUtcNow().UtcDateTime);
            db.DeletionRequests.Add(request);
            await db.SaveChangesAsync();
            return request.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        await Site.WithScopeAsync(async sp => await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Practitioners.Web.Features.Partners.ClientRegistry>(sp).CreateAsync(
                new Practitioners.Web.Features.Partners.NewPartnerClient("mx-partner", "Matrix partner",
                    Practitioners.Web.Features.Partners.PartnerClientKind.Machine, [], [], ["credentials.verify"], []), null, CancellationToken.None));

        Clients[Persona.Anonymous] = Site.CreateBrowserClient(followRedirects: false);
        foreach (var (persona, email) in new[]
        {
            (Persona.VolunteerA, X.VolunteerEmail), (Persona.VolunteerB, Y.VolunteerEmail), (Persona.ManagerX, "mx-mgr-x@example.cn"),
            (Persona.ManagerY, "mx-mgr-y@example.cn"), (Persona.StudyLead, "mx-lead@example.cn"), (Persona.Admin, "mx-admin@example.cn"),
        })
        {
            // Redirects are not followed, so a redirect to the sign-in or denied page is seen as such.
            var client = Site.CreateBrowserClient(followRedirects: false);
            var signedIn = await client.SignInAsync(email);
            var location = signedIn.Headers.Location?.OriginalString ?? "";
            if (signedIn.StatusCode != System.Net.HttpStatusCode.Redirect || location.StartsWith("/account/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{persona} ({email}) could not sign in: {(int)signedIn.StatusCode} {location}");
            }
            Clients[persona] = client;
        }
        foreach (var (persona, client) in Clients)
        {
            Tokens[persona] = (await client.GetDocumentAsync("/verify")).AntiforgeryToken();
        }
    }

    private async Task AssignManagerAsync(string email, int communityId)
    {
        await Site.CreateUserAsync(email, "社区管理员", roles: Roles.CommunityManager);
        await Site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == email).Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
    }

    private async Task<Side> SideAsync(string name)
    {
        var code = "mx-" + name;
        await Site.CreateCommunityAsync(code, requiresApproval: false, streetCode: "street-" + name);
        var volunteerEmail = $"mx-vol-{name}@example.cn";
        var (volunteer, admission, communityId) = await Site.TrainedAsync(volunteerEmail, RoleTrack.Volunteer, "志愿者" + name, communityCode: code);
        var client = Site.CreateBrowserClient();
        await client.SignInAsync(volunteerEmail);
        // An open quiz attempt of the volunteer's own, drawn from the module's published bank.
        var attempt = await Site.WithDbAsync(async db =>
        {
            var module = await db.TrainingModules.OrderBy(m => m.Id).FirstAsync();
            var body = await db.ModuleVersions.Where(v => v.ModuleId == module.Id && v.Version == module.CurrentVersion).Select(v => v.Body).SingleAsync();
            var bank = Practitioners.Web.Features.Training.ModuleBody.FromJson(body).Bank.Values.ToList();
            var row = new Practitioners.Web.Features.Training.QuizAttempt
            {
                Id = Guid.NewGuid(), UserId = volunteer.Id, ModuleId = module.Id, Version = module.CurrentVersion,
                StartedAt = Site.Clock.GetUtcNow().UtcDateTime,
                Drawn = Practitioners.Web.Features.Training.QuizDraw.Draw(bank, Math.Min(3, bank.Count)).ToJson(),
            };
            db.QuizAttempts.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        (await client.SignAsync(admission, "志愿者" + name)).EnsureSuccessStatusCode();
        var certificate = await Site.WithDbAsync(db => db.Certificates.SingleAsync(c => c.AdmissionId == admission));
        var signature = await Site.WithDbAsync(db => db.Signatures.Where(s => s.AdmissionId == admission).Select(s => s.Id).SingleAsync());

        var providerEmail = $"mx-pro-{name}@example.cn";
        var (providerUser, providerAdmission, _) = await Site.TrainedAsync(providerEmail, RoleTrack.ServiceProvider, "提供者" + name, communityCode: code);
        var provider = Site.CreateBrowserClient();
        await provider.SignInAsync(providerEmail);
        (await provider.SignAsync(providerAdmission, "提供者" + name)).EnsureSuccessStatusCode();
        var providerSignature = await Site.WithDbAsync(db => db.Signatures.Where(s => s.AdmissionId == providerAdmission).Select(s => s.Id).SingleAsync());

        var notification = await Site.WithDbAsync(async db =>
        {
            var n = new Practitioners.Web.Features.Reminders.Notification
            {
                UserId = volunteer.Id, Title = "t", Body = "b", Link = "/training", CreatedAt = Site.Clock.GetUtcNow().UtcDateTime,
            };
            db.Notifications.Add(n);
            await db.SaveChangesAsync();
            return n.Id;
        });

        // Service hours: an activity the volunteer signed up for, a pending off-site record, the provider delegated to
        // organise, and an hours certificate of the volunteer's.
        var now = Site.Clock.GetUtcNow().UtcDateTime;
        var hours = await Site.WithDbAsync(async db =>
        {
            var activity = new Practitioners.Web.Features.Hours.Activity
            {
                CommunityId = communityId, Title = "活动" + name, Place = "活动室", StartsAt = now.AddDays(2), EndsAt = now.AddDays(2).AddHours(3),
                RequiredTrack = RoleTrack.Volunteer, Capacity = 10, CheckInCode = Practitioners.Web.Features.Certificates.CertificateCodes.NewVerificationCode(),
                CreatedByUserId = volunteer.Id, CreatedAt = now,
            };
            db.Activities.Add(activity);
            await db.SaveChangesAsync();
            var signUp = new Practitioners.Web.Features.Hours.SignUp { ActivityId = activity.Id, UserId = volunteer.Id, SignedUpAt = now };
            var record = Practitioners.Web.Features.Hours.HoursRecord.OffSite(volunteer.Id, communityId, now.AddHours(-5), now.AddHours(-3), "社区宣传", now);
            var delegation = new Practitioners.Web.Features.Hours.OrganiserDelegation
            {
                CommunityId = communityId, UserId = providerUser.Id, GrantedByUserId = volunteer.Id, GrantedAt = now,
            };
            var certificate = new Practitioners.Web.Features.Hours.HoursCertificate
            {
                Number = $"SH-2026-{communityId:D6}", VerificationCode = Practitioners.Web.Features.Certificates.CertificateCodes.NewVerificationCode(), UserId = volunteer.Id,
                From = DateOnly.FromDateTime(now.AddDays(-30)), To = DateOnly.FromDateTime(now), CommunitiesZh = "社区", CommunitiesEn = "Community",
                StreetsZh = "街道", StreetsEn = "Street", RecordIds = "", IssuedAt = now,
            };
            db.SignUps.Add(signUp);
            db.HoursRecords.Add(record);
            db.OrganiserDelegations.Add(delegation);
            db.HoursCertificates.Add(certificate);
            await db.SaveChangesAsync();
            return (Activity: activity, SignUp: signUp.Id, Record: record.Id, Delegation: delegation.Id, Certificate: certificate);
        });

        return new Side(volunteerEmail, communityId, new Dictionary<string, string>
        {
            ["activity"] = hours.Activity.Id.ToString(),
            ["checkIn"] = hours.Activity.CheckInCode,
            ["signUp"] = hours.SignUp.ToString(),
            ["hours"] = hours.Record.ToString(),
            ["organiser"] = hours.Delegation.ToString(),
            ["hoursCert"] = hours.Certificate.Number,
            ["hoursCode"] = hours.Certificate.VerificationCode,
            ["community"] = communityId.ToString(),
            ["communityCode"] = code,
            ["user"] = volunteer.Id,
            ["admission"] = admission.ToString(),
            ["providerAdmission"] = providerAdmission.ToString(),
            ["signature"] = signature.ToString(),
            ["providerSignature"] = providerSignature.ToString(),
            ["cert"] = certificate.Number,
            ["code"] = certificate.VerificationCode,
            ["notification"] = notification.ToString(),
            ["attempt"] = attempt.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }
        await Site.DisposeAsync();
    }
}

public sealed record Side(string VolunteerEmail, int CommunityId, Dictionary<string, string> Values);

public enum Persona
{
    Anonymous,
    VolunteerA,
    VolunteerB,
    ManagerX,
    ManagerY,
    StudyLead,
    Admin,
}
