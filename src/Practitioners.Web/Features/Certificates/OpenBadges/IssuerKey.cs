using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Practitioners.Web.Features.Certificates.OpenBadges;

public sealed class OpenBadgesSettings
{
    /// <summary>The issuer's private key as a PEM file, relative to the content root unless absolute.</summary>
    public string KeyFile { get; set; } = "data/openbadges-issuer.pem";
}

/// <summary>
/// The ES256 (ECDSA P-256) key that signs every Open Badge. It lives in a PEM file outside the database, readable
/// by the site's account only; its key id is the RFC 7638 thumbprint of the public JWK, so it changes with the key.
/// </summary>
public sealed class IssuerKey : IDisposable
{
    public const string Algorithm = "ES256";

    private readonly ECDsa _key;

    private IssuerKey(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new InvalidOperationException("The Open Badges issuer key must be an ECDSA P-256 key.");
        }
        _key = key;
        X = Base64Url.EncodeToString(p.Q.X);
        Y = Base64Url.EncodeToString(p.Q.Y);
        // RFC 7638: the required members only, in lexicographic order, no whitespace.
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""";
        KeyId = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public string KeyId { get; }

    public string X { get; }

    public string Y { get; }

    /// <summary>The public key as a JWK, as published in the issuer's JWKS.</summary>
    public JsonObject PublicJwk() => new()
    {
        ["kty"] = "EC",
        ["crv"] = "P-256",
        ["x"] = X,
        ["y"] = Y,
        ["kid"] = KeyId,
        ["alg"] = Algorithm,
        ["use"] = "sig",
    };

    /// <summary>An ES256 signature: the raw 64-byte r‖s form JWS uses (RFC 7518 §3.4), not DER.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == 64 && _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>
    /// Reads the key from <paramref name="path"/>. When the file is missing and <paramref name="mayCreate"/> is set
    /// (Development, Testing) a new key is written there with mode 0600; otherwise start-up stops, because a silently
    /// new key would make every badge already issued unverifiable.
    /// </summary>
    public static IssuerKey LoadOrCreate(string path, bool mayCreate)
    {
        if (!File.Exists(path))
        {
            if (!mayCreate)
            {
                throw new InvalidOperationException(
                    $"The Open Badges issuer key file '{path}' (setting OpenBadges:KeyFile) does not exist. Outside Development and "
                    + "Testing the key is never generated at start-up: restore the existing key, or create one once with "
                    + "'openssl ecparam -name prime256v1 -genkey | openssl pkcs8 -topk8 -nocrypt -out <file>' and chmod 600 it.");
            }
            TryCreate(path);
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new InvalidOperationException($"The Open Badges issuer key file '{path}' holds no readable EC private key.", e);
        }
        return new IssuerKey(key);
    }

    private static void TryCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // The private key is never readable by other accounts, not even for the moment before a chmod.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var file = new StreamWriter(path, Encoding.ASCII, options);
            file.Write(key.ExportPkcs8PrivateKeyPem());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
        }
    }

    public void Dispose() => _key.Dispose();
}
