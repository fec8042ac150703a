using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Practitioners.Web.Features.Admissions;
using Practitioners.Web.Features.Certificates.OpenBadges;
using Practitioners.Web.Infrastructure.Localization;
using Practitioners.Web.Infrastructure.Web;

namespace Practitioners.UnitTests.Features.Certificates;

public sealed class OpenBadgeDocumentsTests
{
    private readonly OpenBadgeDocuments _documents = new(
        new SiteLinks(Options.Create(new SiteOptions { PublicBaseUrl = "https://cfc.example.cn/" }), new HttpContextAccessor()),
        new StringTable());

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        JsonValue v when v.TryGetValue(out string? s) => [s],
        _ => [],
    };

    [Theory]
    [InlineData(RoleTrack.Volunteer, "V")]
    [InlineData(RoleTrack.ServiceProvider, "P")]
    [InlineData(RoleTrack.Researcher, "R")]
    public void EveryAchievement_HasItsTextInBothLanguages_AndNoRawKey(RoleTrack track, string letter)
    {
        var achievement = _documents.Achievement(track, standalone: true);

        Assert.Equal($"https://cfc.example.cn/ob/achievements/{letter}", (string?)achievement["id"]);
        Assert.DoesNotContain(Texts(achievement), t => t.StartsWith("OpenBadges.", StringComparison.Ordinal) || t.StartsWith("Credential.", StringComparison.Ordinal));
        var description = (string)achievement["description"]!;
        Assert.Contains("\n\n", description);
        Assert.Matches("[\u4e00-\u9fff]", description.Split("\n\n")[0]);
        Assert.Matches("^[ -~]+$", description.Split("\n\n")[1]);
    }

    [Fact]
    public void Credential_CarriesTheJwtClaims_MatchingItsOwnMembers()
    {
        var credential = _documents.Credential(new BadgeFacts("CFC-P-2026-000007", "K2G554Z1G0EG4SEA83WD", RoleTrack.ServiceProvider, "王芳",
            "Wang.Fang@Example.cn", "和平里社区", "Heping", "新华街道", "Xinhua", new DateTime(2026, 3, 2), new DateTime(2028, 3, 2)));

        Assert.Equal((string?)credential["id"], (string?)credential["jti"]);
        Assert.Equal((string?)credential["issuer"]!["id"], (string?)credential["iss"]);
        Assert.Equal(VcJwt.NumericDate(new DateTime(2026, 3, 2)), (long)credential["nbf"]!);
        Assert.Equal(VcJwt.NumericDate(new DateTime(2028, 3, 2)), (long)credential["exp"]!);
        Assert.Equal("https://cfc.example.cn/ob/status/K2G554Z1G0EG4SEA83WD", (string?)credential["credentialStatus"]!["id"]);
        Assert.Equal(OpenBadgeDocuments.StatusType, (string?)credential["credentialStatus"]!["type"]);
        Assert.DoesNotContain(Texts(credential), t => t.Contains("Wang.Fang", StringComparison.OrdinalIgnoreCase));
    }
}
