using System.Security.Claims;
using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults.Identity;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HotlineSystem.Identity.Server;

/// <summary>The claims a token carries: who (sub, name), of which party, in which roles; for what APIs (audiences).</summary>
internal static class HotlinePrincipal
{
    public const string AuthenticationMethod = HotlineClaims.AuthenticationMethod;

    public const string AuthenticationTime = HotlineClaims.AuthenticationTime;

    /// <summary>The person's claims, with how (<paramref name="authenticationMethod"/>) and when (<paramref name="authenticationTime"/>, unix seconds) they signed in.</summary>
    public static ClaimsIdentity ForUser(HotlineUser user, IEnumerable<string> scopes, string authenticationMethod, string? authenticationTime)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(HotlineClaims.Party, user.Party)
            .SetClaim(HotlineClaims.OfficialTier, user.OfficialTier)
            .SetClaim(AuthenticationMethod, authenticationMethod)
            .SetClaims(Claims.Role, [.. user.Roles]);
        if (long.TryParse(authenticationTime, out var seconds))
        {
            identity.AddClaim(new Claim(AuthenticationTime, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        return WithScopes(identity, scopes);
    }

    /// <summary>A service or tool (client credentials), acting for the party its registration names.</summary>
    public static ClaimsIdentity ForClient(string clientId, string? displayName, string party, IEnumerable<string> roles, IEnumerable<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId)
            .SetClaim(Claims.Name, displayName ?? clientId)
            .SetClaim(HotlineClaims.Party, party)
            .SetClaims(Claims.Role, [.. roles]);
        return WithScopes(identity, scopes);
    }

    /// <summary>On refresh: the same grant, with the person's current party, roles and tier (a revoked role ends here).</summary>
    public static ClaimsIdentity Refresh(ClaimsPrincipal granted, HotlineUser user)
    {
        var identity = new ClaimsIdentity(granted.Claims, authenticationType: "OpenIddict.Server.AspNetCore", nameType: Claims.Name, roleType: Claims.Role);
        identity.SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(HotlineClaims.Party, user.Party)
            .SetClaim(HotlineClaims.OfficialTier, user.OfficialTier)
            .SetClaims(Claims.Role, [.. user.Roles]);
        identity.SetDestinations(DestinationsOf);
        return identity;
    }

    private static ClaimsIdentity NewIdentity() =>
        new(authenticationType: "OpenIddict.Server.AspNetCore", nameType: Claims.Name, roleType: Claims.Role);

    private static ClaimsIdentity WithScopes(ClaimsIdentity identity, IEnumerable<string> scopes)
    {
        var granted = scopes.ToList();
        identity.SetScopes(granted);
        identity.SetResources(granted.Where(ApiScopes.Audiences.ContainsKey).Select(scope => ApiScopes.Audiences[scope]));
        identity.SetDestinations(DestinationsOf);
        return identity;
    }

    private static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Name or Claims.PreferredUsername or HotlineClaims.Party or Claims.Role or HotlineClaims.OfficialTier or AuthenticationMethod or AuthenticationTime
            when claim.Subject?.HasScope(Scopes.Profile) == true => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [Destinations.AccessToken],
    };
}
