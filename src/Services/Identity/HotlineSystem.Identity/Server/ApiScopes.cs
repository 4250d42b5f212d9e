using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HotlineSystem.Identity.Server;

/// <summary>
/// The APIs a token can be asked for: each scope names one API, whose audience the access token then
/// carries, so that a token for one service is refused by every other.
/// </summary>
public static class ApiScopes
{
    public static readonly IReadOnlyDictionary<string, string> Audiences = new Dictionary<string, string>
    {
        ["incidents"] = "incidents-api",
        ["identity"] = IdentityModule.Audience,
        ["escalation"] = "escalation-api",
        ["notifications"] = "notifications-api",
        ["committee"] = "committee-api",
    };

    /// <summary>What the web console may ask for: every API, plus who the user is and staying signed in.</summary>
    public static IEnumerable<string> ForConsole => [Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, .. Audiences.Keys];
}
