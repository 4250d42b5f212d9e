using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>Who signs in, and (for the roles that need it) the authenticator key their app would hold.</summary>
public sealed record Credentials(string UserName, string Password, string? AuthenticatorKey = null)
{
    /// <summary>The code an authenticator app shows now (RFC 6238, computed by Otp.NET, not by our code).</summary>
    public string CurrentCode() => new Totp(Base32Encoding.ToBytes(AuthenticatorKey ?? throw new InvalidOperationException("No authenticator key."))).ComputeTotp();
}

/// <summary>Tokens as the server's token endpoint returned them.</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, string? IdentityToken, int ExpiresIn);

/// <summary>
/// Plays the person at the browser: follows the authorization request through the server's real
/// sign-in pages (password, then the TOTP step or enrolment), posting the forms with their
/// anti-forgery tokens, until the server redirects to the client's redirect URI. Then, as the
/// client, exchanges the code with PKCE at the token endpoint.
/// </summary>
public static partial class SignInDriver
{
    public const string ConsoleClientId = "hotline-web";
    public const string RedirectUri = "http://127.0.0.1/test-signin-callback";

    /// <summary>A browser: cookies kept, redirects followed by hand so that the last one can be caught.</summary>
    public static HttpClient NewBrowser(Uri server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = server };

    /// <summary>Signs in through the pages from <paramref name="startUrl"/>; returns the URL the server finally redirects to outside itself.</summary>
    public static async Task<Uri> SignInAsync(HttpClient browser, Uri startUrl, Credentials credentials)
    {
        var response = await browser.GetAsync(startUrl);
        for (var step = 0; step < 12; step++)
        {
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
            {
                var location = new Uri(browser.BaseAddress!, response.Headers.Location!);
                if (location.Authority != browser.BaseAddress!.Authority)
                {
                    return location;
                }

                response = await browser.GetAsync(location);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new SignInFailedException(response.StatusCode, html);
            }

            var path = response.RequestMessage!.RequestUri!.AbsolutePath;
            var fields = new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Hidden(html, "__RequestVerificationToken")),
                ["returnUrl"] = WebUtility.HtmlDecode(Hidden(html, "returnUrl")),
            };
            switch (path)
            {
                case "/account/sign-in":
                    fields["userName"] = credentials.UserName;
                    fields["password"] = credentials.Password;
                    break;
                case "/account/second-factor":
                    fields["code"] = credentials.CurrentCode();
                    break;
                case "/account/enrolment":
                    // As a person would: the key shown on the page goes into the authenticator app.
                    var shown = Regex.Match(html, "id=\"authenticator-key\">([A-Z2-7]+)<").Groups[1].Value;
                    fields["code"] = (credentials with { AuthenticatorKey = shown }).CurrentCode();
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected page {path}: {html}");
            }

            response = await browser.PostAsync(path, new FormUrlEncodedContent(fields));
        }

        throw new InvalidOperationException("The sign-in did not finish in 12 steps.");
    }

    /// <summary>The authorization code flow with PKCE, as the web console runs it.</summary>
    public static async Task<TokenSet> AuthorizationCodeAsync(Uri server, Credentials credentials, string scope = "openid profile offline_access incidents")
    {
        using var browser = NewBrowser(server);
        return await AuthorizationCodeAsync(browser, credentials, scope);
    }

    /// <summary>As above, in a browser of the caller's: its session at the server outlives the flow (to sign out in it, say).</summary>
    public static async Task<TokenSet> AuthorizationCodeAsync(HttpClient browser, Credentials credentials, string scope = "openid profile offline_access incidents")
    {
        var server = browser.BaseAddress!;
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var authorize = new Uri(server,
            $"/connect/authorize?client_id={ConsoleClientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&response_type=code" +
            $"&scope={Uri.EscapeDataString(scope)}&state={state}&code_challenge={challenge}&code_challenge_method=S256");

        var callback = await SignInAsync(browser, authorize, credentials);
        var query = System.Web.HttpUtility.ParseQueryString(callback.Query);
        Assert.Equal(state, query["state"]);
        var code = query["code"] ?? throw new InvalidOperationException($"No code in {callback}");

        return await TokenRequestAsync(server, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ConsoleClientId,
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        });
    }

    public static Task<TokenSet> RefreshAsync(Uri server, string refreshToken) =>
        TokenRequestAsync(server, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ConsoleClientId,
            ["refresh_token"] = refreshToken,
        });

    public static async Task<TokenSet> TokenRequestAsync(Uri server, Dictionary<string, string> form)
    {
        using var client = new HttpClient { BaseAddress = server };
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new TokenRequestFailedException(response.StatusCode, body);
        }

        var json = JsonDocument.Parse(body).RootElement;
        return new TokenSet(
            json.GetProperty("access_token").GetString()!,
            json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            json.TryGetProperty("id_token", out var id) ? id.GetString() : null,
            json.GetProperty("expires_in").GetInt32());
    }

    /// <summary>The hidden fields of a page's form (anti-forgery token, returnUrl), decoded, to post it by hand.</summary>
    public static Dictionary<string, string> HiddenFields(string html) => new()
    {
        ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Hidden(html, "__RequestVerificationToken")),
        ["returnUrl"] = WebUtility.HtmlDecode(Hidden(html, "returnUrl")),
    };

    private static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"No hidden field {name} in: {html}");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class SignInFailedException(HttpStatusCode status, string page) : Exception($"Sign-in page answered {(int)status}: {page}")
{
    public HttpStatusCode Status { get; } = status;

    public string Page { get; } = page;
}

public sealed class TokenRequestFailedException(HttpStatusCode status, string body) : Exception($"Token endpoint answered {(int)status}: {body}")
{
    public HttpStatusCode Status { get; } = status;

    public string Body { get; } = body;
}
