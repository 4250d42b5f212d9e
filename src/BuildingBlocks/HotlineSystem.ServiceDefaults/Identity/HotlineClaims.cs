using System.Security.Claims;

namespace HotlineSystem.ServiceDefaults.Identity;

/// <summary>The claim types every service reads: the same names the OpenID Connect tokens carry.</summary>
public static class HotlineClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Party = "party";
    public const string Role = "role";
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
}

/// <summary>Who is acting: a person of exactly one party.</summary>
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
