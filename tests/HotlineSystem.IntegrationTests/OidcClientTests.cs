using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Duende.IdentityModel.OidcClient;
using Duende.IdentityModel.OidcClient.Browser;
using Duende.IdentityModel.OidcClient.Results;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// A standard OpenID Connect client that we did not write (Duende.IdentityModel.OidcClient) runs
/// discovery and the authorization code + PKCE flow against the real server, through the real
/// sign-in pages; the Incidents API accepts what it gets.
/// </summary>
public sealed class OidcClientTests(IncidentsAppFixture fixture) : IClassFixture<IncidentsAppFixture>
{
    private readonly IncidentsApp _incidents = fixture.App;

    [Fact]
    public async Task A_liaison_officer_signs_in_with_the_library_and_the_incidents_api_accepts_the_token()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("oidc-officer"), "KR", HotlineRoles.LiaisonOfficer);

        var login = await NewClient(credentials).LoginAsync(new LoginRequest());

        Assert.False(login.IsError, $"{login.Error}: {login.ErrorDescription}");
        Assert.Equal("KR", login.User.FindFirst(HotlineClaims.Party)?.Value);
        Assert.Equal("pwd", login.User.FindFirst("amr")?.Value);
        Assert.Equal("KR", Claim(login.AccessToken, HotlineClaims.Party));
        Assert.Equal(HttpStatusCode.OK, await ListIncidentsAsync(login.AccessToken));
    }

    [Fact]
    public async Task A_co_chair_signs_in_with_the_library_through_the_authenticator_step()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("oidc-cochair"), "CN", HotlineRoles.LiaisonOfficer, HotlineRoles.CoChair);

        var login = await NewClient(credentials).LoginAsync(new LoginRequest());

        Assert.False(login.IsError, $"{login.Error}: {login.ErrorDescription}");
        Assert.Equal("CN", login.User.FindFirst(HotlineClaims.Party)?.Value);
        Assert.Equal("mfa", Claim(login.AccessToken, "amr")); // the server saw the authenticator code
        Assert.Equal(HttpStatusCode.OK, await ListIncidentsAsync(login.AccessToken));
    }

    [Fact]
    public async Task The_library_refreshes_and_the_new_access_token_works()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("oidc-refresh"), "KR", HotlineRoles.LiaisonOfficer);
        var client = NewClient(credentials);
        var login = await client.LoginAsync(new LoginRequest());
        Assert.False(login.IsError, $"{login.Error}: {login.ErrorDescription}");

        var refreshed = await client.RefreshTokenAsync(login.RefreshToken);

        Assert.False(refreshed.IsError, $"{refreshed.Error}: {refreshed.ErrorDescription}");
        Assert.NotEqual(login.AccessToken, refreshed.AccessToken);
        Assert.NotEqual(login.RefreshToken, refreshed.RefreshToken);
        Assert.Equal("KR", Claim(refreshed.AccessToken, HotlineClaims.Party));
        Assert.Equal(HttpStatusCode.OK, await ListIncidentsAsync(refreshed.AccessToken));
    }

    [Fact]
    public async Task The_id_token_validator_the_client_uses_refuses_a_tampered_signature()
    {
        var (_, credentials) = await Identity.PersonAsync(Unique("oidc-tamper"), "KR", HotlineRoles.LiaisonOfficer);
        var client = NewClient(credentials);
        var login = await client.LoginAsync(new LoginRequest());
        Assert.False(login.IsError, $"{login.Error}: {login.ErrorDescription}");

        var validator = client.Options.IdentityTokenValidator;
        var genuine = await validator.ValidateAsync(login.IdentityToken, client.Options);
        var tampered = await validator.ValidateAsync(Tamper(login.IdentityToken), client.Options);

        Assert.False(genuine.IsError, genuine.Error);
        Assert.True(tampered.IsError);
    }

    private static IdentityApp Identity => IncidentsApp.Identity;

    private static OidcClient NewClient(Credentials credentials)
    {
        var options = new OidcClientOptions
        {
            Authority = Identity.Authority,
            ClientId = SignInDriver.ConsoleClientId,
            RedirectUri = SignInDriver.RedirectUri,
            Scope = "openid profile offline_access incidents",
            Browser = new SignInPagesBrowser(Identity.BaseAddress, credentials),
            // The library ships no signature check of its own (its default validator is null and
            // RequireIdentityTokenSignature false): ours checks the id token against the published keys.
            IdentityTokenValidator = new PublishedKeysIdentityTokenValidator(),
        };
        options.Policy.Discovery.RequireHttps = false; // loopback
        options.Policy.RequireIdentityTokenSignature = true;
        return new OidcClient(options);
    }

    private async Task<HttpStatusCode> ListIncidentsAsync(string accessToken)
    {
        using var client = _incidents.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (await client.GetAsync("/api/incidents")).StatusCode;
    }

    private static string? Claim(string jwt, string type) =>
        new JsonWebTokenHandler().ReadJsonWebToken(jwt).Claims.FirstOrDefault(c => c.Type == type)?.Value;

    private static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{parts[1]}.{new string(signature)}";
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>The library's browser: the person at the real sign-in pages, until the server sends them back to the client.</summary>
    private sealed class SignInPagesBrowser(Uri server, Credentials credentials) : IBrowser
    {
        public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
        {
            using var browser = SignInDriver.NewBrowser(server);
            var callback = (await SignInDriver.SignInAsync(browser, new Uri(options.StartUrl), credentials)).ToString();
            return callback.StartsWith(options.EndUrl, StringComparison.Ordinal)
                ? new BrowserResult { ResultType = BrowserResultType.Success, Response = callback }
                : new BrowserResult { ResultType = BrowserResultType.UnknownError, Error = $"Sent to {callback}, not to {options.EndUrl}" };
        }
    }

    /// <summary>
    /// Checks the id token as OpenID Connect Core 3.1.3.7 asks: signed by a key of the JWKS the library
    /// fetched in discovery, issued by the discovered issuer, for this client, not expired.
    /// </summary>
    private sealed class PublishedKeysIdentityTokenValidator : IIdentityTokenValidator
    {
        public async Task<IdentityTokenValidationResult> ValidateAsync(string identityToken, OidcClientOptions options, CancellationToken cancellationToken = default)
        {
            var keys = new JsonWebKeySet(options.ProviderInformation.KeySet.RawData).GetSigningKeys();
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(identityToken, new TokenValidationParameters
            {
                ValidIssuer = options.ProviderInformation.IssuerName,
                ValidAudience = options.ClientId,
                IssuerSigningKeys = keys,
                ValidAlgorithms = options.Policy.ValidSignatureAlgorithms,
                NameClaimType = "name",
                RoleClaimType = "role",
            });
            return result.IsValid
                ? new IdentityTokenValidationResult
                {
                    User = new ClaimsPrincipal(result.ClaimsIdentity),
                    SignatureAlgorithm = ((JsonWebToken)result.SecurityToken).Alg,
                }
                : new IdentityTokenValidationResult { Error = result.Exception?.Message ?? "invalid id token" };
        }
    }
}
