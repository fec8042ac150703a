using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Practitioners.Web.Features.Certificates.OpenBadges;

namespace Practitioners.UnitTests.Features.Certificates;

public sealed class VcJwtTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "practitioners-unit", Guid.NewGuid().ToString("N"));
    private readonly IssuerKey _key;

    public VcJwtTests() => _key = IssuerKey.LoadOrCreate(Path.Combine(_folder, "issuer.pem"), mayCreate: true);

    [Fact]
    public void Sign_WritesAnEs256CompactJws_WhosePayloadIsTheCredential()
    {
        var jwt = VcJwt.Sign(new JsonObject { ["type"] = new JsonArray("VerifiableCredential", "OpenBadgeCredential"), ["name"] = "志愿者证书" }, _key);

        var parsed = VcJwt.Parse(jwt)!;

        Assert.Equal(("ES256", _key.KeyId, "JWT"), (parsed.HeaderString("alg"), parsed.HeaderString("kid"), parsed.HeaderString("typ")));
        Assert.Equal("志愿者证书", parsed.PayloadString("name"));
        Assert.Equal(64, parsed.Signature.Length);
        Assert.True(_key.Verify(parsed.SigningInput, parsed.Signature));
    }

    [Fact]
    public void ChangedPayload_NoLongerVerifies()
    {
        var parts = VcJwt.Sign(new JsonObject { ["name"] = "甲" }, _key).Split('.');
        var other = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"name":"乙"}"""));

        var parsed = VcJwt.Parse($"{parts[0]}.{other}.{parts[2]}")!;

        Assert.False(_key.Verify(parsed.SigningInput, parsed.Signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("one.two")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("e30.e30.")]
    [InlineData("e30.W10.AA")]
    [InlineData("e30.e30.AA")]
    [InlineData("!!!.e30.AA")]
    [InlineData("eyJhIjoxLCJhIjoyfQ.eyJiIjoxfQ.AA")]
    public void Parse_RefusesWhatIsNotThreeBase64UrlPartsOfJsonObjects(string? token) => Assert.Null(VcJwt.Parse(token));

    [Fact]
    public void Parse_RefusesOversizedInput() =>
        Assert.Null(VcJwt.Parse("e30." + new string('A', VcJwt.MaxLength) + ".AA"));

    [Fact]
    public void Dates_AreUtcSecondsAndXsdStamps()
    {
        var at = new DateTime(2026, 3, 2, 1, 0, 0, DateTimeKind.Unspecified);

        Assert.Equal(1772413200, VcJwt.NumericDate(at));
        Assert.Equal("2026-03-02T01:00:00Z", VcJwt.DateTimeStamp(at));
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
