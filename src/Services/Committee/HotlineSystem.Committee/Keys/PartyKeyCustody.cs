using System.Security.Cryptography;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Signing;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Committee.Keys;

/// <summary>Committee:Signing — where this node keeps the private keys of the parties it signs for.</summary>
public sealed class SigningSettings
{
    public const string Section = "Committee:Signing";

    /// <summary>The key folder: one sub-folder per party, one PKCS#8 PEM file per key. None: this node signs for no one.</summary>
    public string? KeyFolder { get; set; }

    /// <summary>The parties this node signs for (e.g. KR on Korea's node); empty: every party (one node for both).</summary>
    public List<string> Parties { get; set; } = [];

    /// <summary>
    /// How recent the co-chair's (or administrator's) second factor must be to sign minutes or rotate a
    /// key: at most, and by default, <see cref="FreshSecondFactor.Window"/>; a party may ask for less.
    /// </summary>
    public TimeSpan SecondFactorWindow { get; set; } = FreshSecondFactor.Window;
}

/// <summary>
/// The custody of the parties' private signing keys (ADR 0013): files in the party's own folder,
/// readable by this service's user only, never in the database, a log, a message or an export.
/// A node opens a key only for a party it holds, and only for that party's own co-chair.
/// </summary>
public sealed class PartyKeyCustody(IOptions<SigningSettings> options)
{
    private readonly SigningSettings _settings = options.Value;

    /// <summary>Whether this node keeps <paramref name="party"/>'s private keys.</summary>
    public bool Holds(string party) =>
        !string.IsNullOrWhiteSpace(_settings.KeyFolder) && PartyKey.IsPartyCode(party)
        && (_settings.Parties.Count == 0 || _settings.Parties.Contains(party));

    /// <summary>The party's key pair with this id, or null when this node does not have it. The caller disposes it.</summary>
    public async Task<ECDsa?> OpenAsync(string party, string keyId, CancellationToken cancellationToken)
    {
        if (!Holds(party) || PathOf(party, keyId) is not { } path || !File.Exists(path))
        {
            return null;
        }

        var key = PartyKey.ImportPrivateKeyPem(await File.ReadAllTextAsync(path, cancellationToken));
        if (PartyKey.KeyIdOf(key) != keyId)
        {
            key.Dispose();
            throw new CryptographicException($"The key file of {party}'s key {keyId} holds another key.");
        }

        return key;
    }

    /// <summary>Writes a new key pair into the party's folder, readable by this user only.</summary>
    public async Task KeepAsync(string party, ECDsa keyPair, CancellationToken cancellationToken)
    {
        if (!Holds(party))
        {
            throw new InvalidOperationException($"This node does not keep {party}'s keys.");
        }

        var path = PathOf(party, PartyKey.KeyIdOf(keyPair))!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(PartyKey.ExportPrivateKeyPem(keyPair));
        await writer.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Removes a key this node made but did not publish (another replica's key won).</summary>
    public void Discard(string party, string keyId)
    {
        if (Holds(party) && PathOf(party, keyId) is { } path)
        {
            File.Delete(path);
        }
    }

    // Key ids are base64url: no path separators, no dots.
    private string? PathOf(string party, string keyId) =>
        keyId.Length is > 0 and <= 64 && keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? Path.Combine(_settings.KeyFolder!, party, keyId + ".pem")
            : null;
}
