using System.Net;
using Microsoft.EntityFrameworkCore;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Certificates;

/// <summary>
/// Certificates issued at the same moment take consecutive numbers (the next number is max + 1 of the prefix, read under the
/// prefix's write lock on PostgreSQL, Data/Sql/WriteLocks); no request fails on the unique number.
/// </summary>
public sealed class NumberRaceTests : IClassFixture<RaceSite>
{
    private const int Posts = 16;
    private readonly RaceSite _site;

    public NumberRaceTests(RaceSite site) => _site = site;

    private async Task<(HttpClient Client, int AdmissionId, List<KeyValuePair<string, string>> Form)> ReadyToSignAsync(string email, string name,
        string community, bool requiresApproval)
    {
        var (_, admissionId, _) = await _site.TrainedAsync(email, RoleTrack.Researcher, name, requiresApproval, communityCode: community);
        var client = _site.CreateBrowserClient();
        await client.SignInAsync(email);
        var page = await client.GetDocumentAsync($"/agreements/sign/{admissionId}");
        var form = page.QuerySelectorAll("form[action^='/agreements/sign'] input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""))
            .Concat([new("TypedName", name), new("Consent", "true")]).ToList();
        return (client, admissionId, form);
    }

    private Task<List<string>> NumbersAsync(IEnumerable<int> admissions) =>
        _site.WithDbAsync(db => db.Certificates.Where(c => admissions.Contains(c.AdmissionId)).Select(c => c.Number).ToListAsync());

    /// <summary>The numbers are CFC-R-2026-nnnnnn with no gap and no repeat.</summary>
    private static void AssertConsecutive(List<string> numbers, int count)
    {
        Assert.Equal(count, numbers.Count);
        Assert.All(numbers, n => Assert.Matches(@"^CFC-R-2026-\d{6}$", n));
        var sequence = numbers.Select(n => int.Parse(n[^6..])).Order().ToList();
        Assert.Equal(Enumerable.Range(sequence[0], count), sequence);
    }

    [Fact]
    public async Task SixteenHolders_SigningTheirLastRequirement_AtOnce_GetSixteenConsecutiveNumbers()
    {
        var people = new List<(HttpClient Client, int AdmissionId, List<KeyValuePair<string, string>> Form)>();
        for (var i = 0; i < Posts; i++)
        {
            people.Add(await ReadyToSignAsync($"race-sign-{i}@example.cn", $"签署人{i}", "race-sign", requiresApproval: false));
        }

        var statuses = await _site.AllAtOnceAsync(Posts, async i =>
            (await people[i].Client.PostAsync($"/agreements/sign/{people[i].AdmissionId}", new FormUrlEncodedContent(people[i].Form))).StatusCode);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        AssertConsecutive(await NumbersAsync(people.Select(p => p.AdmissionId)), Posts);
    }

    [Fact]
    public async Task AManagerApprovingSixteenApplicants_AtOnce_IssuesSixteenConsecutiveNumbers()
    {
        var admissions = new List<int>();
        for (var i = 0; i < Posts; i++)
        {
            var (client, admissionId, form) = await ReadyToSignAsync($"race-approve-{i}@example.cn", $"申请人{i}", "race-approve", requiresApproval: true);
            (await client.PostAsync($"/agreements/sign/{admissionId}", new FormUrlEncodedContent(form))).EnsureSuccessStatusCode();
            admissions.Add(admissionId);
        }
        Assert.Equal(Posts, await _site.WithDbAsync(db => db.Admissions.CountAsync(a => admissions.Contains(a.Id) && a.State == AdmissionState.AwaitingApproval)));
        var communityId = await _site.WithDbAsync(db => db.Communities.Where(c => c.Code == "race-approve").Select(c => c.Id).SingleAsync());
        var first = await _site.ManagerOfAsync("mgr-race-approve@example.cn", communityId);
        // The manager in sixteen tabs (sessions), so each decision's message comes back to its own page.
        var tabs = new List<(HttpClient Client, string Token)> { (first, (await first.GetDocumentAsync("/manage")).AntiforgeryToken()) };
        while (tabs.Count < Posts)
        {
            var tab = _site.CreateBrowserClient();
            await tab.SignInAsync("mgr-race-approve@example.cn");
            tabs.Add((tab, (await tab.GetDocumentAsync("/manage")).AntiforgeryToken()));
        }

        var responses = await _site.AllAtOnceAsync(Posts, async i =>
        {
            var response = await tabs[i].Client.PostAsync($"/manage/admissions/{admissions[i]}/decision",
                new FormUrlEncodedContent([new("Approve", "true"), new("Reason", ""), new("__RequestVerificationToken", tabs[i].Token)]));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => Assert.Contains("已通过。", r.Body));
        AssertConsecutive(await NumbersAsync(admissions), Posts);
        Assert.Equal(Posts, await _site.WithDbAsync(db => db.Admissions.CountAsync(a => admissions.Contains(a.Id) && a.State == AdmissionState.Active)));
    }
}
