using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Practitioners.Web.Features.Certificates.OpenBadges;

namespace Practitioners.UnitTests.Features.Certificates;

public sealed class IssuerKeyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "practitioners-unit", Guid.NewGuid().ToString("N"));

    private string KeyFile => Path.Combine(_folder, "keys", "issuer.pem");

    [Fact]
    public void MissingFile_WhereCreationIsAllowed_IsCreatedOnce_ReadableByTheOwnerOnly()
    {
        using var first = IssuerKey.LoadOrCreate(KeyFile, mayCreate: true);
        using var again = IssuerKey.LoadOrCreate(KeyFile, mayCreate: false);

        Assert.Equal(first.KeyId, again.KeyId);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(KeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        }
    }

    [Fact]
    public void MissingFile_WhereCreationIsNotAllowed_StopsWithTheSettingNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => IssuerKey.LoadOrCreate(KeyFile, mayCreate: false));

        Assert.Contains("OpenBadges:KeyFile", error.Message);
        Assert.Contains(KeyFile, error.Message);
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void KeyId_IsTheRfc7638Thumbprint_OfThePublicJwk()
    {
        using var key = IssuerKey.LoadOrCreate(KeyFile, mayCreate: true);
        var jwk = key.PublicJwk();

        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{jwk["x"]}}","y":"{{jwk["y"]}}"}""";
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), key.KeyId);
        Assert.Equal(key.KeyId, (string?)jwk["kid"]);
        Assert.Null(jwk["d"]);
        Assert.Equal(32, Base64Url.DecodeFromChars((string)jwk["x"]!).Length);
    }

    [Fact]
    public void AnotherCurve_OrNoKey_IsRefused()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        using (var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384))
        {
            File.WriteAllText(KeyFile, p384.ExportPkcs8PrivateKeyPem());
        }
        Assert.Contains("P-256", Assert.Throws<InvalidOperationException>(() => IssuerKey.LoadOrCreate(KeyFile, mayCreate: true)).Message);

        File.WriteAllText(KeyFile, "not a key");
        Assert.Throws<InvalidOperationException>(() => IssuerKey.LoadOrCreate(KeyFile, mayCreate: true));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
