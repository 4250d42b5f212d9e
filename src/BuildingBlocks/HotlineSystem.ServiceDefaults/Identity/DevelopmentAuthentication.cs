using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineSystem.ServiceDefaults.Identity;

/// <summary>
/// THE ONLY PLACE where a caller can say who they are without a token. It exists until the
/// Identity service brings OpenID Connect (issue 3) and is registered only when the host's
/// environment is Development or Testing (see <see cref="ServiceDefaultsExtensions"/>): the
/// distributed mode runs in Production, where it does not exist.
/// A request names its user in headers: X-Hotline-User, X-Hotline-Party, X-Hotline-Roles (comma separated).
/// </summary>
public sealed class DevelopmentAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Development";
    public const string UserHeader = "X-Hotline-User";
    public const string PartyHeader = "X-Hotline-Party";
    public const string RolesHeader = "X-Hotline-Roles";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers[UserHeader].ToString();
        var party = Request.Headers[PartyHeader].ToString();
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrWhiteSpace(party))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim>
        {
            new(HotlineClaims.Subject, user),
            new(HotlineClaims.Name, user),
            new(HotlineClaims.Party, party.ToUpperInvariant()),
        };
        claims.AddRange(Request.Headers[RolesHeader].ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(role => new Claim(HotlineClaims.Role, role)));

        var identity = new ClaimsIdentity(claims, SchemeName, HotlineClaims.Name, HotlineClaims.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
