using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Escalation.Policies;

/// <summary>
/// One step of a policy: whom to notify — the on-duty holder of a role of a party (through the duty
/// roster at that moment), or named people — after how long without acknowledgement (any duration,
/// counted from the previous step), and whether it is "important".
/// </summary>
public sealed record EscalationTier(string? Party, string? Role, string? OfficialTier, IReadOnlyList<string>? UserIds, TimeSpan Wait, bool Important);

/// <summary>What an escalation freezes when it starts: later edits of the policy do not reach it.</summary>
public sealed record PolicySnapshot(Guid PolicyId, int PolicyVersion, Severity Severity, IReadOnlyList<EscalationTier> Tiers, int RepeatLastTier, TimeSpan? ConfirmationWindow);

/// <summary>
/// How a party escalates its unacknowledged incidents of one severity on one channel: an ordered
/// list of tiers, the last repeated up to N times, and optionally a confirmation window (an
/// acknowledgement not confirmed in time reverts and escalation resumes). Managed by the party's
/// administrators; each edit is a new version.
/// </summary>
public sealed class EscalationPolicy
{
    private EscalationPolicy()
    {
    }

    public Guid Id { get; private set; }

    public string Channel { get; private set; } = "";

    /// <summary>The party whose incidents this policy escalates (the reporting party), and whose administrators edit it.</summary>
    public string OwnerParty { get; private set; } = "";

    public Severity Severity { get; private set; }

    public List<EscalationTier> Tiers { get; private set; } = [];

    public int RepeatLastTier { get; private set; }

    public TimeSpan? ConfirmationWindow { get; private set; }

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public static EscalationPolicy Create(string channel, string ownerParty, Severity severity, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), Channel = channel, OwnerParty = ownerParty, Severity = severity };

    public void Define(IEnumerable<EscalationTier> tiers, int repeatLastTier, TimeSpan? confirmationWindow, string by, DateTimeOffset now)
    {
        Tiers = tiers.ToList();
        RepeatLastTier = repeatLastTier;
        ConfirmationWindow = confirmationWindow;
        UpdatedBy = by;
        UpdatedAt = now;
        Version++;
    }

    public PolicySnapshot Snapshot() => new(Id, Version, Severity, Tiers.ToList(), RepeatLastTier, ConfirmationWindow);
}
