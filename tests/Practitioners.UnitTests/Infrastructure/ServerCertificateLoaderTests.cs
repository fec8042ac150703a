using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Practitioners.Web.Infrastructure.Auth;

namespace Practitioners.UnitTests.Infrastructure;

public sealed class ServerCertificateLoaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "practitioners-key-tests", Guid.NewGuid().ToString("N"));

    private sealed class Environment(string name, string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Practitioners.Web";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Production_WithoutConfiguredCertificates_RefusesToStart_SayingWhatIsMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ServerCertificateLoader.Load(Settings(), new Environment("Production", _folder)));

        Assert.Contains("Partners:Keys:SigningCertificate:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_WithACertificatePathThatDoesNotExist_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServerCertificateLoader.Load(
            Settings(("Partners:Keys:SigningCertificate:Path", Path.Combine(_folder, "missing.pfx"))), new Environment("Production", _folder)));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_MakesTheCertificatesOnce_AndLoadsTheSameOnesAgain()
    {
        var settings = Settings(("Partners:Keys:DevelopmentFolder", "keys"));

        var first = ServerCertificateLoader.Load(settings, new Environment("Development", _folder));
        var second = ServerCertificateLoader.Load(settings, new Environment("Development", _folder));

        Assert.True(File.Exists(Path.Combine(_folder, "keys", "signing.pfx")));
        Assert.True(first.Signing.HasPrivateKey);
        Assert.NotEqual(first.Signing.Thumbprint, first.Encryption.Thumbprint);
        Assert.Equal(first.Signing.Thumbprint, second.Signing.Thumbprint);
        // Valid across a fake clock months either side of today.
        Assert.True(first.Signing.NotBefore < DateTime.Now.AddYears(-1) && first.Signing.NotAfter > DateTime.Now.AddYears(5));
    }

    [Fact]
    public void Production_LoadsTheConfiguredPfxFiles()
    {
        var made = ServerCertificateLoader.Load(Settings(("Partners:Keys:DevelopmentFolder", "made")), new Environment("Development", _folder));
        var signing = Path.Combine(_folder, "prod-signing.pfx");
        var encryption = Path.Combine(_folder, "prod-encryption.pfx");
        File.WriteAllBytes(signing, made.Signing.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "s3cret"));
        File.WriteAllBytes(encryption, made.Encryption.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "s3cret"));

        var loaded = ServerCertificateLoader.Load(Settings(
            ("Partners:Keys:SigningCertificate:Path", signing), ("Partners:Keys:SigningCertificate:Password", "s3cret"),
            ("Partners:Keys:EncryptionCertificate:Path", encryption), ("Partners:Keys:EncryptionCertificate:Password", "s3cret")),
            new Environment("Production", _folder));

        Assert.Equal(made.Signing.Thumbprint, loaded.Signing.Thumbprint);
        Assert.True(loaded.Encryption.HasPrivateKey);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
