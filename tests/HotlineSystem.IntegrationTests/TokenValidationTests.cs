using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HotlineSystem.Incidents;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Issue 3: the Incidents API accepts only tokens the Identity service issued for it, and unaltered.
/// Tokens are minted here with the server's real signing key from the Identity database, in the shape
/// of a real access token: the control token is accepted, and each one that differs in one thing
/// only (expired, audience, issuer, key, algorithm) is refused. Then real tokens, altered in transit;
/// and another party's administrator on this party's user administration.
/// </summary>
public sealed class TokenValidationTests(IncidentsAppFixture fixture, ITestOutputHelper output) : IClassFixture<IncidentsAppFixture>
{
    private const string IncidentsList = "/api/incidents";
    private const string Officer = "token-officer";

    [Fact]
    public async Task A_token_minted_with_the_servers_key_in_a_real_tokens_shape_is_accepted()
    {
        var (real, minted) = await RealAndMintedAsync();
        var token = new JsonWebToken(minted.Token());

        var response = await CallIncidentsAsync(minted.Token());

        output.WriteLine($"real:   {Base64UrlEncoder.Decode(real.EncodedHeader)} {Base64UrlEncoder.Decode(real.EncodedPayload)}");
        output.WriteLine($"minted: {Base64UrlEncoder.Decode(token.EncodedHeader)} {Base64UrlEncoder.Decode(token.EncodedPayload)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((real.Typ, real.Alg, real.Kid), (token.Typ, token.Alg, token.Kid));
        Assert.Equal(
            real.Claims.Select(c => c.Type).Where(type => !type.StartsWith("oi_", StringComparison.Ordinal)).ToHashSet(),
            token.Claims.Select(c => c.Type).ToHashSet());
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var (_, minted) = await RealAndMintedAsync();
        var now = DateTime.UtcNow;

        await AssertRefusedAsync(minted, minted with { IssuedAt = now.AddHours(-2), Expires = now.AddHours(-1) });
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var (_, minted) = await RealAndMintedAsync();

        await AssertRefusedAsync(minted, minted with { Audience = "escalation-api" });
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var (_, minted) = await RealAndMintedAsync();

        await AssertRefusedAsync(minted, minted with { Issuer = "https://identity.hotline.example/" });
    }

    [Fact]
    public async Task A_token_signed_by_a_foreign_key_under_the_servers_key_id_is_refused()
    {
        var (_, minted) = await RealAndMintedAsync();
        using var foreign = RSA.Create(2048);
        var key = new RsaSecurityKey(foreign) { KeyId = minted.Signing!.Key.KeyId };

        await AssertRefusedAsync(minted, minted with { Signing = new SigningCredentials(key, SecurityAlgorithms.RsaSha256) });
    }

    [Fact]
    public async Task An_unsigned_token_alg_none_is_refused()
    {
        var (_, minted) = await RealAndMintedAsync();
        var unsigned = minted with { Signing = null };

        Assert.Equal("none", new JsonWebToken(unsigned.Token()).Alg);
        await AssertRefusedAsync(minted, unsigned);
    }

    [Fact]
    public async Task A_real_token_whose_party_is_changed_from_KR_to_CN_is_refused()
    {
        var token = await RealTokenAsync();
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        Assert.Equal("KR", payload[HotlineClaims.Party]!.GetValue<string>());
        payload[HotlineClaims.Party] = "CN";
        var altered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        var untouched = await CallIncidentsAsync(token);
        var response = await CallIncidentsAsync(altered);

        Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_real_token_with_one_signature_byte_flipped_is_refused()
    {
        var token = await RealTokenAsync();
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[signature.Length / 2] ^= 0x01;
        var altered = $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";

        var untouched = await CallIncidentsAsync(token);
        var response = await CallIncidentsAsync(altered);

        Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Another_partys_administrator_finds_none_of_this_partys_users_and_cannot_create_one()
    {
        var identity = await SharedIdentity.GetAsync();
        var (krUser, _) = await identity.PersonAsync("token-kr-person", "KR", HotlineRoles.LiaisonOfficer);
        var (cnUser, _) = await identity.PersonAsync("token-cn-person", "CN", HotlineRoles.LiaisonOfficer);
        using var cnAdministrator = new HttpClient { BaseAddress = identity.BaseAddress };
        cnAdministrator.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", await identity.AccessTokenAsync("token-cn-admin", "CN", [HotlineRoles.Administrator], "openid profile identity"));
        var userName = $"token-kr-new-{Guid.NewGuid():N}"[..24];

        var ownParty = await cnAdministrator.GetAsync($"/api/users/{cnUser.Id}");
        var get = await cnAdministrator.GetAsync($"/api/users/{krUser.Id}");
        var disable = await cnAdministrator.PostAsJsonAsync($"/api/users/{krUser.Id}/disable", new { reason = "Taken over by CN" });
        var create = await cnAdministrator.PostAsJsonAsync("/api/users", new
        {
            userName,
            displayName = "Planted by CN",
            party = "KR",
            roles = new[] { HotlineRoles.Administrator },
            password = IdentityApp.Password,
        });

        Assert.Equal(HttpStatusCode.OK, ownParty.StatusCode); // the same token and route work on CN's own people
        await get.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await disable.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await create.AssertProblemAsync(HttpStatusCode.Forbidden, "other-party");
        Assert.True(await identity.InDatabase(db => db.Users.Where(u => u.Id == krUser.Id).Select(u => u.Active).SingleAsync()));
        Assert.False(await identity.InDatabase(db => db.Users.AnyAsync(u => u.UserName == userName)));
    }

    /// <summary>The same minting with one thing changed: the unchanged one is accepted, the changed one refused.</summary>
    private async Task AssertRefusedAsync(Minting control, Minting changed)
    {
        var accepted = await CallIncidentsAsync(control.Token());
        var refused = await CallIncidentsAsync(changed.Token());

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private Task<HttpResponseMessage> CallIncidentsAsync(string token)
    {
        var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.GetAsync(IncidentsList);
    }

    private static async Task<string> RealTokenAsync() =>
        await (await SharedIdentity.GetAsync()).AccessTokenAsync(Officer, "KR", [HotlineRoles.LiaisonOfficer]);

    /// <summary>A real access token of a KR officer, and a minting of the same person's token with the server's current signing key.</summary>
    private static async Task<(JsonWebToken Real, Minting Minted)> RealAndMintedAsync()
    {
        var identity = await SharedIdentity.GetAsync();
        var real = new JsonWebToken(await RealTokenAsync());
        var (person, _) = await identity.PersonAsync(Officer, "KR", HotlineRoles.LiaisonOfficer);

        return (real, await Minting.ForAsync(identity, person, IncidentsModule.Audience, "openid profile offline_access incidents"));
    }
}
