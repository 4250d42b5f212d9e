namespace HotlineSystem.Web.Components.Administration;

/// <summary>The roles a person holds within their party, and the tiers an Official is reached at (domain.md), as the APIs name them.</summary>
public static class PartyRoles
{
    public const string LiaisonOfficer = "LiaisonOfficer";
    public const string Official = "Official";
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [LiaisonOfficer, "CommitteeMember", "CoChair", Official, Administrator];

    /// <summary>Lowest first.</summary>
    public static readonly IReadOnlyList<string> OfficialTiers = ["DirectorGeneral", "ViceMinister", "Minister"];
}
