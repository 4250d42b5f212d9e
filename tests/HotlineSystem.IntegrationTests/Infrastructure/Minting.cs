using System.Security.Cryptography;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Server;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// How the tests mint an access token: with the Identity server's real signing key, read from its
/// database, in the shape of a real one. Each refusal test changes one thing of a minting that is
/// otherwise accepted (expired, audience, issuer, key, algorithm, a lifetime of seconds).
/// </summary>
public sealed record Minting(string Issuer, string Audience, DateTime IssuedAt, DateTime Expires, SigningCredentials? Signing, Dictionary<string, object> Claims)
{
    public string Token() => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        TokenType = "at+jwt",
        Issuer = Issuer,
        Audience = Audience,
        IssuedAt = IssuedAt,
        Expires = Expires,
        SigningCredentials = Signing,
        Claims = Claims,
    });

    /// <summary>
    /// The token the console would get for <paramref name="person"/> with <paramref name="scope"/>: the
    /// claims of a real one, without OpenIddict's own bookkeeping (oi_*), valid for five minutes.
    /// </summary>
    public static async Task<Minting> ForAsync(IdentityApp identity, HotlineUser person, string audience, string scope)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = person.Id.ToString(),
            ["name"] = person.DisplayName,
            ["preferred_username"] = person.UserName!,
            ["amr"] = "pwd",
            [HotlineClaims.AuthenticationTime] = new DateTimeOffset(now).AddSeconds(-1).ToUnixTimeSeconds(),
            [HotlineClaims.Party] = person.Party,
            ["scope"] = scope,
            ["client_id"] = SignInDriver.ConsoleClientId,
            ["jti"] = Guid.NewGuid().ToString(),
        };
        var roles = person.Roles.ToArray();
        claims[HotlineClaims.Role] = roles.Length == 1 ? roles[0] : roles;
        return new Minting(identity.Authority, audience, now, now.AddMinutes(5), await ServerSigningAsync(identity), claims);
    }

    /// <summary>The server's current signing key, as it signs its own tokens.</summary>
    public static async Task<SigningCredentials> ServerSigningAsync(IdentityApp identity)
    {
        // The server makes its keys when it first configures itself: at its first request.
        using var client = new HttpClient { BaseAddress = identity.BaseAddress };
        (await client.GetAsync("/.well-known/openid-configuration")).EnsureSuccessStatusCode();
        var key = await identity.InDatabase(db => db.ServerKeys
            .Where(k => k.Use == ServerKeys.Signing && k.RetiredAt == null)
            .OrderByDescending(k => k.CreatedAt)
            .FirstAsync());
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.PrivateKeyPem);
        return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = key.Id.ToString("N") }, SecurityAlgorithms.RsaSha256);
    }
}
