using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Accounts.TwoFactor;
using Practitioners.Web.Features.Communities;

namespace Practitioners.TestSupport;

/// <summary>Arranges people and places for a test, through the same services the site uses.</summary>
public static partial class People
{
    public const string Password = "river lamp orchard 7";

    public static async Task<ApplicationUser> CreateUserAsync(this SiteFactory site, string email, string fullName = "测试用户",
        bool confirmed = true, string culture = "zh-CN", params string[] roles)
    {
        ApplicationUser? user = null;
        await site.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            user = new ApplicationUser
            {
                UserName = email, Email = email, FullName = fullName, EmailConfirmed = confirmed,
                PreferredCulture = culture, CreatedAt = site.Clock.GetUtcNow().UtcDateTime,
            };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }
            foreach (var role in roles)
            {
                await users.AddToRoleAsync(user, role);
            }
            // Staff must use two-step verification: they are enrolled as if they had scanned the QR code,
            // and SignInAsync answers the second step with the code their app would show on the site's clock.
            if (roles.Any(r => Practitioners.Web.Features.Accounts.TwoFactor.StaffTwoFactorFilter.StaffRoles.Contains(r)))
            {
                await users.ResetAuthenticatorKeyAsync(user);
                await users.SetTwoFactorEnabledAsync(user, true);
            }
        });
        return user!;
    }

    /// <summary>
    /// A code the person's authenticator app shows now (on the site's clock) that the site has not accepted yet. A code is
    /// good once: the site accepts the step before, the current and the next one, so a test can sign the same person in
    /// up to three times in one 30-second step; after that the fake clock is moved to the next step (real time is waited for).
    /// </summary>
    public static async Task<string> AuthenticatorCodeAsync(this SiteFactory site, string email)
    {
        string? key = null;
        long? lastStep = null;
        await site.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
            key = await users.GetAuthenticatorKeyAsync(user);
            lastStep = user.AuthenticatorLastStep;
        });
        if (key is null)
        {
            throw new InvalidOperationException($"{email} has no authenticator key.");
        }
        // The clock the site checks codes on: its sign-in clock (the fake clock, or real time in Development).
        var clock = site.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).TimeProvider ?? site.Clock;
        var step = Totp.StepAt(clock.GetUtcNow());
        var unused = Math.Max(step - 1, (lastStep ?? long.MinValue) + 1);
        if (unused > step + 1)
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(unused * (long)Totp.Step.TotalSeconds) - clock.GetUtcNow() - Totp.Step;
            if (clock is Microsoft.Extensions.Time.Testing.FakeTimeProvider fake)
            {
                fake.Advance(wait);
            }
            else
            {
                await Task.Delay(wait);
            }
        }
        return Totp.Compute(Totp.FromBase32(key), unused).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task<Community> CreateCommunityAsync(this SiteFactory site, string code, bool requiresApproval = false,
        string streetCode = "street-a") =>
        site.WithDbAsync(async db =>
        {
            if (db.Communities.SingleOrDefault(c => c.Code == code) is { } existing)
            {
                return existing;
            }
            var street = db.Streets.SingleOrDefault(s => s.Code == streetCode)
                ?? db.Streets.Add(new Street { Code = streetCode, NameZh = "测试街道 " + streetCode, NameEn = "Test street " + streetCode }).Entity;
            var community = new Community
            {
                Street = street, Code = code, NameZh = "测试社区 " + code, NameEn = "Test community " + code,
                RequiresApproval = requiresApproval,
            };
            db.Communities.Add(community);
            await db.SaveChangesAsync();
            return community;
        });

    public static HttpClient CreateBrowserClient(this SiteFactory site, bool followRedirects = true)
    {
        var client = site.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = followRedirects,
            HandleCookies = true,
            BaseAddress = site.ClientOptions.BaseAddress,
        });
        client.DefaultRequestHeaders.UserAgent.ParseAdd("PractitionersTests/1.0");
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.SubmitAsync("/account/sign-in", "/account/sign-in",
            [new("Email", email), new("Password", password)]);
        // The second step, for people with two-step verification: whether the client follows redirects or not.
        var secondStep = response.StatusCode == HttpStatusCode.Redirect
            ? response.Headers.Location?.OriginalString
            : response.RequestMessage?.RequestUri?.PathAndQuery;
        if (secondStep?.StartsWith(TwoFactorStep, StringComparison.Ordinal) == true && SiteFactory.OwnerOf(client) is { } site)
        {
            var page = await client.GetDocumentAsync(secondStep);
            var fields = page.QuerySelectorAll($"form[action='{TwoFactorStep}'] input[type=hidden]")
                .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
                .Append(new("Code", await site.AuthenticatorCodeAsync(email)));
            response = await client.PostAsync(TwoFactorStep, new FormUrlEncodedContent(fields));
        }
        return response;
    }

    private const string TwoFactorStep = "/account/sign-in/two-factor";

    /// <summary>The first link in a message's text body that points at the given path.</summary>
    public static string LinkTo(this MimeKit.MimeMessage message, string path)
    {
        var body = message.TextBody ?? message.HtmlBody ?? "";
        var match = Regex.Match(body, $@"https?://[^\s""<>]*{Regex.Escape(path)}[^\s""<>]*");
        if (!match.Success)
        {
            throw new InvalidOperationException($"No link to {path} in: {body}");
        }
        var uri = new Uri(WebUtility.HtmlDecode(match.Value));
        return uri.PathAndQuery;
    }
}

/// <summary>People already part-way through their admission, for tests that start at a later step.</summary>
public static class Journeys
{
    /// <summary>
    /// A confirmed person with a role profile and an admission whose initial learning path is passed,
    /// so the admission awaits the agreement signature.
    /// </summary>
    public static async Task<(Practitioners.Web.Features.Accounts.ApplicationUser User, int AdmissionId, int CommunityId)> TrainedAsync(
        this SiteFactory site, string email, Practitioners.Web.Features.Admissions.RoleTrack track, string fullName = "测试学员",
        bool requiresApproval = false, DateOnly? dateOfBirth = null, string? communityCode = null, string culture = "zh-CN")
    {
        var community = await site.CreateCommunityAsync(communityCode ?? "c-" + email.Split('@')[0], requiresApproval);
        var user = await site.CreateUserAsync(email, fullName, culture: culture);
        var now = site.Clock.GetUtcNow().UtcDateTime;
        var admissionId = await site.WithDbAsync(async db =>
        {
            switch (track)
            {
                case Practitioners.Web.Features.Admissions.RoleTrack.Volunteer:
                    db.VolunteerProfiles.Add(new() { UserId = user.Id, School = "师范大学", StudentNumber = "1", Major = "社工", ExpectedGraduationYear = 2027,
                        DateOfBirth = dateOfBirth ?? new DateOnly(2004, 5, 12), UpdatedAt = now });
                    break;
                case Practitioners.Web.Features.Admissions.RoleTrack.ServiceProvider:
                    db.ProviderProfiles.Add(new() { UserId = user.Id, Organisation = "阳光社工中心", Profession = "社会工作者",
                        Employment = Practitioners.Web.Features.Admissions.Employment.FullTime, LicenceType = "中级社会工作师", LicenceNumber = "SW-1", UpdatedAt = now });
                    break;
                default:
                    db.ResearcherProfiles.Add(new() { UserId = user.Id, Institution = "华东大学", Position = "副教授", UpdatedAt = now });
                    break;
            }
            var admission = Practitioners.Web.Features.Admissions.Admission.Apply(user.Id, community.Id, track, now);
            db.Admissions.Add(admission);
            var letter = Practitioners.Web.Features.Admissions.RoleTracks.CredentialLetter(track).ToString();
            var modules = db.LearningPathEntries.Where(p => p.CredentialType == letter && p.Kind == Practitioners.Web.Features.Training.PathKind.Initial)
                .Select(p => new { p.ModuleId, Version = db.TrainingModules.Where(m => m.Id == p.ModuleId).Select(m => m.CurrentVersion).Single() }).ToList();
            foreach (var m in modules)
            {
                db.ModuleCompletions.Add(new() { UserId = user.Id, ModuleId = m.ModuleId, Version = m.Version, Score = 100, CompletedAt = now, AttemptId = Guid.NewGuid() });
            }
            await db.SaveChangesAsync();
            return admission.Id;
        });
        await site.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<Practitioners.Web.Features.Admissions.AdvanceAdmissions>().RunAsync(user.Id, CancellationToken.None);
            await sp.GetRequiredService<Practitioners.Web.Data.AppDbContext>().SaveChangesAsync();
        });
        return (user, admissionId, community.Id);
    }

    /// <summary>Signs the admission's agreement through the sign page, as the browser would.</summary>
    public static async Task<HttpResponseMessage> SignAsync(this HttpClient client, int admissionId, string typedName,
        params KeyValuePair<string, string>[] extra)
    {
        var page = await client.GetDocumentAsync($"/agreements/sign/{admissionId}");
        var fields = page.QuerySelectorAll("form[action^='/agreements/sign'] input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat([new("TypedName", typedName), new("Consent", "true")])
            .Concat(extra);
        return await client.PostAsync($"/agreements/sign/{admissionId}", new FormUrlEncodedContent(fields));
    }
}

/// <summary>Passing quizzes over HTTP, answering from the published bank as someone who read the lessons would.</summary>
public static class Quizzes
{
    public static async Task<string> PassModuleAsync(this HttpClient client, SiteFactory site, string module)
    {
        var start = await client.SubmitAsync($"/training/modules/{module}", $"/training/modules/{module}/attempts", []);
        var attemptUrl = start.RequestMessage!.RequestUri!.AbsolutePath;
        var page = await client.GetDocumentAsync(attemptUrl);
        var body = await site.WithDbAsync(async db =>
        {
            var version = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.TrainingModules.Where(m => m.Id == module).Select(m => m.CurrentVersion));
            var json = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.ModuleVersions.Where(v => v.ModuleId == module && v.Version == version).Select(v => v.Body));
            return Practitioners.Web.Features.Training.ModuleBody.FromJson(json);
        });
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", page.AntiforgeryToken()) };
        foreach (var fieldset in page.QuerySelectorAll("fieldset.question"))
        {
            var id = fieldset.GetAttribute("data-question")!;
            fields.AddRange(body.Bank[id].Options.Where(o => o.Correct).Select(o => new KeyValuePair<string, string>($"q.{id}", o.Id)));
        }
        var response = await client.PostAsync(attemptUrl, new FormUrlEncodedContent(fields));
        return await response.Content.ReadAsStringAsync();
    }
}
