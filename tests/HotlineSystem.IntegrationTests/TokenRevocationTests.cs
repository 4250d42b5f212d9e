using System.Net;
using System.Net.Http.Headers;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>A client revokes a refresh token at /connect/revoke (RFC 7009): it stops working, and the audit trail says so.</summary>
public sealed class TokenRevocationTests
{
    [Fact]
    public async Task A_revoked_refresh_token_is_refused_and_the_revocation_is_a_security_event()
    {
        var identity = await SharedIdentity.GetAsync();
        var (user, credentials) = await identity.PersonAsync("revoker", "KR", HotlineRoles.LiaisonOfficer);
        var tokens = await SignInDriver.AuthorizationCodeAsync(identity.BaseAddress, credentials);

        using var client = new HttpClient { BaseAddress = identity.BaseAddress };
        var revoked = await client.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = tokens.RefreshToken!,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = SignInDriver.ConsoleClientId,
        }));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var refused = await Assert.ThrowsAsync<TokenRequestFailedException>(() => SignInDriver.RefreshAsync(identity.BaseAddress, tokens.RefreshToken!));
        Assert.Contains("invalid_grant", refused.Body);

        var events = await identity.InDatabase(db => db.SecurityEvents.Where(e => e.UserId == user.Id).Select(e => e.Kind).ToListAsync());
        Assert.Contains(SecurityEventKind.TokensRevoked, events);
    }

    [Fact]
    public async Task The_userinfo_endpoint_answers_a_tool_token_with_an_error_not_a_crash()
    {
        var identity = await SharedIdentity.GetAsync();
        var tool = await SignInDriver.TokenRequestAsync(identity.BaseAddress, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = IdentityApp.ToolClientId,
            ["client_secret"] = IdentityApp.ToolClientSecret,
            ["scope"] = "incidents",
        });

        using var client = new HttpClient { BaseAddress = identity.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tool.AccessToken);
        var response = await client.GetAsync("/connect/userinfo");

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
