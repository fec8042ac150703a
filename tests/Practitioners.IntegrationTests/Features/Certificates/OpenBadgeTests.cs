using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Practitioners.TestSupport;
using Practitioners.Web.Features.Accounts;
using Practitioners.Web.Features.Admissions;

namespace Practitioners.IntegrationTests.Features.Certificates;

public sealed class OpenBadgeTests : IClassFixture<SiteFactory>
{
    private const string Site = "http://localhost";
    private readonly SiteFactory _site;

    public OpenBadgeTests(SiteFactory site) => _site = site;

    /// <summary>A volunteer in a community without approval signs, becomes Active and holds a certificate; returns their badge.</summary>
    private async Task<(HttpClient Holder, string UserId, string Number, string Code, string Jwt)> CertifiedAsync(string email, string name)
    {
        var (user, admissionId, _) = await _site.TrainedAsync(email, RoleTrack.Volunteer, name);
        var holder = _site.CreateBrowserClient();
        await holder.SignInAsync(email);
        await holder.SignAsync(admissionId, name);
        var (number, code) = await _site.WithDbAsync(db => db.Certificates.Where(c => c.AdmissionId == admissionId)
            .Select(c => new ValueTuple<string, string>(c.Number, c.VerificationCode)).SingleAsync());
        var response = await holder.GetAsync($"/certificates/{number}/openbadge");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (holder, user.Id, number, code, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Pastes the badge into the public verification page, as an anonymous verifier would.</summary>
    private async Task<AngleSharp.Html.Dom.IHtmlDocument> VerifyOnPageAsync(string credential, HttpClient? client = null)
    {
        client ??= _site.CreateBrowserClient();
        var response = await client.SubmitAsync("/verify/credential", "/verify/credential", [new("Credential", credential)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ParseAsync();
    }

    private static string? Verdict(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelector("[data-verdict]")?.GetAttribute("data-verdict");

    private async Task<TokenValidationResult> ValidateIndependentlyAsync(string jwt)
    {
        var jwks = new JsonWebKeySet(await _site.CreateClient().GetStringAsync("/ob/issuer/jwks"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = $"{Site}/ob/issuer",
            ValidateAudience = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            // Lifetime on the site's fake clock, not the machine's.
            LifetimeValidator = (notBefore, expires, _, _) =>
                notBefore <= _site.Clock.GetUtcNow().UtcDateTime && _site.Clock.GetUtcNow().UtcDateTime < expires,
        });
    }

    [Fact]
    public async Task HoldersBadge_IsValidated_ByAnIndependentLibrary_AgainstThePublishedKeys()
    {
        var (holder, _, number, code, jwt) = await CertifiedAsync("ob-holder@example.cn", "林小满");
        var download = await holder.GetAsync($"/certificates/{number}/openbadge");
        Assert.Equal("application/jwt", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{number}.jwt", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);

        var result = await ValidateIndependentlyAsync(jwt);

        Assert.True(result.IsValid, result.Exception?.ToString());
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ES256", token.Alg);
        Assert.Equal("JWT", token.Typ);
        var jwk = new JsonWebKeySet(await _site.CreateClient().GetStringAsync("/ob/issuer/jwks")).Keys.Single();
        Assert.Equal(Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()), token.Kid);
        Assert.Equal(("EC", "P-256", "ES256", "sig"), (jwk.Kty, jwk.Crv, jwk.Alg, jwk.Use));
        Assert.Null(jwk.D);

        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(token.EncodedPayload))!.AsObject();
        Assert.Equal(["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            payload["@context"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["VerifiableCredential", "OpenBadgeCredential"], payload["type"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal($"{Site}/verify/{code}", payload["id"]!.GetValue<string>());
        Assert.Equal(payload["id"]!.GetValue<string>(), token.Id);
        Assert.Equal($"{Site}/ob/issuer", payload["issuer"]!["id"]!.GetValue<string>());
        Assert.Equal("Profile", payload["issuer"]!["type"]![0]!.GetValue<string>());
        var (issued, expires) = await _site.WithDbAsync(db => db.Certificates.Where(c => c.Number == number)
            .Select(c => new ValueTuple<DateTime, DateTime>(c.IssuedAt, c.ExpiresAt)).SingleAsync());
        Assert.Equal(issued.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), payload["validFrom"]!.GetValue<string>());
        Assert.Equal(expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), payload["validUntil"]!.GetValue<string>());
        Assert.Equal(DateTime.SpecifyKind(issued, DateTimeKind.Utc), token.ValidFrom);
        Assert.Equal(DateTime.SpecifyKind(expires, DateTimeKind.Utc), token.ValidTo);

        var subject = payload["credentialSubject"]!;
        Assert.Equal("AchievementSubject", subject["type"]![0]!.GetValue<string>());
        Assert.Equal("林小满", subject["name"]!.GetValue<string>());
        var identity = subject["identifier"]![0]!;
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ob-holder@example.cn" + identity["salt"]!.GetValue<string>())));
        Assert.Equal("sha256$" + expectedHash, identity["identityHash"]!.GetValue<string>());
        var achievement = subject["achievement"]!;
        Assert.Equal($"{Site}/ob/achievements/V", achievement["id"]!.GetValue<string>());
        Assert.Equal("Achievement", achievement["type"]![0]!.GetValue<string>());
        Assert.Equal("志愿者证书", achievement["name"]!.GetValue<string>());
        Assert.Contains("volunteer", achievement["criteria"]!["narrative"]!.GetValue<string>());
        Assert.Equal($"{Site}/ob/status/{code}", payload["credentialStatus"]!["id"]!.GetValue<string>());

        // The status the credential points at is there to follow.
        var status = JsonNode.Parse(await _site.CreateClient().GetStringAsync(payload["credentialStatus"]!["id"]!.GetValue<string>()))!;
        Assert.Equal("Valid", status["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadgeWithOnePayloadCharacterChanged_IsRejected_ByTheLibrary_AndThePageSaysSignatureInvalid()
    {
        var (_, _, _, _, jwt) = await CertifiedAsync("ob-tamper@example.cn", "许一帆");
        var parts = jwt.Split('.');
        var at = parts[1].Length / 2;
        var flipped = parts[1][..at] + (parts[1][at] == 'A' ? 'B' : 'A') + parts[1][(at + 1)..];

        var result = await ValidateIndependentlyAsync($"{parts[0]}.{flipped}.{parts[2]}");

        Assert.False(result.IsValid);

        // A tamperer keeps the JSON well formed: only the holder's name changes, and the signature no longer fits.
        var payload = Base64Url.DecodeFromChars(parts[1]);
        var forged = Encoding.UTF8.GetString(payload).Replace("许一帆", "许二帆", StringComparison.Ordinal);
        var page = await VerifyOnPageAsync($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged))}.{parts[2]}");
        Assert.Equal("SignatureInvalid", Verdict(page));
        Assert.Contains("签名无效", page.QuerySelector("[data-verdict]")!.TextContent);
        Assert.Null(page.QuerySelector(".facts"));
    }

    [Fact]
    public async Task VerifyPage_SaysValid_ForAGoodBadge_InChineseAndInEnglish()
    {
        var (_, _, number, _, jwt) = await CertifiedAsync("ob-valid@example.cn", "陈思远");

        var page = await VerifyOnPageAsync(jwt);

        Assert.Equal("Valid", Verdict(page));
        Assert.Equal("有效", page.QuerySelector("[data-verdict] h2")!.TextContent.Trim());
        Assert.Equal("陈思远", page.QuerySelector(".facts .holder")!.TextContent);
        Assert.Contains(number, page.QuerySelector(".facts")!.TextContent);
        Assert.NotNull(page.QuerySelector("label[for=Credential]"));
        Assert.NotNull(page.QuerySelector("h1"));

        var english = _site.CreateBrowserClient();
        await english.SubmitAsync("/", "/culture", [new("culture", "en"), new("returnUrl", "/verify/credential")]);
        var inEnglish = await VerifyOnPageAsync(jwt, english);
        Assert.Equal("Valid", inEnglish.QuerySelector("[data-verdict] h2")!.TextContent.Trim());
        Assert.Contains("this site issued the credential", inEnglish.QuerySelector("[data-verdict]")!.TextContent);
    }

    [Fact]
    public async Task VerifyPage_FollowsTheLiveStatus_SuspendedThenRevoked_AndARevokedBadgeIsNoLongerHandedOut()
    {
        var (holder, userId, number, code, jwt) = await CertifiedAsync("ob-revoked@example.cn", "高远");

        await _site.WithDbAsync(async db =>
        {
            (await db.Certificates.SingleAsync(c => c.Number == number)).Suspend("调查中", userId, _site.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });
        Assert.Equal("Suspended", Verdict(await VerifyOnPageAsync(jwt)));

        await _site.WithDbAsync(async db =>
        {
            (await db.Certificates.SingleAsync(c => c.Number == number)).Revoke("违反守则", userId, _site.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });
        var page = await VerifyOnPageAsync(jwt);

        Assert.Equal("Revoked", Verdict(page));
        Assert.Contains("已撤销", page.QuerySelector("[data-verdict]")!.TextContent);
        var status = JsonNode.Parse(await _site.CreateClient().GetStringAsync($"/ob/status/{code}"))!;
        Assert.Equal("Revoked", status["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await holder.GetAsync($"/certificates/{number}/openbadge")).StatusCode);
        // The signature itself is still good: only the live status tells a verifier the truth.
        Assert.True((await ValidateIndependentlyAsync(jwt)).IsValid);
    }

    [Fact]
    public async Task VerifyPage_SaysExpired_OnceTheClockPassesExpiry()
    {
        var (_, _, number, code, jwt) = await CertifiedAsync("ob-expired@example.cn", "吴桐");
        var expires = await _site.WithDbAsync(db => db.Certificates.Where(c => c.Number == number).Select(c => c.ExpiresAt).SingleAsync());

        _site.Clock.Advance(DateTime.SpecifyKind(expires, DateTimeKind.Utc) - _site.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromDays(1));
        var page = await VerifyOnPageAsync(jwt);

        Assert.Equal("Expired", Verdict(page));
        Assert.Contains("已过期", page.QuerySelector("[data-verdict]")!.TextContent);
        Assert.Equal("Expired", JsonNode.Parse(await _site.CreateClient().GetStringAsync($"/ob/status/{code}"))!["status"]!.GetValue<string>());
        Assert.False((await ValidateIndependentlyAsync(jwt)).IsValid);
    }

    [Theory]
    [InlineData("not a credential")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")]
    public async Task VerifyPage_CallsGarbage_Malformed(string garbage)
    {
        var page = await VerifyOnPageAsync(garbage);

        Assert.Equal("Malformed", Verdict(page));
        Assert.Contains("无法识别", page.QuerySelector("[data-verdict]")!.TextContent);
    }

    [Fact]
    public async Task VerifyPage_RefusesAlgNone_AnotherKey_AndAnEmptyForm()
    {
        var (_, _, _, _, jwt) = await CertifiedAsync("ob-forger@example.cn", "赵强");
        var parts = jwt.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();

        header["alg"] = "none";
        Assert.Equal("SignatureInvalid", Verdict(await VerifyOnPageAsync($"{Encode(header)}.{parts[1]}.AAAA")));

        // Signed with a key of the forger's own, under our key id and under theirs.
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string SignedBy(JsonObject h)
        {
            var input = $"{Encode(h)}.{parts[1]}";
            return $"{input}.{Base64Url.EncodeToString(forger.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
        }
        header["alg"] = "ES256";
        Assert.Equal("SignatureInvalid", Verdict(await VerifyOnPageAsync(SignedBy(header))));
        header["kid"] = "forger-key";
        Assert.Equal("UnknownKey", Verdict(await VerifyOnPageAsync(SignedBy(header))));

        var empty = await _site.CreateBrowserClient().SubmitAsync("/verify/credential", "/verify/credential", [new("Credential", "")]);
        var emptyPage = await empty.ParseAsync();
        Assert.Null(Verdict(emptyPage));
        Assert.NotEmpty(emptyPage.FieldErrors());
    }

    private static string Encode(JsonNode node) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(node.ToJsonString()));

    [Fact]
    public async Task AnotherPerson_CannotDownload_SomeoneElsesBadge_ButTheCommunitysManagerCan()
    {
        var (_, _, number, _, _) = await CertifiedAsync("ob-owner@example.cn", "钱多");
        await _site.CreateUserAsync("ob-other@example.cn", "孙少");
        var other = _site.CreateBrowserClient();
        await other.SignInAsync("ob-other@example.cn");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/certificates/{number}/openbadge")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/certificates/CFC-V-2026-999999/openbadge")).StatusCode);
        var anonymous = await _site.CreateBrowserClient(followRedirects: false).GetAsync($"/certificates/{number}/openbadge");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/sign-in", anonymous.Headers.Location!.PathAndQuery);

        var communityId = await _site.WithDbAsync(db => db.Certificates.Where(c => c.Number == number).Select(c => c.CommunityId).SingleAsync());
        var managerUser = await _site.CreateUserAsync("ob-manager@example.cn", "管理员丙", roles: Roles.CommunityManager);
        await _site.WithDbAsync(async db =>
        {
            db.ManagerAssignments.Add(new() { UserId = managerUser.Id, CommunityId = communityId });
            return await db.SaveChangesAsync();
        });
        var manager = _site.CreateBrowserClient();
        await manager.SignInAsync("ob-manager@example.cn");
        var download = await manager.GetAsync($"/certificates/{number}/openbadge");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True((await ValidateIndependentlyAsync(await download.Content.ReadAsStringAsync())).IsValid);
    }

    [Fact]
    public async Task PublicDocuments_DescribeTheIssuer_TheKey_AndEachAchievement()
    {
        var client = _site.CreateClient();

        var issuer = JsonNode.Parse(await client.GetStringAsync("/ob/issuer"))!;
        Assert.Equal($"{Site}/ob/issuer", issuer["id"]!.GetValue<string>());
        Assert.Equal("Profile", issuer["type"]![0]!.GetValue<string>());
        Assert.Equal("儿童友好社区从业人员培训与认证", issuer["name"]!.GetValue<string>());

        var jwks = JsonNode.Parse(await client.GetStringAsync("/ob/issuer/jwks"))!["keys"]!.AsArray();
        var key = Assert.Single(jwks)!.AsObject();
        Assert.Equal(["kty", "crv", "x", "y", "kid", "alg", "use"], key.Select(p => p.Key));

        foreach (var (letter, zh, en) in new[] { ("V", "志愿者证书", "volunteer"), ("P", "专业服务人员证书", "service provider"), ("R", "研究人员证书", "research") })
        {
            var response = await client.GetAsync($"/ob/achievements/{letter}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var achievement = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal($"{Site}/ob/achievements/{letter}", achievement["id"]!.GetValue<string>());
            Assert.Equal("Achievement", achievement["type"]![0]!.GetValue<string>());
            Assert.Equal(zh, achievement["name"]!.GetValue<string>());
            Assert.Equal("zh-CN", achievement["inLanguage"]!.GetValue<string>());
            Assert.Contains(en, achievement["description"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(achievement["criteria"]!["narrative"]!.GetValue<string>()));
        }

        foreach (var missing in new[] { "/ob/achievements/X", "/ob/status/0000000000000000000Z", "/ob/status/nonsense" })
        {
            var response = await client.GetAsync(missing);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("not_found", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Pages_LinkToTheBadge_AndToTheCredentialCheck()
    {
        var (holder, _, number, _, _) = await CertifiedAsync("ob-links@example.cn", "郑和");

        var dashboard = await holder.GetDocumentAsync("/me");
        Assert.NotNull(dashboard.QuerySelector($".certificate-box a[href='/certificates/{number}/openbadge']"));
        var verify = await _site.CreateBrowserClient().GetDocumentAsync("/verify");
        Assert.NotNull(verify.QuerySelector("a[href='/verify/credential']"));
        var form = await _site.CreateBrowserClient().GetDocumentAsync("/verify/credential");
        Assert.NotNull(form.QuerySelector("form[action='/verify/credential'] textarea#Credential"));
    }
}

public sealed class IssuerKeyStartupTests
{
    private sealed class ProductionSite(string keyFile) : SiteFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("OpenBadges:KeyFile", keyFile);
            // The identity provider's certificates are present, so the issuer key is what stops start-up.
            var keys = Path.Combine(Path.GetTempPath(), "practitioners-dev-keys");
            builder.UseSetting("Partners:Keys:SigningCertificate:Path", Path.Combine(keys, "signing.pfx"));
            builder.UseSetting("Partners:Keys:EncryptionCertificate:Path", Path.Combine(keys, "encryption.pfx"));
        }
    }

    [Fact]
    public void Production_WithoutItsKeyFile_DoesNotStart_AndSaysWhy()
    {
        var keyFile = Path.Combine(Path.GetTempPath(), "practitioners-tests", Guid.NewGuid().ToString("N"), "missing.pem");
        using (var testing = new SiteFactory())
        {
            _ = testing.Services; // makes the shared test certificates if this machine has none yet
        }
        using var site = new ProductionSite(keyFile);

        var error = Assert.ThrowsAny<Exception>(() => site.Services);

        Assert.Contains("OpenBadges:KeyFile", error.ToString());
        Assert.Contains(keyFile, error.ToString());
        Assert.False(File.Exists(keyFile));
    }
}
