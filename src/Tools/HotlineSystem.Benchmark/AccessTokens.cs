using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HotlineSystem.Benchmark;

/// <summary>
/// A tool client's access token for one API, by client credentials from the Identity service.
/// A new one is asked for in the background when half the lifetime of the current one is gone, so
/// filing never waits for the token endpoint; if renewal keeps failing, the old token runs out and
/// the filings fail with 401, which the results count.
/// </summary>
public sealed class AccessTokens : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly HttpClient _client;
    private readonly Uri _tokenEndpoint;
    private readonly IReadOnlyDictionary<string, string> _request;
    private readonly TimeProvider _time;
    private readonly Action<string> _progress;
    private readonly CancellationTokenSource _stop = new();
    private Task _renewal = Task.CompletedTask;
    private volatile string _current = "";

    private AccessTokens(HttpClient client, Uri tokenEndpoint, IReadOnlyDictionary<string, string> request, TimeProvider time, Action<string> progress)
    {
        _client = client;
        _tokenEndpoint = tokenEndpoint;
        _request = request;
        _time = time;
        _progress = progress;
    }

    /// <summary>The token to send now.</summary>
    public string Current => _current;

    /// <summary>The party the tool client acts for, read from its first token (a client's party does not change).</summary>
    public string Party { get; private set; } = "";

    /// <summary>Finds the token endpoint in the issuer's discovery document and gets the first token; fails if either fails.</summary>
    public static async Task<AccessTokens> StartAsync(
        Uri issuer, string clientId, string clientSecret, string scope, TimeProvider time, Action<string> progress, CancellationToken cancellationToken)
    {
        var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var discovery = new Uri(issuer, ".well-known/openid-configuration");
            var configuration = await client.GetFromJsonAsync<Discovery>(discovery, cancellationToken)
                ?? throw new InvalidOperationException($"{discovery} answered nothing.");
            var request = new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = scope,
            };
            var tokens = new AccessTokens(client, new Uri(configuration.TokenEndpoint, UriKind.Absolute), request, time, progress);
            var lifetime = await tokens.RequestAsync(cancellationToken);
            tokens.Party = AccessTokenClaims.PartyOf(tokens.Current);
            tokens._renewal = tokens.RenewAsync(lifetime);
            return tokens;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task RenewAsync(TimeSpan lifetime)
    {
        var wait = lifetime / 2;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, _time, _stop.Token);
                lifetime = await RequestAsync(_stop.Token);
                wait = lifetime / 2;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException)
            {
                _progress($"renewing the access token failed ({exception.Message}); trying again in {RetryDelay.TotalSeconds:0} s");
                wait = RetryDelay;
            }
        }
    }

    /// <summary>Asks for a token, makes it the current one and returns its lifetime.</summary>
    private async Task<TimeSpan> RequestAsync(CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(_request);
        using var response = await _client.PostAsync(_tokenEndpoint, content, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        if (!response.IsSuccessStatusCode || answer?.AccessToken is not { Length: > 0 } token)
        {
            throw new InvalidOperationException(
                $"{_tokenEndpoint} refused client '{_request["client_id"]}': {(int)response.StatusCode} {answer?.Error} {answer?.ErrorDescription}".TrimEnd());
        }

        _current = token;
        return TimeSpan.FromSeconds(Math.Max(answer.ExpiresIn ?? 0, 10));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        _client.Dispose();
    }

    private sealed record Discovery([property: JsonPropertyName("token_endpoint")] string TokenEndpoint);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
