using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Web.Security;

/// <summary>
/// The tokens of every console session this process serves, on the server only. The sign-in puts
/// them into the (encrypted, HttpOnly) cookie; the first request of a session here copies them in.
/// One holder refreshes a session's tokens, one refresh at a time: the Identity service's refresh
/// tokens work once (a second use revokes the chain), so two refreshes of the same token would end
/// the session. A process that restarts reads them from the cookie again; if its refresh token was
/// spent meanwhile, the person signs in again (docs/security.md).
/// </summary>
public sealed class ConsoleSessions(
    IOptionsMonitor<OpenIdConnectOptions> oidc, TimeProvider time, ILogger<ConsoleSessions> logger)
{
    /// <summary>An access token is renewed this long before it expires: a call never leaves with one about to die.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A session whose access token expired this long ago is forgotten (the Identity service's refresh
    /// tokens live 12 hours): a person who closed the tab without signing out leaves nothing behind for long.
    /// </summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, Session> sessions = new();

    /// <summary>On every request with the cookie: the session's tokens are known here from then on.</summary>
    public Task KeepAsync(CookieValidatePrincipalContext context)
    {
        var session = context.Principal?.FindFirst(ConsoleAuthentication.SessionClaim)?.Value;
        if (session is null)
        {
            context.RejectPrincipal();
            return Task.CompletedTask;
        }

        if (!sessions.ContainsKey(session) && TokensFrom(context.Properties) is { } tokens)
        {
            ForgetAbandoned();
            sessions.TryAdd(session, new Session(tokens));
        }

        return Task.CompletedTask;
    }

    /// <summary>A valid access token for the session, renewed if it is about to expire; null when the session has ended.</summary>
    public async Task<string?> AccessTokenAsync(string session, CancellationToken cancellationToken)
    {
        if (!sessions.TryGetValue(session, out var held))
        {
            return null;
        }

        if (held.Tokens.ExpiresAt - RenewBefore > time.GetUtcNow())
        {
            return held.Tokens.AccessToken;
        }

        await held.Refreshing.WaitAsync(cancellationToken);
        try
        {
            if (held.Tokens.ExpiresAt - RenewBefore > time.GetUtcNow())
            {
                return held.Tokens.AccessToken; // another caller renewed it meanwhile
            }

            var renewed = await RefreshAsync(held.Tokens, cancellationToken);
            if (renewed is null)
            {
                sessions.TryRemove(session, out _);
                return null;
            }

            held.Tokens = renewed;
            return renewed.AccessToken;
        }
        finally
        {
            held.Refreshing.Release();
        }
    }

    public void End(string session) => sessions.TryRemove(session, out _);

    private void ForgetAbandoned()
    {
        var before = time.GetUtcNow() - ForgetAfter;
        foreach (var (session, held) in sessions)
        {
            if (held.Tokens.ExpiresAt < before)
            {
                sessions.TryRemove(session, out _);
            }
        }
    }

    private async Task<SessionTokens?> RefreshAsync(SessionTokens tokens, CancellationToken cancellationToken)
    {
        var options = oidc.Get(ConsoleAuthentication.OidcScheme);
        var configuration = await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        using var response = await options.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId!,
            ["refresh_token"] = tokens.RefreshToken,
        }), cancellationToken);

        if (!response.IsSuccessStatusCode)
        {
            logger.LogInformation("A console session could not renew its access token ({Status}); the person signs in again", (int)response.StatusCode);
            return null;
        }

        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(cancellationToken)
            ?? throw new InvalidOperationException("The token endpoint answered without a body.");
        return new SessionTokens(
            answer.AccessToken, answer.RefreshToken ?? tokens.RefreshToken, answer.IdToken ?? tokens.IdToken,
            time.GetUtcNow() + TimeSpan.FromSeconds(answer.ExpiresIn));
    }

    private static SessionTokens? TokensFrom(AuthenticationProperties properties) =>
        properties.GetTokenValue("access_token") is { } access
        && properties.GetTokenValue("refresh_token") is { } refresh
        && DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt)
            ? new SessionTokens(access, refresh, properties.GetTokenValue("id_token"), expiresAt)
            : null;

    private sealed class Session(SessionTokens tokens)
    {
        public SessionTokens Tokens { get; set; } = tokens;

        public SemaphoreSlim Refreshing { get; } = new(1, 1);
    }

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}

public sealed record SessionTokens(string AccessToken, string RefreshToken, string? IdToken, DateTimeOffset ExpiresAt);
