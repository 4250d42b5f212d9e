namespace HotlineSystem.Identity.Server;

/// <summary>
/// A key of the OpenID Connect server, generated once and kept in the Identity database so that every
/// replica and every restart signs and decrypts with the same keys (docs/operations.md: rotation).
/// </summary>
public sealed class ServerKey
{
    private ServerKey()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>"signing" or "encryption".</summary>
    public string Use { get; private set; } = "";

    /// <summary>The RSA private key, PKCS#8 PEM.</summary>
    public string PrivateKeyPem { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>After this, the key no longer signs; it is still published until tokens signed with it have expired.</summary>
    public DateTimeOffset? RetiredAt { get; private set; }

    public static ServerKey Generate(string use, DateTimeOffset now)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return new ServerKey { Id = Guid.CreateVersion7(now), Use = use, PrivateKeyPem = rsa.ExportPkcs8PrivateKeyPem(), CreatedAt = now };
    }

    public void Retire(DateTimeOffset now) => RetiredAt ??= now;
}
