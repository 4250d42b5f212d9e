using System.Buffers.Text;
using System.Security.Cryptography;

namespace HotlineSystem.Committee.Signing;

/// <summary>
/// A party's public key for signing minutes (ECDSA P-256). Each government holds its own key pair,
/// so each side can check the other's signature without trusting the other side or the system.
/// The key id is derived from the key itself, so no register has to be trusted to name it.
/// </summary>
public sealed class PartyKey
{
    private const string PublicKeyLabel = "PUBLIC KEY";
    private static readonly string P256Oid = ECCurve.NamedCurves.nistP256.Oid.Value!;

    private readonly byte[] _subjectPublicKeyInfo;

    private PartyKey(string party, byte[] subjectPublicKeyInfo, DateTimeOffset? validFrom, DateTimeOffset? validUntil)
    {
        if (!IsPartyCode(party))
        {
            throw new ArgumentException($"'{party}' is not a party code (ISO 3166 alpha-2, e.g. KR).", nameof(party));
        }

        if (validFrom > validUntil)
        {
            throw new ArgumentException("A key's validity cannot end before it starts.", nameof(validUntil));
        }

        Party = party;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyId = KeyIdOf(subjectPublicKeyInfo);
        ValidFrom = validFrom;
        ValidUntil = validUntil;
    }

    /// <summary>The party's ISO 3166 alpha-2 code (KR, CN).</summary>
    public string Party { get; }

    /// <summary>Base64url (no padding) of the first 16 bytes of SHA-256 of the DER SubjectPublicKeyInfo.</summary>
    public string KeyId { get; }

    /// <summary>
    /// When the party's key register says the key may be used. Not carried in a PEM file nor checked
    /// by <see cref="MinutesSignatures.Verify"/>: a COSE signature carries no time that could be trusted.
    /// </summary>
    public DateTimeOffset? ValidFrom { get; }

    public DateTimeOffset? ValidUntil { get; }

    /// <summary>The public half of <paramref name="key"/> (a key pair or a public key alone).</summary>
    public static PartyKey Of(string party, ECDsa key, DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null) =>
        new(party, SubjectPublicKeyInfoOf(key), validFrom, validUntil);

    /// <summary>
    /// Reads a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) on P-256. A private key is refused here: a
    /// file meant to be handed out must not be one that holds a secret.
    /// </summary>
    public static PartyKey FromPem(string party, string pem, DateTimeOffset? validFrom = null, DateTimeOffset? validUntil = null)
    {
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not PublicKeyLabel)
        {
            throw new FormatException($"Not a PEM \"{PublicKeyLabel}\".");
        }

        using var key = ECDsa.Create();
        try
        {
            var der = Convert.FromBase64String(pem[fields.Base64Data].ToString());
            key.ImportSubjectPublicKeyInfo(der, out var bytesRead);
            if (bytesRead != der.Length)
            {
                throw new FormatException("Bytes follow the public key.");
            }
        }
        catch (CryptographicException exception)
        {
            throw new FormatException($"Not an EC public key: {exception.Message}", exception);
        }

        if (!IsP256(key))
        {
            throw new FormatException("Not a key on P-256.");
        }

        return Of(party, key, validFrom, validUntil);
    }

    /// <summary>PEM SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----"), as <c>openssl pkey -pubin</c> reads it.</summary>
    public string ExportPem() => new string(PemEncoding.Write(PublicKeyLabel, _subjectPublicKeyInfo)) + "\n";

    /// <summary>A new ECDsa holding this public key; the caller disposes it.</summary>
    public ECDsa OpenPublicKey()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
        return key;
    }

    public bool IsValidAt(DateTimeOffset moment) =>
        (ValidFrom is null || ValidFrom <= moment) && (ValidUntil is null || moment < ValidUntil);

    /// <summary>The key id of <paramref name="key"/>'s public half: the same for the key pair and its exported public key.</summary>
    public static string KeyIdOf(ECDsa key) => KeyIdOf(SubjectPublicKeyInfoOf(key));

    /// <summary>A new key pair for a party, on P-256 (the curve of ES256).</summary>
    public static ECDsa CreateKeyPair() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") for the party's own key store; never part of a bundle.</summary>
    public static string ExportPrivateKeyPem(ECDsa keyPair)
    {
        RequireP256(keyPair);
        return keyPair.ExportPkcs8PrivateKeyPem() + "\n";
    }

    /// <summary>Reads a key pair from PKCS#8 PEM, as <see cref="ExportPrivateKeyPem"/> writes it.</summary>
    public static ECDsa ImportPrivateKeyPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            RequireP256(key);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>An ISO 3166 alpha-2 code: two upper-case letters (the same rule as the building blocks' ChannelCode).</summary>
    public static bool IsPartyCode(string? party) => party is { Length: 2 } && party.All(char.IsAsciiLetterUpper);

    internal static void RequireP256(ECDsa key)
    {
        if (!IsP256(key))
        {
            throw new ArgumentException("Minutes are signed with ECDSA on P-256 (ES256) only.", nameof(key));
        }
    }

    private static bool IsP256(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        return curve.IsNamed && curve.Oid.Value == P256Oid;
    }

    private static byte[] SubjectPublicKeyInfoOf(ECDsa key)
    {
        RequireP256(key);
        return key.ExportSubjectPublicKeyInfo();
    }

    private static string KeyIdOf(byte[] subjectPublicKeyInfo) => Base64Url.EncodeToString(SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 16));
}
