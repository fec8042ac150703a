using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Manage;

/// <summary>
/// Every manager endpoint, found from the site's own endpoint list, is called by the manager of community A
/// with objects of community B, and must answer 403 or 404 and change nothing. An endpoint added without an
/// entry here fails the test until someone decides how it is scoped.
/// </summary>
public sealed class ManagerScopingTests : IClassFixture<SiteFactory>
{
    private readonly SiteFactory _site;

    public ManagerScopingTests(SiteFactory site) => _site = site;

    /// <summary>Endpoints that act on no object of a community: the scoping is in what they show, tested elsewhere.</summary>
    private static readonly HashSet<string> NoObject = ["GET manage/scope", "GET manage/verify", "GET manage/verify/bulk", "POST manage/verify/bulk"];

    [Fact]
    public async Task ManagerOfA_GetsNothing_OfCommunityB()
    {
        var a = await _site.CreateCommunityAsync("scope-a");
        var b = await _site.CreateCommunityAsync("scope-b", requiresApproval: true);
        await _site.CreateUserAsync("mgr-a@example.cn", "甲管理员", roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "mgr-a@example.cn").Id, CommunityId = a.Id });
            return await db.SaveChangesAsync();
        });

        // In B: a provider waiting for a countersignature, a volunteer waiting for approval, a certified volunteer.
        var (_, providerAdmission, _) = await _site.TrainedAsync("b-provider@example.cn", RoleTrack.ServiceProvider, "乙提供", communityCode: "scope-b");
        var provider = _site.CreateBrowserClient();
        await provider.SignInAsync("b-provider@example.cn");
        await provider.SignAsync(providerAdmission, "乙提供");
        var signatureId = await _site.WithDbAsync(db => db.Signatures.Where(s => s.AdmissionId == providerAdmission).Select(s => s.Id).SingleAsync());
        var (applicant, applicantAdmission, _) = await _site.TrainedAsync("b-applicant@example.cn", RoleTrack.Volunteer, "乙申请", communityCode: "scope-b");
        var client = _site.CreateBrowserClient();
        await client.SignInAsync("b-applicant@example.cn");
        await client.SignAsync(applicantAdmission, "乙申请");
        Assert.Equal(AdmissionState.AwaitingApproval, await StateAsync(applicantAdmission));
        // A researcher in B, approved by B's own manager, holds a certificate.
        await _site.CreateUserAsync("mgr-b@example.cn", "乙管理员", roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = db.Users.Single(u => u.Email == "mgr-b@example.cn").Id, CommunityId = b.Id });
            return await db.SaveChangesAsync();
        });
        var (_, certifiedAdmission, _) = await _site.TrainedAsync("b-certified@example.cn", RoleTrack.Researcher, "乙持证", communityCode: "scope-b");
        var researcher = _site.CreateBrowserClient();
        await researcher.SignInAsync("b-certified@example.cn");
        await researcher.SignAsync(certifiedAdmission, "乙持证");
        var managerB = _site.CreateBrowserClient();
        await managerB.SignInAsync("mgr-b@example.cn");
        await managerB.SubmitAsync("/manage", $"/manage/admissions/{certifiedAdmission}/decision", [new("Approve", "true")]);
        var certified = await _site.WithDbAsync(db => db.Certificates.SingleAsync(x => x.AdmissionId == certifiedAdmission));

        var urls = new Dictionary<string, string>
        {
            ["GET manage"] = $"/manage?community={b.Id}",
            ["GET manage/countersign/{signatureId:long}"] = $"/manage/countersign/{signatureId}",
            ["POST manage/countersign/{signatureId:long}"] = $"/manage/countersign/{signatureId}",
            ["POST manage/admissions/{id:int}/decision"] = $"/manage/admissions/{applicantAdmission}/decision",
            ["POST manage/admissions/{id:int}/withdraw"] = $"/manage/admissions/{applicantAdmission}/withdraw",
            ["GET manage/roster"] = $"/manage/roster?community={b.Id}",
            ["GET manage/roster/export"] = $"/manage/roster/export?community={b.Id}",
            ["GET manage/people/{userId}"] = $"/manage/people/{applicant.Id}",
            ["GET manage/certificates/{number}"] = $"/manage/certificates/{certified.Number}",
            ["POST manage/certificates/{number}/status"] = $"/manage/certificates/{certified.Number}/status",
            ["GET certificates/{number}/pdf"] = $"/certificates/{certified.Number}/pdf",
            ["GET certificates/{number}/openbadge"] = $"/certificates/{certified.Number}/openbadge",
            ["GET agreements/signatures/{id:long}/pdf"] = $"/agreements/signatures/{signatureId}/pdf",
            ["GET manage/invite"] = $"/manage/invite?community={b.Id}",
            ["POST manage/invite"] = $"/manage/invite?community={b.Id}",
        };

        var endpoints = _site.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // Hours and activities have their own walk over their endpoints with their own objects: Hours/HoursScopingTests.
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("manage/hours", StringComparison.Ordinal) && (raw.StartsWith("manage", StringComparison.Ordinal)
                || raw.StartsWith("certificates/", StringComparison.Ordinal) || raw.StartsWith("agreements/signatures", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct().ToList();
        Assert.True(endpoints.Count >= 15, string.Join("\n", endpoints));
        var undecided = endpoints.Where(e => !urls.ContainsKey(e) && !NoObject.Contains(e)).ToList();
        Assert.True(undecided.Count == 0, "Manager endpoints without a scoping decision:\n" + string.Join("\n", undecided));

        var managerA = _site.CreateBrowserClient(followRedirects: false);
        await managerA.SignInAsync("mgr-a@example.cn");
        var token = (await managerA.GetDocumentAsync("/manage/verify/bulk")).AntiforgeryToken();
        foreach (var (endpoint, url) in urls)
        {
            var response = endpoint.StartsWith("POST", StringComparison.Ordinal)
                ? await managerA.PostAsync(url, new FormUrlEncodedContent(
                    [new("__RequestVerificationToken", token), new("Approve", "true"), new("TypedName", "甲管理员"), new("Action", "Revoke"), new("Reason", "x"), new("reason", "x")]))
                : await managerA.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{endpoint} → {(int)response.StatusCode}");
        }

        Assert.Equal(AdmissionState.AwaitingApproval, await StateAsync(applicantAdmission));
        Assert.False(await _site.WithDbAsync(db => db.Signatures.AnyAsync(s => s.ForSignatureId == signatureId)));
        Assert.Null(await _site.WithDbAsync(db => db.Certificates.Where(c => c.Id == certified.Id).Select(c => c.RevokedAt).SingleAsync()));
    }

    private Task<AdmissionState> StateAsync(int id) => _site.WithDbAsync(db => db.Admissions.Where(a => a.Id == id).Select(a => a.State).SingleAsync());
}
