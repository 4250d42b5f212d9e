using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace HotlineSystem.Web.Security;

/// <summary>
/// Sign-in as a backend for frontend (docs/security.md, "The web console"): authorization code with
/// PKCE against the Identity service; the tokens stay on the server (<see cref="ConsoleSessions"/>),
/// the browser holds only an HttpOnly cookie that names its session.
/// </summary>
public static class ConsoleAuthentication
{
    public const string CookieScheme = "HotlineConsole";
    public const string OidcScheme = "HotlineConsoleOidc";

    /// <summary>Every page and the console's circuit: a person signed in to the console.</summary>
    public const string Policy = "HotlineConsole";

    /// <summary>The claim that names a console session; its tokens are kept under it.</summary>
    public const string SessionClaim = "console_session";

    public const string SignInCallbackPath = "/console/signin-callback";
    public const string SignedOutCallbackPath = "/console/signout-callback";

    public static IServiceCollection AddConsoleAuthentication(this IServiceCollection services, ConsoleSettings settings)
    {
        services.AddSingleton<ConsoleSessions>();
        services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "hotline-console";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax; // the sign-in callback arrives from the Identity server's redirect
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = false;
                cookie.ForwardChallenge = OidcScheme;
                cookie.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<ConsoleSessions>().KeepAsync(context);
            })
            .AddOpenIdConnect(OidcScheme, oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.SignOutScheme = CookieScheme;
                oidc.Authority = settings.Authority.AbsoluteUri;
                oidc.RequireHttpsMetadata = settings.RequireHttps;
                oidc.ClientId = settings.ClientId;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.UsePkce = true;
                // The code comes back in the address (a GET), so the handler's own cookies can be SameSite=Lax:
                // a form post from the Identity server would need SameSite=None, which browsers allow over HTTPS only.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.CallbackPath = SignInCallbackPath;
                oidc.SignedOutCallbackPath = SignedOutCallbackPath;
                oidc.SignedOutRedirectUri = "/";
                oidc.SaveTokens = true;
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.TokenValidationParameters.RoleClaimType = "role";
                oidc.Scope.Clear();
                foreach (var scope in ConsoleSettings.Scopes)
                {
                    oidc.Scope.Add(scope);
                }

                // The Identity service's pages in the console's language (OpenID Connect ui_locales).
                oidc.Events.OnRedirectToIdentityProvider = context =>
                {
                    context.ProtocolMessage.UiLocales = CultureInfo.CurrentUICulture.Name;
                    return Task.CompletedTask;
                };
                oidc.Events.OnTokenValidated = context =>
                {
                    // A new session: its name in the cookie, its tokens on the server.
                    if (context.Principal?.Identity is ClaimsIdentity identity)
                    {
                        identity.AddClaim(new Claim(SessionClaim, Guid.NewGuid().ToString("N")));
                    }

                    return Task.CompletedTask;
                };
            });

        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(SessionClaim));
        return services;
    }

    /// <summary>Who a principal is, in the console's words.</summary>
    public static ConsolePerson PersonOf(ClaimsPrincipal principal) => new(
        principal.FindFirstValue("sub") ?? "",
        principal.FindFirstValue("name") ?? principal.FindFirstValue("preferred_username") ?? "",
        principal.FindFirstValue("party") ?? "",
        [.. principal.FindAll("role").Select(role => role.Value)],
        principal.FindFirstValue(SessionClaim) ?? "");

    /// <summary>Where to come back to; <paramref name="again"/> asks the Identity service to sign the person in anew (prompt=login).</summary>
    public static AuthenticationProperties SignInProperties(string? returnUrl, bool again = false) =>
        again
            ? new OpenIdConnectChallengeProperties { RedirectUri = LocalOrHome(returnUrl), Prompt = "login" }
            : new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) };

    /// <summary>Only a path of this site: a sign-in link must not send a person elsewhere.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}

/// <summary>The signed-in person: their party and roles decide what the console offers.</summary>
public sealed record ConsolePerson(string UserId, string Name, string Party, IReadOnlyList<string> Roles, string Session)
{
    public bool IsIn(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
