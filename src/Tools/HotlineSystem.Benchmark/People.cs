using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace HotlineSystem.Benchmark;

/// <summary>A person the benchmark created: their account id, user name and password (kept in memory only).</summary>
public sealed record BenchmarkPerson(string UserId, string UserName, string Party, string Password);

/// <summary>
/// Creates people through the Identity service's user administration (POST /api/users), as an
/// administrator tool client of their party would: real accounts, announced to the other services
/// by Identity's UserAccountChanged like any other. Passwords are random and never leave the process.
/// </summary>
public static class PeopleAdministration
{
    /// <summary>A liaison officer of the administrator's party (the account is created in it), named after it, the run and a number.</summary>
    public static Task<BenchmarkPerson> CreateLiaisonOfficerAsync(Uri identity, AccessTokens administrator, string run, int number, CancellationToken cancellationToken) =>
        CreateAsync(identity, administrator, $"bench-{administrator.Party.ToLowerInvariant()}-{run}-{number}", administrator.Party, ["LiaisonOfficer"], cancellationToken);

    public static async Task<BenchmarkPerson> CreateAsync(
        Uri identity, AccessTokens administrator, string userName, string party, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        // 32 random hex digits, with a letter and a digit for certain (the password rules want both).
        var password = "bp" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + "7";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(identity, "api/users"))
        {
            Content = JsonContent.Create(new
            {
                userName,
                displayName = $"Benchmark {party} {string.Join(" and ", roles)} {userName}",
                roles,
                password,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", administrator.Current);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"POST /api/users ({userName}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var created = await response.Content.ReadFromJsonAsync<CreatedUser>(cancellationToken)
            ?? throw new InvalidOperationException("POST /api/users answered no account.");
        return new BenchmarkPerson(created.Id.ToString(), userName, party, password);
    }

    private sealed record CreatedUser([property: JsonPropertyName("id")] Guid Id);
}

/// <summary>
/// A person's access tokens, got the way the web console gets them: the authorization code flow
/// with PKCE through the Identity service's real sign-in pages (a liaison officer needs no second
/// factor), ending at a loopback redirect URI where nothing listens (the redirect is caught here),
/// then renewed with the refresh token once half the access token's lifetime is gone.
/// </summary>
public sealed class PersonTokens
{
    public const string ConsoleClientId = "hotline-web";

    private readonly Uri _identity;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private string _accessToken = "";
    private string? _refreshToken;
    private DateTimeOffset _renewAt;

    private PersonTokens(Uri identity) => _identity = identity;

    /// <summary>Signs the person in and returns their tokens for <paramref name="scope"/>.</summary>
    public static async Task<PersonTokens> SignInAsync(
        Uri identity, BenchmarkPerson person, Uri redirectUri, string scope, CancellationToken cancellationToken)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri(identity,
            $"connect/authorize?client_id={ConsoleClientId}&redirect_uri={Uri.EscapeDataString(redirectUri.ToString())}&response_type=code" +
            $"&scope={Uri.EscapeDataString(scope)}&state={state}&code_challenge={challenge}&code_challenge_method=S256");

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = identity,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var callback = await FollowSignInAsync(browser, authorize, person, cancellationToken);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        if (query["state"] != state || query["code"] is not { Length: > 0 } code)
        {
            throw new InvalidOperationException($"The sign-in of {person.UserName} ended at {callback.GetLeftPart(UriPartial.Path)} without a code ({query["error"]}).");
        }

        var tokens = new PersonTokens(identity);
        await tokens.RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ConsoleClientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri.ToString(),
            ["code_verifier"] = verifier,
        }, cancellationToken);
        return tokens;
    }

    /// <summary>A valid access token: the current one, or a renewed one once half its lifetime is gone.</summary>
    public async Task<string?> GetAsync()
    {
        if (DateTimeOffset.UtcNow < _renewAt || _refreshToken is null)
        {
            return _accessToken;
        }

        await _renewing.WaitAsync();
        try
        {
            if (DateTimeOffset.UtcNow >= _renewAt)
            {
                await RequestAsync(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["client_id"] = ConsoleClientId,
                    ["refresh_token"] = _refreshToken,
                }, CancellationToken.None);
            }
        }
        finally
        {
            _renewing.Release();
        }

        return _accessToken;
    }

    private async Task RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(new Uri(_identity, "connect/token"), content, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        if (!response.IsSuccessStatusCode || answer?.AccessToken is not { Length: > 0 } token)
        {
            throw new InvalidOperationException($"The token endpoint refused the {form["grant_type"]} grant: {(int)response.StatusCode} {answer?.Error} {answer?.ErrorDescription}".TrimEnd());
        }

        _accessToken = token;
        _refreshToken = answer.RefreshToken ?? _refreshToken;
        _renewAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Max(answer.ExpiresIn ?? 0, 10)) / 2;
    }

    /// <summary>Plays the person at the browser: the sign-in form, posted with its anti-forgery token, until the server redirects away from itself.</summary>
    private static async Task<Uri> FollowSignInAsync(HttpClient browser, Uri start, BenchmarkPerson person, CancellationToken cancellationToken)
    {
        var next = await browser.GetAsync(start, cancellationToken);
        for (var step = 0; step < 8; step++)
        {
            using var response = next;
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
            {
                var location = new Uri(browser.BaseAddress!, response.Headers.Location!);
                if (location.Authority != browser.BaseAddress!.Authority)
                {
                    return location;
                }

                next = await browser.GetAsync(location, cancellationToken);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            var path = response.RequestMessage!.RequestUri!.AbsolutePath;
            if (response.StatusCode != HttpStatusCode.OK || path != "/account/sign-in")
            {
                throw new InvalidOperationException($"The sign-in of {person.UserName} stopped at {path} ({(int)response.StatusCode}); a liaison officer needs no second factor.");
            }

            var fields = new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Hidden(html, "__RequestVerificationToken"),
                ["returnUrl"] = Hidden(html, "returnUrl"),
                ["userName"] = person.UserName,
                ["password"] = person.Password,
            };
            next = await browser.PostAsync(path, new FormUrlEncodedContent(fields), cancellationToken);
        }

        next.Dispose();
        throw new InvalidOperationException($"The sign-in of {person.UserName} did not finish in 8 steps.");
    }

    private static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"The sign-in page has no field {name}.");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
