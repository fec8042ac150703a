using System.Globalization;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.TestSupport;

/// <summary>Credential holders, managers and activities arranged through the site's own pages, for the hours tests.</summary>
public static class HoursJourneys
{
    /// <summary>
    /// Someone who took the path and signed the agreement in a community that needs no approval: they hold a valid credential,
    /// signed in. A service provider's agreement is countersigned by <paramref name="manager"/> (typing <paramref name="managerName"/>).
    /// </summary>
    public static async Task<(HttpClient Client, ApplicationUser User)> CertifiedAsync(this SiteFactory site, string email, string name,
        string communityCode, RoleTrack track = RoleTrack.Volunteer, HttpClient? manager = null, string managerName = "社区管理员")
    {
        var (user, admissionId, _) = await site.TrainedAsync(email, track, name, communityCode: communityCode);
        var client = site.CreateBrowserClient();
        await client.SignInAsync(email);
        (await client.SignAsync(admissionId, name)).EnsureSuccessStatusCode();
        if (track == RoleTrack.ServiceProvider)
        {
            var signatureId = await site.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
                db.Signatures.Where(s => s.AdmissionId == admissionId).Select(s => s.Id)));
            (await (manager ?? throw new ArgumentNullException(nameof(manager), "A provider needs a manager to countersign."))
                .SubmitAsync($"/manage/countersign/{signatureId}", $"/manage/countersign/{signatureId}",
                    [new("TypedName", managerName), new("Approve", "true")])).EnsureSuccessStatusCode();
        }
        return (client, user);
    }

    public static List<KeyValuePair<string, string>> ActivityForm(int communityId, string title, DateOnly date, string start, string end,
        RoleTrack track = RoleTrack.Volunteer, int capacity = 10, int? childrenUnder = null) =>
    [
        new("CommunityId", communityId.ToString(CultureInfo.InvariantCulture)), new("Title", title), new("Place", "社区活动室"),
        new("Date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new("StartTime", start), new("EndTime", end),
        new("RequiredTrack", track.ToString()), new("Capacity", capacity.ToString(CultureInfo.InvariantCulture)),
        new("ChildrenAttend", childrenUnder is null ? "false" : "true"), new("ChildrenUnderAge", childrenUnder?.ToString(CultureInfo.InvariantCulture) ?? ""),
    ];

    /// <summary>Creates an activity through the organiser's form; returns its id, or 0 when the form was refused.</summary>
    public static async Task<(int Id, HttpResponseMessage Response)> CreateActivityAsync(this HttpClient organiser, IEnumerable<KeyValuePair<string, string>> form)
    {
        var response = await organiser.SubmitAsync("/organise/new", "/organise/new", form);
        var path = response.RequestMessage!.RequestUri!.AbsolutePath;
        return (path.StartsWith("/organise/", StringComparison.Ordinal) && int.TryParse(path["/organise/".Length..], out var id) ? id : 0, response);
    }

    public static Task<HttpResponseMessage> SignUpForAsync(this HttpClient volunteer, int activityId) =>
        volunteer.SubmitAsync("/activities", $"/activities/{activityId}/sign-up", []);

    /// <summary>The organiser checks a person in or out at a local time (HH:mm), or now when <paramref name="time"/> is null.</summary>
    public static Task<HttpResponseMessage> AttendAsync(this HttpClient organiser, int activityId, int signUpId, bool checkOut, string? time = null) =>
        organiser.SubmitAsync($"/organise/{activityId}", $"/organise/{activityId}/{(checkOut ? "check-out" : "check-in")}/{signUpId}",
            [new("Time", time ?? "")]);
}
