using Practitioners.Web.Features.Certificates;

namespace Practitioners.UnitTests.Features.Certificates;

public sealed class CertificateCodesTests
{
    [Fact]
    public void VerificationCodes_Have100Bits_InCrockfordBase32_AndDoNotRepeat()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => CertificateCodes.NewVerificationCode()).ToList();

        Assert.All(codes, c => Assert.Equal(20, c.Length));
        Assert.All(codes, c => Assert.All(c, ch => Assert.Contains(ch, CertificateCodes.Alphabet)));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        // Every symbol is used about equally often: no bias from the mapping of random bytes.
        var counts = codes.SelectMany(c => c).GroupBy(ch => ch).Select(g => g.Count()).ToList();
        Assert.Equal(32, counts.Count);
        Assert.True(counts.Min() > counts.Average() * 0.9 && counts.Max() < counts.Average() * 1.1, string.Join(",", counts));
    }

    [Theory]
    [InlineData("abcd-efgh-jkmn-pqrs-tvwx", "ABCDEFGHJKMNPQRSTVWX")]
    [InlineData("0o1I lL23 4567 89AB CDEF", "00111123456789ABCDEF")]
    public void Normalise_ReadsCodesAsPeopleTypeThem(string typed, string expected) =>
        Assert.Equal(expected, CertificateCodes.Normalise(typed));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("TOO-SHORT")]
    [InlineData("ABCDEFGHJKMNPQRSTVWU")]
    [InlineData("ABCDEFGHJKMNPQRSTVWX1")]
    [InlineData("<script>alert(1)</script>")]
    public void Normalise_RefusesAnythingElse(string? typed) => Assert.Null(CertificateCodes.Normalise(typed));

    [Fact]
    public void Numbers_HaveTheAgreedShape()
    {
        Assert.Equal("CFC-P-2026-000042", CertificateCodes.Number('P', 2026, 42));
        Assert.True(CertificateCodes.IsNumber("CFC-R-2027-123456"));
        Assert.False(CertificateCodes.IsNumber("CFC-X-2027-123456"));
        Assert.False(CertificateCodes.IsNumber("CFC-V-2027-12345"));
        Assert.False(CertificateCodes.IsNumber("CFC-V-2027-1234567"));
    }
}
