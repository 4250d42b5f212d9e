using System.Security.Cryptography;
using HotlineSystem.Identity.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace HotlineSystem.Identity.Server;

/// <summary>
/// Gives the OpenID Connect server its signing and encryption keys from the Identity database:
/// generated on first start, the same for every replica and every restart, rotated by age
/// (<see cref="IdentityServerSettings.KeyRotationAge"/>). Never development certificates.
/// Runs when the server's options are first needed, after the database initializer has migrated.
/// </summary>
internal sealed class ServerKeys(IServiceScopeFactory scopes, IOptions<IdentityServerSettings> settings, TimeProvider time, ILogger<ServerKeys> logger)
    : IConfigureOptions<OpenIddictServerOptions>
{
    public const string Signing = "signing";
    public const string Encryption = "encryption";

    /// <summary>A retired key stays published and usable for decryption this long: longer than any token made with it lives.</summary>
    private static readonly TimeSpan RetiredKeyGrace = TimeSpan.FromDays(2);

    public void Configure(OpenIddictServerOptions options)
    {
        var keys = EnsureCurrentKeysAsync().GetAwaiter().GetResult();
        foreach (var key in keys.Where(k => k.Use == Signing))
        {
            options.SigningCredentials.Add(new SigningCredentials(ToSecurityKey(key), SecurityAlgorithms.RsaSha256));
        }

        foreach (var key in keys.Where(k => k.Use == Encryption))
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(ToSecurityKey(key), SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    /// <summary>The keys in use, newest (the one that signs) first; makes a key of each use when none is young enough.</summary>
    private async Task<List<ServerKey>> EnsureCurrentKeysAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (db.Database.IsNpgsql())
        {
            // Replicas starting together must agree on one key, not each make their own.
            await db.Database.ExecuteSqlRawAsync($"LOCK TABLE {IdentityServiceDbContext.SchemaName}.server_keys IN EXCLUSIVE MODE");
        }

        var keys = await db.ServerKeys.ToListAsync();
        foreach (var use in new[] { Signing, Encryption })
        {
            var current = keys.Where(k => k.Use == use && k.RetiredAt is null).OrderByDescending(k => k.CreatedAt).FirstOrDefault();
            if (current is null || now - current.CreatedAt > settings.Value.KeyRotationAge)
            {
                current?.Retire(now);
                var fresh = ServerKey.Generate(use, now);
                db.ServerKeys.Add(fresh);
                keys.Add(fresh);
                logger.LogInformation("Generated a new {Use} key {KeyId} for the OpenID Connect server", use, fresh.Id);
            }
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return keys
            .Where(k => k.RetiredAt is null || now - k.RetiredAt < RetiredKeyGrace)
            .OrderBy(k => k.RetiredAt is null ? 0 : 1)
            .ThenByDescending(k => k.CreatedAt)
            .ToList();
    }

    private static RsaSecurityKey ToSecurityKey(ServerKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.PrivateKeyPem);
        return new RsaSecurityKey(rsa) { KeyId = key.Id.ToString("N") };
    }
}
