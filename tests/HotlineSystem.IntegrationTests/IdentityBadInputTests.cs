using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Bad input at the Identity server (on Kestrel): malformed protocol requests get the protocol's
/// own errors, malformed or oversized form posts a problem, never a 500, never a redirect to a place
/// that is not registered, and nothing is created half-way.
/// </summary>
public sealed class IdentityBadInputTests
{
    private const string SignedIn = "/account/signed-in";

    private static IdentityApp Identity => IncidentsApp.Identity;

    public static TheoryData<string, string> MalformedTokenRequests => new()
    {
        { "client_id=hotline-web&code=abc", "invalid_request" }, // no grant_type
        { "grant_type=&client_id=hotline-web", "invalid_request" },
        { "grant_type=password&client_id=hotline-web&username=a&password=b", "unsupported_grant_type" },
        { "grant_type=urn%3Aexample%3Amade-up&client_id=hotline-web", "unsupported_grant_type" },
        { $"grant_type=client_credentials&client_id=nobody&client_secret={IdentityApp.ToolClientSecret}&scope=incidents", "invalid_client" },
        { $"grant_type=client_credentials&client_id={IdentityApp.ToolClientId}&client_secret=wrong-secret-0123456789&scope=incidents", "invalid_client" },
        // OpenIddict answers these three with invalid_request (RFC 6749 5.2 would say invalid_client, invalid_scope, unauthorized_client).
        { $"grant_type=client_credentials&client_id={IdentityApp.ToolClientId}&scope=incidents", "invalid_request" }, // no secret
        { $"grant_type=client_credentials&client_id={IdentityApp.ToolClientId}&client_secret={IdentityApp.ToolClientSecret}&scope=committee", "invalid_request" },
        { "grant_type=client_credentials&client_id=hotline-web&scope=incidents", "invalid_request" }, // a public client
        { "grant_type=authorization_code&client_id=hotline-web&code=not-a-code&code_verifier=x&redirect_uri=http%3A%2F%2F127.0.0.1%2Ftest-signin-callback", "invalid_grant" },
        { "grant_type=refresh_token&client_id=hotline-web&refresh_token=not-a-token", "invalid_grant" },
        { "grant_type=refresh_token&client_id=hotline-web&client_id=other", "invalid_request" }, // a parameter twice
    };

    [Theory]
    [MemberData(nameof(MalformedTokenRequests))]
    public async Task A_malformed_token_request_gets_the_protocol_error(string form, string error)
    {
        var response = await ChangesNothing(() => PostTokenAsync(new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded")));

        await AssertProtocolErrorAsync(response, error);
    }

    [Theory]
    [InlineData("application/json", """{"grant_type":"client_credentials","client_id":"test-tool-kr","client_secret":"test-tool-secret-0123456789"}""")]
    [InlineData("text/plain", "grant_type=client_credentials")]
    [InlineData("multipart/form-data", "--x\r\n")]
    [InlineData("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials")]
    [InlineData("application/x-www-form-urlencoded", "")]
    public async Task A_token_request_that_is_not_a_form_gets_invalid_request(string contentType, string body)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await ChangesNothing(() => PostTokenAsync(content));

        await AssertProtocolErrorAsync(response, "invalid_request");
    }

    public static TheoryData<string, string> UnreadableTokenForms => new()
    {
        { "too many fields", string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")) + "&grant_type=client_credentials" },
        { "a field name too long", new string('k', 3000) + "=1&grant_type=client_credentials" },
    };

    [Theory]
    [MemberData(nameof(UnreadableTokenForms))]
    public async Task An_unreadable_token_form_gets_400_invalid_form(string why, string body)
    {
        var response = await ChangesNothing(() => PostTokenAsync(new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded")));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode}");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-form");
    }

    [Fact]
    public async Task A_wrong_code_verifier_gets_invalid_grant()
    {
        var (code, _) = await AuthorizationCodeAsync();

        var response = await ChangesNothing(() => ExchangeAsync(code, verifier: Base64Url(RandomNumberGenerator.GetBytes(32))));

        await AssertProtocolErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task A_code_for_another_redirect_uri_gets_invalid_grant()
    {
        var (code, verifier) = await AuthorizationCodeAsync();

        var response = await ChangesNothing(() => ExchangeAsync(code, verifier, redirectUri: "http://127.0.0.1/test-signed-out"));

        await AssertProtocolErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task A_reused_authorization_code_gets_invalid_grant_and_ends_what_the_first_use_gave()
    {
        var (code, verifier) = await AuthorizationCodeAsync();
        var first = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refreshToken = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("refresh_token").GetString()!;

        var second = await ExchangeAsync(code, verifier);

        await AssertProtocolErrorAsync(second, "invalid_grant");
        var refused = await Assert.ThrowsAsync<TokenRequestFailedException>(() => SignInDriver.RefreshAsync(Identity.BaseAddress, refreshToken));
        Assert.Contains("\"invalid_grant\"", refused.Body);
    }

    public static TheoryData<string, string, string> BadAuthorizationRequests => new()
    {
        { "unregistered redirect_uri", Authorize(redirectUri: "https://evil.example/callback"), "invalid_request" },
        { "redirect_uri of the sign-out", Authorize(redirectUri: "http://127.0.0.1/test-signed-out"), "invalid_request" },
        { "unknown client", Authorize(clientId: "nobody"), "invalid_request" },
        { "unknown client, evil redirect_uri", Authorize(clientId: "nobody", redirectUri: "https://evil.example/callback"), "invalid_request" },
        { "no client_id", Authorize(clientId: ""), "invalid_request" },
        { "no redirect_uri", Authorize(redirectUri: ""), "invalid_request" },
        { "no code_challenge (PKCE is required)", Authorize(challenge: ""), "invalid_request" },
        { "plain code_challenge_method", Authorize(method: "plain"), "invalid_request" },
        { "implicit flow", Authorize(responseType: "token"), "unsupported_response_type" },
        { "unknown scope", Authorize(scope: "openid made-up"), "invalid_scope" },
    };

    [Theory]
    [MemberData(nameof(BadAuthorizationRequests))]
    public async Task A_bad_authorization_request_gets_an_error_page_and_is_sent_nowhere(string why, string url, string error)
    {
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);

        var response = await ChangesNothing(() => browser.GetAsync(url));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {response.Headers.Location} {body}");
        Assert.Null(response.Headers.Location);
        Assert.Contains(error, body);
    }

    [Fact]
    public async Task The_server_announces_pkce_with_s256_only()
    {
        using var client = new HttpClient { BaseAddress = Identity.BaseAddress };

        var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData("/connect/token", false)]
    [InlineData("/connect/token", true)]
    [InlineData("/account/sign-in", false)]
    [InlineData("/account/sign-in", true)]
    [InlineData("/account/second-factor", false)]
    [InlineData("/account/enrolment", true)]
    public async Task An_oversized_form_post_gets_413_body_too_large(string path, bool chunked)
    {
        var body = Encoding.ASCII.GetBytes("grant_type=client_credentials&userName=" + new string('a', 300 * 1024));
        HttpContent content = chunked ? new ChunkedContent(body) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var client = new HttpClient { BaseAddress = Identity.BaseAddress };

        var response = await ChangesNothing(() => client.PostAsync(path, content));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    public static TheoryData<string, string, string> MalformedSignInPosts => new()
    {
        { "no anti-forgery token", "application/x-www-form-urlencoded", "userName=someone&password=whatever-1234" },
        { "a forged anti-forgery token", "application/x-www-form-urlencoded", "__RequestVerificationToken=CfDJ8forged&userName=someone&password=whatever-1234" },
        { "JSON", "application/json", """{"userName":"someone","password":"whatever-1234"}""" },
        { "plain text", "text/plain", "userName=someone&password=whatever-1234" },
        { "no content type", "", "userName=someone&password=whatever-1234" },
        { "multipart without a boundary", "multipart/form-data", "userName=someone" },
        { "multipart cut short", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"userName\"\r\n\r\nsomeone" },
        { "multipart that is not multipart", "multipart/form-data; boundary=xyz", "userName=someone&password=whatever-1234" },
        { "too many fields", "application/x-www-form-urlencoded", string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=1")) },
        { "a field name too long", "application/x-www-form-urlencoded", new string('k', 3000) + "=1" },
    };

    [Theory]
    [MemberData(nameof(MalformedSignInPosts))]
    public async Task A_malformed_sign_in_post_gets_400_invalid_form_and_records_nothing(string why, string contentType, string body)
    {
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);
        var page = SignInDriver.HiddenFields(await (await browser.GetAsync("/account/sign-in")).Content.ReadAsStringAsync());
        var content = new StringContent(body.Replace("CfDJ8forged", page["__RequestVerificationToken"][..^4] + "AAAA", StringComparison.Ordinal));
        content.Headers.ContentType = contentType.Length == 0 ? null : MediaTypeHeaderValue.Parse(contentType);

        foreach (var path in new[] { "/account/sign-in", "/account/second-factor", "/account/enrolment" })
        {
            var response = await ChangesNothing(() => browser.PostAsync(path, content));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why} at {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-form");
        }
    }

    [Fact]
    public async Task A_sign_in_post_with_the_token_of_another_browser_gets_400_invalid_form()
    {
        var (_, credentials) = await Identity.PersonAsync("bad-input-officer", "KR", HotlineRoles.LiaisonOfficer);
        using var attacker = SignInDriver.NewBrowser(Identity.BaseAddress);
        using var victim = SignInDriver.NewBrowser(Identity.BaseAddress);
        await victim.GetAsync("/account/sign-in");
        var fields = SignInDriver.HiddenFields(await (await attacker.GetAsync("/account/sign-in")).Content.ReadAsStringAsync());
        fields["userName"] = credentials.UserName;
        fields["password"] = credentials.Password;

        var response = await ChangesNothing(() => victim.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields)));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-form");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("https:evil.example")]
    [InlineData(" //evil.example")]
    [InlineData("/account/signed-in\r\nLocation: https://evil.example")]
    public async Task An_open_redirect_attempt_lands_on_the_signed_in_page(string returnUrl)
    {
        var (_, credentials) = await Identity.PersonAsync("redirect-officer", "KR", HotlineRoles.LiaisonOfficer);

        // Through the page's link, and through a form that the attacker wrote.
        using var linked = SignInDriver.NewBrowser(Identity.BaseAddress);
        var page = await linked.GetAsync("/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var fields = SignInDriver.HiddenFields(await page.Content.ReadAsStringAsync());
        Assert.Equal(SignedIn, fields["returnUrl"]);
        fields["userName"] = credentials.UserName;
        fields["password"] = credentials.Password;
        var viaLink = await linked.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));

        using var forged = SignInDriver.NewBrowser(Identity.BaseAddress);
        fields = SignInDriver.HiddenFields(await (await forged.GetAsync("/account/sign-in")).Content.ReadAsStringAsync());
        fields["returnUrl"] = returnUrl;
        fields["userName"] = credentials.UserName;
        fields["password"] = credentials.Password;
        var viaForm = await forged.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));

        Assert.Equal(SignedIn, viaLink.Headers.Location?.OriginalString);
        Assert.Equal(SignedIn, viaForm.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_open_redirect_attempt_through_the_second_factor_lands_on_the_signed_in_page()
    {
        var (_, credentials) = await Identity.PersonAsync("redirect-official", "KR", HotlineRoles.Official);
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);
        var fields = SignInDriver.HiddenFields(await (await browser.GetAsync("/account/sign-in")).Content.ReadAsStringAsync());
        fields["userName"] = credentials.UserName;
        fields["password"] = credentials.Password;
        var password = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));

        var page = await browser.GetAsync("/account/second-factor?returnUrl=" + Uri.EscapeDataString("//evil.example"));
        fields = SignInDriver.HiddenFields(await page.Content.ReadAsStringAsync());
        Assert.Equal(SignedIn, fields["returnUrl"]);
        fields["returnUrl"] = "https://evil.example";
        fields["code"] = credentials.CurrentCode();
        var code = await browser.PostAsync("/account/second-factor", new FormUrlEncodedContent(fields));

        Assert.StartsWith("/account/second-factor", password.Headers.Location!.OriginalString);
        Assert.Equal(SignedIn, code.Headers.Location?.OriginalString);
    }

    private static async Task<HttpResponseMessage> PostTokenAsync(HttpContent content)
    {
        using var client = new HttpClient { BaseAddress = Identity.BaseAddress };
        return await client.PostAsync("/connect/token", content);
    }

    private static Task<HttpResponseMessage> ExchangeAsync(string code, string verifier, string redirectUri = SignInDriver.RedirectUri) =>
        PostTokenAsync(new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SignInDriver.ConsoleClientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }));

    /// <summary>A code from the real flow, not yet exchanged, and its PKCE verifier.</summary>
    private static async Task<(string Code, string Verifier)> AuthorizationCodeAsync()
    {
        var (_, credentials) = await Identity.PersonAsync("bad-input-officer", "KR", HotlineRoles.LiaisonOfficer);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        using var browser = SignInDriver.NewBrowser(Identity.BaseAddress);
        var callback = await SignInDriver.SignInAsync(browser,
            new Uri(Identity.BaseAddress, Authorize(challenge: Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), scope: "openid offline_access incidents")),
            credentials);
        return (System.Web.HttpUtility.ParseQueryString(callback.Query)["code"]!, verifier);
    }

    private static string Authorize(
        string clientId = SignInDriver.ConsoleClientId, string redirectUri = SignInDriver.RedirectUri, string responseType = "code",
        string scope = "openid", string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", string method = "S256")
    {
        var parameters = new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = responseType,
            ["scope"] = scope,
            ["state"] = "s",
            ["nonce"] = "n",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = method,
        };
        return "/connect/authorize?" + string.Join('&', parameters.Where(p => p.Value.Length > 0).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    private static async Task AssertProtocolErrorAsync(HttpResponseMessage response, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
    }

    /// <summary>Runs a refused request and checks that no authorization, token or security event came of it.</summary>
    private static async Task<HttpResponseMessage> ChangesNothing(Func<Task<HttpResponseMessage>> request)
    {
        var before = await RecordCountsAsync();
        var response = await request();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(before, await RecordCountsAsync());
        return response;
    }

    private static Task<(int Authorizations, int Tokens, int SecurityEvents, int UsersChanged)> RecordCountsAsync() =>
        Identity.InDatabase(async db => (
            await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().CountAsync(),
            await db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync(),
            await db.SecurityEvents.CountAsync(),
            await db.Users.SumAsync(u => u.Version + u.AccessFailedCount)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A body sent without Content-Length (chunked): the server's own limit must stop it while reading.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
