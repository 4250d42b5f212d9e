using HotlineSystem.Committee.Signing;

namespace HotlineSystem.Committee.Keys;

/// <summary>
/// A party's public key in the register (ADR 0013): published by party, current until
/// <see cref="ValidUntil"/> is set by a rotation, and kept forever so old minutes still verify.
/// The private half is never here: it stays in the party's key folder (<see cref="PartyKeyCustody"/>).
/// </summary>
public sealed class PartySigningKey
{
    private PartySigningKey()
    {
    }

    /// <summary>Derived from the key itself (<see cref="PartyKey.KeyIdOf(System.Security.Cryptography.ECDsa)"/>).</summary>
    public string KeyId { get; private set; } = "";

    public string Party { get; private set; } = "";

    public string PublicKeyPem { get; private set; } = "";

    public DateTimeOffset ValidFrom { get; private set; }

    public DateTimeOffset? ValidUntil { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public bool IsCurrent => ValidUntil is null;

    public static PartySigningKey Publish(PartyKey key, string createdBy, DateTimeOffset now) => new()
    {
        KeyId = key.KeyId,
        Party = key.Party,
        PublicKeyPem = key.ExportPem(),
        ValidFrom = now,
        CreatedBy = createdBy,
    };

    /// <summary>A rotation ends the key's validity; what it signed before stays verifiable.</summary>
    public void Retire(DateTimeOffset now) => ValidUntil ??= now;

    public PartyKey ToPartyKey() => PartyKey.FromPem(Party, PublicKeyPem, ValidFrom, ValidUntil);
}
