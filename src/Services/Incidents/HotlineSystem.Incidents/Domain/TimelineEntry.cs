using HotlineSystem.Contracts;

namespace HotlineSystem.Incidents.Domain;

public enum TimelineEntryKind
{
    Reported = 1,
    Acknowledged = 2,
    SeverityChanged = 3,
    StatusChanged = 4,
    Withdrawn = 5,
    Reopened = 6,
    Commented = 7,

    /// <summary>An escalation tier fired (by the timer, or by a person ahead of time).</summary>
    Escalated = 8,

    /// <summary>The escalation stopped: acknowledged, confirmed, resolved, withdrawn, or its tiers ran out.</summary>
    EscalationStopped = 9,

    /// <summary>An acknowledgement was not confirmed in time: back to Reported, escalation resumes.</summary>
    AcknowledgementReverted = 10,
}

/// <summary>
/// One line of an incident's append-only timeline: who, which party, when, from where, old and new
/// value. Entries are only ever added; nothing in the code changes or removes one.
/// </summary>
public sealed class TimelineEntry
{
    private TimelineEntry()
    {
    }

    internal TimelineEntry(Guid incidentId, TimelineEntryKind kind, Actor actor, DateTimeOffset occurredAt, Visibility visibility,
        string? oldValue = null, string? newValue = null, string? text = null)
    {
        Id = Guid.CreateVersion7(occurredAt);
        IncidentId = incidentId;
        Kind = kind;
        ActorUserId = actor.UserId;
        ActorParty = actor.Party;
        Source = actor.Source;
        OccurredAt = occurredAt;
        Visibility = visibility;
        OldValue = oldValue;
        NewValue = newValue;
        Text = text;
    }

    public Guid Id { get; private set; }

    public Guid IncidentId { get; private set; }

    public TimelineEntryKind Kind { get; private set; }

    public string ActorUserId { get; private set; } = "";

    public string ActorParty { get; private set; } = "";

    public ChangeSource Source { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    public Visibility Visibility { get; private set; }

    public string? OldValue { get; private set; }

    public string? NewValue { get; private set; }

    /// <summary>A comment's text, or the reason given for a change.</summary>
    public string? Text { get; private set; }
}
