using HotlineSystem.Web.Apis;

namespace HotlineSystem.Web.Components.Administration;

/// <summary>Whom a tier notifies: the on-duty holder of a role of a party (through its roster), or named people.</summary>
public enum TierTarget
{
    Role,
    People,
}

/// <summary>
/// A tier as the policy editor holds it while the administrator edits: the wait as hours and minutes
/// (any wait; seconds the API gave beyond whole minutes are kept, so a save changes only what was
/// edited), and both kinds of target, of which the chosen one is sent.
/// </summary>
public sealed class TierDraft
{
    public const string Official = "Official";

    public TierTarget Target { get; set; } = TierTarget.Role;

    public string? Party { get; set; }

    public string? Role { get; set; }

    public string? OfficialTier { get; set; }

    public IReadOnlyCollection<string> UserIds { get; set; } = [];

    public int? WaitHours { get; set; }

    public int? WaitMinutes { get; set; }

    public TimeSpan WaitSeconds { get; set; }

    public bool Important { get; set; }

    /// <summary>The wait as the API takes it; null when neither hours nor minutes are given (the server asks for one).</summary>
    public TimeSpan? Wait => WaitHours is null && WaitMinutes is null
        ? null
        : TimeSpan.FromHours(WaitHours ?? 0) + TimeSpan.FromMinutes(WaitMinutes ?? 0) + WaitSeconds;

    public static TierDraft From(PolicyTier tier)
    {
        var (hours, minutes, seconds) = Split(tier.Wait);
        return new TierDraft
        {
            Target = tier.UserIds is { Count: > 0 } ? TierTarget.People : TierTarget.Role,
            Party = tier.Party,
            Role = tier.Role,
            OfficialTier = tier.OfficialTier,
            UserIds = tier.UserIds ?? [],
            WaitHours = hours,
            WaitMinutes = minutes,
            WaitSeconds = seconds,
            Important = tier.Important,
        };
    }

    /// <summary>Whole hours (a wait of two days is 48), the minutes beyond them, and what is left below a minute.</summary>
    public static (int Hours, int Minutes, TimeSpan Seconds) Split(TimeSpan wait)
    {
        var hours = (int)Math.Floor(wait.TotalHours);
        var minutes = wait.Minutes;
        return (hours, minutes, wait - TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(minutes));
    }

    public PolicyTierChange ToChange() => Target == TierTarget.Role
        ? new PolicyTierChange(Party, Role, Role == Official ? OfficialTier : null, null, Wait, Important)
        : new PolicyTierChange(null, null, null, [.. UserIds], Wait, Important);
}

/// <summary>
/// A policy as the editor holds it: tiers in order (added, removed, moved), the number of times the
/// last tier repeats, and an optional confirmation window, turned into the PUT request on save.
/// </summary>
public sealed class PolicyDraft
{
    public const int MaxRepeats = 10;

    public List<TierDraft> Tiers { get; } = [];

    public int RepeatLastTier { get; set; }

    public int? ConfirmationHours { get; set; }

    public int? ConfirmationMinutes { get; set; }

    /// <summary>The version the editor started from; null for a policy that does not exist yet.</summary>
    public int? Version { get; private init; }

    public TimeSpan? ConfirmationWindow => ConfirmationHours is null && ConfirmationMinutes is null
        ? null
        : TimeSpan.FromHours(ConfirmationHours ?? 0) + TimeSpan.FromMinutes(ConfirmationMinutes ?? 0);

    /// <summary>The policy as it stands, or for a new one a first tier: the counterpart's on-duty liaison officer after 15 minutes.</summary>
    public static PolicyDraft From(EscalationPolicyView? policy, string counterpart)
    {
        if (policy is null)
        {
            var draft = new PolicyDraft();
            draft.Tiers.Add(new TierDraft { Party = counterpart, Role = "LiaisonOfficer", WaitHours = 0, WaitMinutes = 15 });
            return draft;
        }

        var (hours, minutes, _) = policy.ConfirmationWindow is { } window ? TierDraft.Split(window) : (0, 0, TimeSpan.Zero);
        var loaded = new PolicyDraft
        {
            RepeatLastTier = policy.RepeatLastTier,
            ConfirmationHours = policy.ConfirmationWindow is null ? null : hours,
            ConfirmationMinutes = policy.ConfirmationWindow is null ? null : minutes,
            Version = policy.Version,
        };
        loaded.Tiers.AddRange(policy.Tiers.Select(TierDraft.From));
        return loaded;
    }

    /// <summary>A new last tier, by default the same target as the tier before it, waiting twice as long.</summary>
    public TierDraft Add()
    {
        var previous = Tiers.LastOrDefault();
        var tier = new TierDraft
        {
            Target = previous?.Target ?? TierTarget.Role,
            Party = previous?.Party,
            Role = previous?.Role,
            OfficialTier = previous?.OfficialTier,
            WaitHours = previous is { Wait: { } wait } ? TierDraft.Split(wait * 2).Hours : 0,
            WaitMinutes = previous is { Wait: { } doubled } ? TierDraft.Split(doubled * 2).Minutes : 15,
        };
        Tiers.Add(tier);
        return tier;
    }

    public void Remove(int index) => Tiers.RemoveAt(index);

    /// <summary>Moves a tier up (by −1) or down (by +1); nothing moves past either end.</summary>
    public bool Move(int index, int by)
    {
        var target = index + by;
        if (index < 0 || index >= Tiers.Count || target < 0 || target >= Tiers.Count)
        {
            return false;
        }

        (Tiers[index], Tiers[target]) = (Tiers[target], Tiers[index]);
        return true;
    }

    public PolicyChange ToChange() => new([.. Tiers.Select(t => t.ToChange())], RepeatLastTier, ConfirmationWindow);
}
