using System.Globalization;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.TestSupport;

/// <summary>Researchers, managers and studies arranged through the site's own pages, for the studies tests.</summary>
public static class StudyJourneys
{
    /// <summary>A researcher who took the path and signed the researcher agreement: they hold a valid R credential, signed in.</summary>
    public static async Task<(HttpClient Client, ApplicationUser User, int AdmissionId)> CertifiedResearcherAsync(this SiteFactory site,
        string email, string name, string communityCode, string culture = "zh-CN")
    {
        var (user, admissionId, _) = await site.TrainedAsync(email, RoleTrack.Researcher, name, communityCode: communityCode, culture: culture);
        var client = site.CreateBrowserClient();
        await client.SignInAsync(email);
        var signed = await client.SignAsync(admissionId, name);
        signed.EnsureSuccessStatusCode();
        return (client, user, admissionId);
    }

    /// <summary>A community manager assigned to one community, signed in.</summary>
    public static async Task<HttpClient> ManagerOfAsync(this SiteFactory site, string email, int communityId, string name = "社区管理员",
        bool followRedirects = true)
    {
        await site.CreateUserAsync(email, name, roles: Roles.CommunityManager);
        await site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == email).Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
        var client = site.CreateBrowserClient(followRedirects);
        await client.SignInAsync(email);
        return client;
    }

    public static List<KeyValuePair<string, string>> StudyForm(string title, IEnumerable<int> communities, DateOnly start, DateOnly end,
        int maxTeamSize = 3, string ethicsNumber = "华东大学伦审 2026-017", string terms = "- 访谈录音只存放在学校加密服务器。")
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("TitleZh", title), new("TitleEn", title + " (en)"),
            new("SummaryZh", "了解社区儿童对游戏空间的看法。"), new("SummaryEn", "How children see the play spaces of their community."),
            new("Institution", "华东大学"), new("EthicsApprovalNumber", ethicsNumber), new("EthicsBody", "华东大学伦理委员会"),
            new("StartDate", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("EndDate", end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("MaxTeamSize", maxTeamSize.ToString(CultureInfo.InvariantCulture)),
            new("TermsZh", terms), new("TermsEn", "- Interview recordings stay on the university's encrypted server."),
        };
        fields.AddRange(communities.Select(id => new KeyValuePair<string, string>("Communities", id.ToString(CultureInfo.InvariantCulture))));
        return fields;
    }

    /// <summary>Creates a draft through the form; returns the new study's id, or 0 when the form was refused.</summary>
    public static async Task<(int StudyId, HttpResponseMessage Response)> CreateStudyAsync(this HttpClient client, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var response = await client.SubmitAsync("/studies/new", "/studies/new", fields);
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        return (path.StartsWith("/studies/", StringComparison.Ordinal) && int.TryParse(path["/studies/".Length..], out var id) ? id : 0, response);
    }

    public static Task<HttpResponseMessage> PublishStudyAsync(this HttpClient client, int studyId) =>
        client.SubmitAsync($"/studies/{studyId}", $"/studies/{studyId}/publish", []);

    /// <summary>Creates and publishes a study led by the signed-in researcher.</summary>
    public static async Task<int> PublishedStudyAsync(this HttpClient lead, string title, IEnumerable<int> communities, DateOnly start, DateOnly end,
        int maxTeamSize = 3)
    {
        var (id, response) = await lead.CreateStudyAsync(StudyForm(title, communities, start, end, maxTeamSize));
        if (id == 0)
        {
            throw new InvalidOperationException($"The study was not created ({response.RequestMessage!.RequestUri}): "
                + string.Join("; ", (await response.ParseAsync()).FieldErrors()));
        }
        (await lead.PublishStudyAsync(id)).EnsureSuccessStatusCode();
        return id;
    }

    public static Task<HttpResponseMessage> ConsentAsync(this HttpClient manager, int studyId, int communityId, bool approve, string? reason = null) =>
        manager.SubmitAsync("/studies", $"/studies/{studyId}/consent/{communityId}",
            [new("Approve", approve ? "true" : "false"), new("Reason", reason ?? "")]);

    /// <summary>
    /// Signs the study's agreement on the join page, as the browser would, and asks to join. With a text hash given the join
    /// page is not read (it turns away someone the gate refuses): the form is posted as if it had been left open.
    /// </summary>
    public static async Task<HttpResponseMessage> JoinStudyAsync(this HttpClient client, int studyId, string typedName, string? textHash = null,
        string language = "zh-CN")
    {
        var page = await client.GetDocumentAsync(textHash is null ? $"/studies/{studyId}/join" : $"/studies/{studyId}");
        var fields = textHash is null
            ? page.QuerySelectorAll("form[action$='/join'] input[type=hidden]")
                .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList()
            : [new("Language", language), new("TextHash", textHash), new("__RequestVerificationToken", page.AntiforgeryToken())];
        fields.AddRange([new("TypedName", typedName), new("Consent", "true")]);
        return await client.PostAsync($"/studies/{studyId}/join", new FormUrlEncodedContent(fields));
    }

    public static Task<HttpResponseMessage> DecideEnrolmentAsync(this HttpClient lead, int studyId, int enrolmentId, bool approve, string? reason = null) =>
        lead.SubmitAsync($"/studies/{studyId}/roster", $"/studies/{studyId}/enrolments/{enrolmentId}/decision",
            [new("Approve", approve ? "true" : "false"), new("Reason", reason ?? "")]);
}
