using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Identity;

namespace HotlineSystem.Identity.Domain;

/// <summary>
/// A person who uses the hotline: always of exactly one party, holding one or more roles.
/// ASP.NET Core Identity keeps the password hash, lockout state and authenticator key; the rules of
/// the hotline (party, roles, tier, disabling) live here, and each change raises UserAccountChanged.
/// </summary>
public sealed class HotlineUser : IdentityUser<Guid>, IEventSource
{
    private readonly List<object> _events = [];

    private HotlineUser()
    {
    }

    public string Party { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public List<string> Roles { get; private set; } = [];

    /// <summary>The tier at which an Official receives escalations; null for anyone who is not an Official.</summary>
    public string? OfficialTier { get; private set; }

    /// <summary>A disabled account cannot sign in, and its tokens are revoked.</summary>
    public bool Active { get; private set; } = true;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Counts the changes of party, roles and state (not of sign-in bookkeeping).</summary>
    public int Version { get; private set; }

    public IReadOnlyList<object> Events => _events;

    /// <summary>Whether the holder must sign in with a second factor (TOTP): Official, CoChair, Administrator.</summary>
    public bool RequiresSecondFactor => Roles.Any(HotlineRoles.RequiringSecondFactor.Contains);

    public static HotlineUser Register(string userName, string displayName, string? email, string party, IEnumerable<string> roles, string? officialTier, DateTimeOffset now)
    {
        RequireTier(roles.Contains(HotlineRoles.Official) ? officialTier : "", officialTier);
        var user = new HotlineUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = userName,
            Email = email,
            Party = party,
            DisplayName = displayName,
            Roles = roles.Distinct().ToList(),
            CreatedAt = now,
            LockoutEnabled = true,
        };
        user.OfficialTier = user.Roles.Contains(HotlineRoles.Official) ? officialTier : null;
        user.Changed(now);
        return user;
    }

    public void GrantRole(string role, string? officialTier, DateTimeOffset now)
    {
        RequireTier(role == HotlineRoles.Official ? officialTier : "", officialTier);
        if (Roles.Contains(role) && (role != HotlineRoles.Official || officialTier == OfficialTier))
        {
            throw RuleViolation.Conflict("role-already-held", $"The user already holds {role}.");
        }

        if (!Roles.Contains(role))
        {
            Roles = [.. Roles, role];
        }

        if (role == HotlineRoles.Official)
        {
            OfficialTier = officialTier;
        }

        Changed(now);
    }

    public void RevokeRole(string role, DateTimeOffset now)
    {
        if (!Roles.Contains(role))
        {
            throw RuleViolation.Conflict("role-not-held", $"The user does not hold {role}.");
        }

        if (Roles.Count == 1)
        {
            throw RuleViolation.Conflict("last-role", "A user holds at least one role: disable the account instead.");
        }

        Roles = Roles.Where(r => r != role).ToList();
        if (role == HotlineRoles.Official)
        {
            OfficialTier = null;
        }

        Changed(now);
    }

    public void Disable(DateTimeOffset now)
    {
        if (!Active)
        {
            throw RuleViolation.Conflict("already-disabled", "The account is already disabled.");
        }

        Active = false;
        Changed(now);
    }

    public void Enable(DateTimeOffset now)
    {
        if (Active)
        {
            throw RuleViolation.Conflict("already-enabled", "The account is already enabled.");
        }

        Active = true;
        Changed(now);
    }

    IReadOnlyList<object> IEventSource.DequeueEvents()
    {
        var events = _events.ToList();
        _events.Clear();
        return events;
    }

    /// <summary>An Official is reached at a tier, so an Official without one (or a tier that is not one) cannot exist.</summary>
    private static void RequireTier(string? tierIfOfficial, string? officialTier)
    {
        if (tierIfOfficial is null || (officialTier is not null && !OfficialTiers.All.Contains(officialTier)))
        {
            throw RuleViolation.Conflict("official-tier-required", "An Official needs a tier: DirectorGeneral, ViceMinister or Minister.");
        }
    }

    /// <summary>The account as it stands, for a directory replay.</summary>
    public UserAccountChanged Announcement(DateTimeOffset now) =>
        new(Id.ToString(), Version, UserName!, DisplayName, Party, Roles.ToList(), OfficialTier, Active, now);

    private void Changed(DateTimeOffset now)
    {
        Version++;
        _events.Add(Announcement(now));
    }
}
