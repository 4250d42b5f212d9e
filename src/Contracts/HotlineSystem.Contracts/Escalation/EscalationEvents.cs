namespace HotlineSystem.Contracts.Escalation;

// Events of the Escalation context. Evolve additively only: never rename or retype a field.
// EscalationId is the incident's id (one escalation per incident); Version orders its changes.

/// <summary>One person an escalation tier reached, as resolved at that moment (roster or named user).</summary>
public sealed record EscalationRecipient(string UserId, string Party, string Role, string? OfficialTier);

/// <summary>Why an escalation stopped.</summary>
public enum EscalationStopReason
{
    Acknowledged,
    Confirmed,
    Resolved,
    Withdrawn,
    Closed,
    TiersExhausted,
    NoPolicyForSeverity,
}

public sealed record EscalationStarted(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    DateTimeOffset OccurredAt,
    string OwnerParty,
    Guid PolicyId,
    int PolicyVersion,
    Incidents.Severity Severity,
    DateTimeOffset FirstDueAt) : IChannelEvent;

/// <summary>
/// A tier fired: its recipients must be told ("important" marked). DueAt is when it was due,
/// OccurredAt when it fired; Manual tiers were fired by a person ahead of time, with a reason.
/// Tier is the position in the owner's policy (from 0), for the owner only; Number is how people read
/// it, counted from 1 among the tiers of the same visibility (0 in messages from before it existed).
/// </summary>
public sealed record EscalationTierReached(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    DateTimeOffset OccurredAt,
    int Tier,
    int Repeat,
    bool Important,
    DateTimeOffset DueAt,
    IReadOnlyList<EscalationRecipient> Recipients,
    bool Manual,
    string? Reason,
    string? ActingUser,
    DateTimeOffset? NextDueAt,
    int Number = 0) : IChannelEvent
{
    /// <summary>"tier 2", or "internal tier 1" for a tier that only the owner party may see (methods: not part of the message).</summary>
    public string Label()
    {
        var number = Number > 0 ? Number : Tier + 1; // a message written before Number existed
        return Visibility == Visibility.Internal ? $"internal tier {number}" : $"tier {number}";
    }
}

public sealed record EscalationStopped(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    DateTimeOffset OccurredAt,
    EscalationStopReason Reason) : IChannelEvent;

/// <summary>An acknowledgement that required confirmation was not confirmed in time: escalation resumes.</summary>
public sealed record EscalationAcknowledgementReverted(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    DateTimeOffset OccurredAt,
    DateTimeOffset NextDueAt) : IChannelEvent;
