namespace HotlineSystem.Contracts.Committee;

// Events of the joint committee (domain.md, "Joint committee"). Evolve additively only: never rename
// or retype a field. Each names its aggregate (id and version), the channel, the visibility, the
// acting party and person, and when it happened: consumers order and filter by them.

/// <summary>A delegate's place in a party's delegation.</summary>
public enum DelegateRole
{
    CoChair = 1,
    Member = 2,
    Alternate = 3,
}

/// <summary>A meeting's mode.</summary>
public enum MeetingMode
{
    InPerson = 1,
    Video = 2,
}

/// <summary>Planned → AgendaAgreed → InSession → Concluded → MinutesSigned.</summary>
public enum MeetingStatus
{
    Planned = 1,
    AgendaAgreed = 2,
    InSession = 3,
    Concluded = 4,
    MinutesSigned = 5,
}

/// <summary>Draft → SharedForReview → Agreed → Signed (one co-chair) → Locked (both); a text changed after agreement goes back to review.</summary>
public enum MinutesStatus
{
    Draft = 1,
    SharedForReview = 2,
    Agreed = 3,
    Signed = 4,
    Locked = 5,
}

/// <summary>An action item's status, changed by its owner party; Done and Cancelled close it.</summary>
public enum ActionItemStatus
{
    Open = 1,
    InProgress = 2,
    Done = 3,
    Cancelled = 4,
}

/// <summary>The joint status of an agenda item; each party's position is apart from it.</summary>
public enum AgendaItemStatus
{
    Open = 1,
    Discussed = 2,
    Resolved = 3,
    Deferred = 4,
    Withdrawn = 5,
}

/// <summary>A party set its delegation to a channel's committee: who sits on it, one co-chair.</summary>
public sealed record CommitteeDelegationChanged(
    Guid CommitteeId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Party,
    string CoChair,
    IReadOnlyList<string> Members) : IChannelEvent;

public sealed record MeetingScheduled(
    Guid MeetingId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    int Number,
    DateTimeOffset StartsAt,
    DateTimeOffset AgendaCutoff,
    string Place,
    MeetingMode Mode) : IChannelEvent;

public sealed record MeetingStatusChanged(
    Guid MeetingId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    int Number,
    MeetingStatus OldStatus,
    MeetingStatus NewStatus) : IChannelEvent;

/// <summary>Either party proposed an item for a meeting's agenda; it joins only when both agree.</summary>
public sealed record AgendaItemProposed(
    Guid AgendaItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Guid MeetingId,
    string Title,
    IReadOnlyList<Guid> Incidents,
    Guid? CarriedOverFrom) : IChannelEvent;

/// <summary>A party agreed to an item; <paramref name="OnAgenda"/> when both have, and it joined the agenda.</summary>
public sealed record AgendaItemAgreed(
    Guid AgendaItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Guid MeetingId,
    bool OnAgenda,
    string Title) : IChannelEvent;

public sealed record AgendaItemStatusChanged(
    Guid AgendaItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    AgendaItemStatus OldStatus,
    AgendaItemStatus NewStatus,
    string Title) : IChannelEvent;

/// <summary>
/// A party recorded its position on an item. Internal by default: then only that party may read
/// the event, and it carries no text of the position (read from the service by those who may), only
/// the item's own (Shared) title.
/// </summary>
public sealed record AgendaPositionRecorded(
    Guid AgendaItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Title) : IChannelEvent;

/// <summary>
/// The minutes of a meeting moved on: <paramref name="Change"/> is "shared", "agreed-by-one" (one
/// party agreed, the other's agreement is awaited), "agreed", "signed", "locked",
/// "release-agreed-by-one", "released", or "texts-changed" (a text changed after agreement or a
/// signature, which voids them). A reader tells nothing for a change it does not know.
/// </summary>
public sealed record MinutesChanged(
    Guid MinutesId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Guid MeetingId,
    MinutesStatus Status,
    string Change) : IChannelEvent;

/// <summary>A co-chair recorded an action item of a meeting for a delegate (the owner) of either party.</summary>
public sealed record ActionItemAssigned(
    Guid ActionItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Guid MeetingId,
    string Title,
    string OwnerParty,
    string OwnerUser,
    DateTimeOffset DueAt) : IChannelEvent;

public sealed record ActionItemStatusChanged(
    Guid ActionItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Title,
    ActionItemStatus OldStatus,
    ActionItemStatus NewStatus) : IChannelEvent;

/// <summary>Both co-chairs agreed to move the due time.</summary>
public sealed record ActionItemDueDateChanged(
    Guid ActionItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Title,
    DateTimeOffset OldDueAt,
    DateTimeOffset NewDueAt) : IChannelEvent;

/// <summary>The reminder: the action item falls due soon (the timer acts for the owner: ActingParty and ActingUser are the owner's).</summary>
public sealed record ActionItemDue(
    Guid ActionItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Title,
    string OwnerParty,
    string OwnerUser,
    DateTimeOffset DueAt) : IChannelEvent;

/// <summary>The due time passed and the item is neither done nor cancelled.</summary>
public sealed record ActionItemOverdue(
    Guid ActionItemId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Title,
    string OwnerParty,
    string OwnerUser,
    DateTimeOffset DueAt) : IChannelEvent;

/// <summary>Where a party stands on a decision at home: it needs no domestic approval, still needs it, or its government approved or refused it.</summary>
public enum DomesticApproval
{
    NotNeeded = 1,
    Needed = 2,
    Approved = 3,
    Refused = 4,
}

/// <summary>
/// The co-chairs recorded a decision of a meeting under its number (e.g. KR-CN/2027/3);
/// <paramref name="NeedsApprovalOf"/> names the parties whose governments must still approve it.
/// </summary>
public sealed record DecisionRecorded(
    Guid DecisionId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Guid MeetingId,
    string Number,
    string Title,
    IReadOnlyList<string> NeedsApprovalOf) : IChannelEvent;

/// <summary>A party's co-chair recorded that its government approved or refused a decision, and on what day.</summary>
public sealed record DomesticApprovalRecorded(
    Guid DecisionId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string Number,
    string Title,
    string Party,
    DomesticApproval Approval,
    DateOnly On) : IChannelEvent;
