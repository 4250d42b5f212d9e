using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Text;

namespace HotlineSystem.Committee.Signing;

/// <summary>
/// The co-chairs' signatures on minutes: one COSE_Sign record (RFC 9052, a
/// <see cref="CoseMultiSignMessage"/>) that embeds the <see cref="MinutesDigest"/> and holds one
/// ES256 signature per party. Each signature's protected headers name its algorithm, its key id and
/// its party, so a verifier knows which party's key must have made it.
/// </summary>
public static class MinutesSignatures
{
    /// <summary>The protected header that names the signing party (a text label: COSE has no registered one).</summary>
    public static readonly CoseHeaderLabel PartyHeader = new("party");

    /// <summary>ES256: ECDSA on P-256 with SHA-256 (RFC 9053 §2.1).</summary>
    public const int Es256 = -7;

    /// <summary>The first co-chair's signature: a new record embedding <paramref name="content"/>.</summary>
    public static byte[] Sign(MinutesDigest content, string party, ECDsa privateKey, string keyId) =>
        CoseMultiSignMessage.SignEmbedded(content.Encode(), SignerFor(party, privateKey, keyId));

    /// <summary>
    /// The other co-chair's signature, added to the record without touching its content or the first
    /// signature. A party signs once: a second signature of the same party would let one side stand
    /// in for both.
    /// </summary>
    public static byte[] AddSignature(byte[] record, string party, ECDsa privateKey, string keyId)
    {
        var message = DecodeRecord(record);
        _ = MinutesDigest.Decode(message.Content!.Value.Span);
        if (message.Signatures.Any(s => TextHeader(s, PartyHeader) == party))
        {
            throw new InvalidOperationException($"{party} has already signed these minutes.");
        }

        message.AddSignatureForEmbedded(SignerFor(party, privateKey, keyId));
        return message.Encode();
    }

    /// <summary>The minutes content a record embeds, signed or not; <see cref="FormatException"/> if it is not a record of minutes.</summary>
    public static MinutesDigest ContentOf(byte[] record) => MinutesDigest.Decode(DecodeRecord(record).Content!.Value.Span);

    /// <summary>
    /// Checks every signature of the record against the party keys given: the key with the
    /// signature's key id must belong to the party the signature names, and the signature must hold
    /// under it. With <paramref name="expected"/>, also whether the record covers that content —
    /// the texts as they are now; any change after signing makes it differ.
    /// </summary>
    /// <exception cref="FormatException">The record is not a COSE_Sign record embedding minutes content.</exception>
    public static VerificationResult Verify(byte[] record, IEnumerable<PartyKey> keys, MinutesDigest? expected = null)
    {
        var message = DecodeRecord(record);
        var content = MinutesDigest.Decode(message.Content!.Value.Span);
        var known = keys.ToList();
        var checks = message.Signatures.Select(signature => Check(signature, known)).ToList();
        return new VerificationResult(content, checks, expected is null ? null : content.Equals(expected));
    }

    private static SignatureCheck Check(CoseSignature signature, IReadOnlyList<PartyKey> keys)
    {
        var party = TextHeader(signature, PartyHeader);
        var keyId = KeyIdHeader(signature);
        if (party is null || keyId is null || !IsEs256(signature))
        {
            return new SignatureCheck(party, keyId, SignatureFault.NotAMinutesSignature);
        }

        var withKeyId = keys.Where(k => k.KeyId == keyId).ToList();
        if (withKeyId.Count == 0)
        {
            return new SignatureCheck(party, keyId, SignatureFault.UnknownKey);
        }

        if (withKeyId.FirstOrDefault(k => k.Party == party) is not { } key)
        {
            return new SignatureCheck(party, keyId, SignatureFault.KeyOfAnotherParty);
        }

        using var publicKey = key.OpenPublicKey();
        bool holds;
        try
        {
            holds = signature.VerifyEmbedded(publicKey);
        }
        catch (CryptographicException)
        {
            // Headers the library cannot verify under (e.g. an unknown critical header): not a valid signature.
            holds = false;
        }

        return new SignatureCheck(party, keyId, holds ? SignatureFault.None : SignatureFault.BadSignature);
    }

    private static CoseSigner SignerFor(string party, ECDsa privateKey, string keyId)
    {
        if (!PartyKey.IsPartyCode(party))
        {
            throw new ArgumentException($"'{party}' is not a party code (ISO 3166 alpha-2, e.g. KR).", nameof(party));
        }

        // A key id that is not this key's would make a signature that no verifier can place.
        if (PartyKey.KeyIdOf(privateKey) != keyId)
        {
            throw new ArgumentException($"The key id '{keyId}' is not the id of the signing key.", nameof(keyId));
        }

        var headers = new CoseHeaderMap
        {
            { CoseHeaderLabel.Algorithm, Es256 },
            { CoseHeaderLabel.KeyIdentifier, Encoding.UTF8.GetBytes(keyId) },
            { PartyHeader, party },
        };
        return new CoseSigner(privateKey, HashAlgorithmName.SHA256, headers);
    }

    private static CoseMultiSignMessage DecodeRecord(byte[] record)
    {
        CoseMultiSignMessage message;
        try
        {
            message = CoseMessage.DecodeMultiSign(record);
        }
        catch (CryptographicException exception)
        {
            throw new FormatException($"Not a COSE_Sign record: {exception.Message}", exception);
        }

        return message.Content is null ? throw new FormatException("The record does not embed the minutes content.") : message;
    }

    // Only protected headers count: anything unprotected could be changed without breaking the signature.
    private static string? TextHeader(CoseSignature signature, CoseHeaderLabel label)
    {
        try
        {
            return signature.ProtectedHeaders.TryGetValue(label, out var value) ? value.GetValueAsString() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? KeyIdHeader(CoseSignature signature)
    {
        try
        {
            return signature.ProtectedHeaders.TryGetValue(CoseHeaderLabel.KeyIdentifier, out var value)
                ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(value.GetValueAsBytes())
                : null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsEs256(CoseSignature signature)
    {
        try
        {
            return signature.ProtectedHeaders.TryGetValue(CoseHeaderLabel.Algorithm, out var value) && value.GetValueAsInt32() == Es256;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>Why a signature does not hold; <see cref="None"/> when it does.</summary>
public enum SignatureFault
{
    None,

    /// <summary>No protected party, key id or ES256 algorithm header: not a signature made for minutes.</summary>
    NotAMinutesSignature,

    /// <summary>No key given has the signature's key id.</summary>
    UnknownKey,

    /// <summary>The key with that id belongs to another party than the one the signature names.</summary>
    KeyOfAnotherParty,

    /// <summary>The signature does not hold under the named party's key: another key made it, or the record changed.</summary>
    BadSignature,
}

/// <summary>One signature of a record as checked: which party it claims, with which key id, and whether it holds.</summary>
public sealed record SignatureCheck(string? Party, string? KeyId, SignatureFault Fault)
{
    public bool Holds => Fault == SignatureFault.None;

    public string Reason => Fault switch
    {
        SignatureFault.None => "holds",
        SignatureFault.NotAMinutesSignature => "not a minutes signature (needs protected alg ES256, kid and party)",
        SignatureFault.UnknownKey => $"unknown key id {KeyId}",
        SignatureFault.KeyOfAnotherParty => $"key {KeyId} belongs to another party than {Party}",
        SignatureFault.BadSignature => $"bad signature: not made by {Party}'s key {KeyId} over this content",
        _ => Fault.ToString(),
    };
}

/// <summary>
/// What a record says and whether its signatures hold. <see cref="ContentMatches"/> is null when no
/// expected content was given.
/// </summary>
public sealed record VerificationResult(MinutesDigest Content, IReadOnlyList<SignatureCheck> Signatures, bool? ContentMatches)
{
    /// <summary>At least one signature, every signature holds, and the content is the expected one where one was given.</summary>
    public bool Holds => Signatures.Count > 0 && Signatures.All(s => s.Holds) && ContentMatches != false;

    public bool IsSignedBy(string party) => Signatures.Any(s => s.Holds && s.Party == party);
}
