using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Practitioners.Web.Infrastructure.Auth;

/// <summary>The certificates that sign and encrypt the identity provider's tokens.</summary>
public sealed record ServerCertificates(X509Certificate2 Signing, X509Certificate2 Encryption);

/// <summary>
/// Loads the token certificates. Never OpenIddict's ephemeral keys: they cost seconds of RSA generation at every start
/// and every token dies with the process. Production reads PFX files named in configuration and refuses to start
/// without them; Development and Testing make a self-signed pair once in a folder and reuse it.
/// </summary>
public static class ServerCertificateLoader
{
    // One load per file per process: every test site shares the parsed certificates.
    private static readonly ConcurrentDictionary<string, Lazy<X509Certificate2>> Cache = new();

    public static ServerCertificates Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("Partners:Keys");
        if (environment.IsDevelopment() || environment.IsEnvironment("Testing"))
        {
            var folder = section["DevelopmentFolder"] is { Length: > 0 } configured
                ? Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured))
                // Outside the source tree and shared by every test run on the machine.
                : Path.Combine(Path.GetTempPath(), "practitioners-dev-keys");
            return new ServerCertificates(
                Development(Path.Combine(folder, "signing.pfx"), "CN=Practitioners Development Signing", X509KeyUsageFlags.DigitalSignature),
                Development(Path.Combine(folder, "encryption.pfx"), "CN=Practitioners Development Encryption", X509KeyUsageFlags.KeyEncipherment));
        }
        return new ServerCertificates(Configured(section, "Signing"), Configured(section, "Encryption"));
    }

    private static X509Certificate2 Configured(IConfigurationSection keys, string purpose)
    {
        var path = keys[$"{purpose}Certificate:Path"];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                $"Partners:Keys:{purpose}Certificate:Path is not set. Outside Development the identity provider needs a {purpose.ToLowerInvariant()} " +
                $"certificate (a PFX file with its private key) and Partners:Keys:{purpose}Certificate:Password; see README, 'Partner systems'.");
        }
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Partners:Keys:{purpose}Certificate:Path names {path}, which does not exist.");
        }
        var certificate = Cache.GetOrAdd(Path.GetFullPath(path), full => new Lazy<X509Certificate2>(() =>
            X509CertificateLoader.LoadPkcs12FromFile(full, keys[$"{purpose}Certificate:Password"], X509KeyStorageFlags.EphemeralKeySet))).Value;
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"The {purpose.ToLowerInvariant()} certificate at {path} has no private key.");
        }
        return certificate;
    }

    private static X509Certificate2 Development(string path, string subject, X509KeyUsageFlags usage) =>
        Cache.GetOrAdd(path, p => new Lazy<X509Certificate2>(() => LoadOrCreate(p, subject, usage))).Value;

    private static X509Certificate2 LoadOrCreate(string path, string subject, X509KeyUsageFlags usage)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            // A wide window, so that tests running on a fake clock (months before or after today) still find it valid.
            var now = DateTimeOffset.UtcNow;
            using var created = request.CreateSelfSigned(now.AddYears(-5), now.AddYears(20));
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, created.Export(X509ContentType.Pfx));
            try
            {
                // Two sites starting at once on a fresh machine: the first file wins and both load it.
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }
}
