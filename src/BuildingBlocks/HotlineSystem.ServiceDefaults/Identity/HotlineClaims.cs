using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace HotlineSystem.ServiceDefaults.Identity;

/// <summary>The claim types every service reads: the names the Identity service's access tokens carry.</summary>
public static class HotlineClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Party = "party";
    public const string Role = "role";
    public const string Audience = "aud";

    /// <summary>The Official's tier (DirectorGeneral, ViceMinister, Minister), for officials only.</summary>
    public const string OfficialTier = "official_tier";

    /// <summary>"mfa" when the person signed in with the second factor, "pwd" otherwise (RFC 8176).</summary>
    public const string AuthenticationMethod = "amr";

    /// <summary>When the person signed in, in seconds since 1970 (OpenID Connect Core §2); a refresh keeps it.</summary>
    public const string AuthenticationTime = "auth_time";

    /// <summary>
    /// When the caller last proved their second factor: the sign-in time of a token with <c>amr: mfa</c>,
    /// or null (signed in with a password only, or a tool's client).
    /// </summary>
    public static DateTimeOffset? SecondFactorAt(ClaimsPrincipal principal) =>
        principal.FindAll(AuthenticationMethod).Any(claim => claim.Value == "mfa")
            && long.TryParse(principal.FindFirstValue(AuthenticationTime), out var seconds)
            && seconds is > 0 and < 253402300800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}

/// <summary>The roles of domain.md ("Parties, channels, people").</summary>
public static class HotlineRoles
{
    public const string LiaisonOfficer = "LiaisonOfficer";
    public const string CommitteeMember = "CommitteeMember";
    public const string CoChair = "CoChair";
    public const string Official = "Official";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [LiaisonOfficer, CommitteeMember, CoChair, Official, Administrator];

    /// <summary>
    /// The deployment's operator, who registers parties: a role of a tool client only, never of a
    /// person (it is not in <see cref="All"/>, so no administrator can grant it).
    /// </summary>
    public const string Operator = "Operator";

    /// <summary>Roles whose holders must sign in with a second factor (TOTP).</summary>
    public static readonly IReadOnlyList<string> RequiringSecondFactor = [Official, CoChair, Administrator];
}

/// <summary>The tiers an Official is reached at, lowest first (domain.md: "Director-General, Vice-Minister, Minister").</summary>
public static class OfficialTiers
{
    public const string DirectorGeneral = "DirectorGeneral";
    public const string ViceMinister = "ViceMinister";
    public const string Minister = "Minister";

    public static readonly IReadOnlyList<string> All = [DirectorGeneral, ViceMinister, Minister];
}

/// <summary>Who is acting: a person (or a tool's client) of exactly one party.</summary>
public sealed record CurrentUser(string UserId, string Name, string Party)
{
    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(HotlineClaims.Subject)
            ?? throw new InvalidOperationException("An authenticated principal without a subject claim.");
        var party = principal.FindFirstValue(HotlineClaims.Party)
            ?? throw new InvalidOperationException("An authenticated principal without a party claim.");
        return new CurrentUser(id, principal.FindFirstValue(HotlineClaims.Name) ?? id, party);
    }
}

public static class HotlinePolicies
{
    /// <summary>
    /// The start of every service's policies: a token issued for this API (its audience), of a person
    /// or tool that belongs to a party. Roles are added by the policy itself.
    /// </summary>
    public static AuthorizationPolicyBuilder RequireApi(this AuthorizationPolicyBuilder policy, string audience) =>
        policy.RequireAuthenticatedUser()
            .RequireClaim(HotlineClaims.Audience, audience)
            .RequireClaim(HotlineClaims.Party);
}
