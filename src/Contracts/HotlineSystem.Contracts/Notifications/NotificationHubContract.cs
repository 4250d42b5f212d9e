namespace HotlineSystem.Contracts.Notifications;

// The notification hub's contract, shared by the Notifications service and its clients (the typed
// .NET client library, the web console). Evolve additively only: never rename or retype a field.

/// <summary>What a feed entry tells its reader about.</summary>
public enum FeedEntryKind
{
    IncidentReported,
    IncidentAcknowledged,
    IncidentSeverityChanged,
    IncidentStatusChanged,
    IncidentCommentAdded,
    EscalationTierReached,
    EscalationStopped,
    EscalationAcknowledgementReverted,
    MeetingScheduled,
    MeetingStatusChanged,
    AgendaItemProposed,
    AgendaItemAgreed,
    AgendaItemStatusChanged,
    AgendaPositionRecorded,
    ActionItemAssigned,
    ActionItemDue,
    ActionItemOverdue,
    MinutesShared,
    MinutesAgreed,
    MinutesSigned,
    MinutesReleased,
    MinutesReopened,
    DecisionRecorded,
    DomesticApprovalRecorded,

    /// <summary>
    /// Never sent: what a client reads for a kind newer than itself (kinds are added, e.g. the
    /// committee's), so that one new kind does not stop it reading the feed.
    /// </summary>
    Unknown,
}

/// <summary>
/// One entry of a person's feed. Sequence numbers are per person, start at 1 and have no gaps: a
/// client that saw up to N asks for what follows N and misses nothing. An incident's entry names the
/// incident (<paramref name="IncidentId"/>); a committee entry names its record in <paramref name="SubjectId"/>:
/// the meeting, agenda item, minutes, decision or action item, as its <paramref name="Kind"/> says.
/// </summary>
public sealed record FeedEntry(
    long Sequence,
    FeedEntryKind Kind,
    string Channel,
    Guid? IncidentId,
    string ActingParty,
    string? ActingUser,
    Visibility Visibility,
    bool Important,
    string Title,
    string Detail,
    DateTimeOffset OccurredAt,
    DateTimeOffset? ReadAt,
    Guid? SubjectId = null);

/// <summary>A live check of the line: an administrator asked every connected console of a channel to show it received this.</summary>
public sealed record LineCheck(Guid CheckId, string Channel, string Party, string CheckedBy, DateTimeOffset CheckedAt);

/// <summary>What a client missed after a sequence, oldest first, at most a page; More says ask again from the last one.</summary>
public sealed record CatchUp(IReadOnlyList<FeedEntry> Entries, bool More);

/// <summary>The methods the server calls on a connected client (the hub is Hub&lt;INotificationClient&gt;).</summary>
public interface INotificationClient
{
    /// <summary>An entry was added to this person's feed.</summary>
    Task FeedEntryAdded(FeedEntry entry);

    /// <summary>An administrator checked the line of one of this person's channels.</summary>
    Task LineChecked(LineCheck check);

    /// <summary>
    /// Pushes to this connection may have been lost (its replica's push queue was away, e.g. while
    /// the broker was): ask for what follows the last sequence seen (<see cref="NotificationHubProtocol.CatchUpMethod"/>).
    /// </summary>
    Task CatchUpNow();
}

/// <summary>The hub's address and the names of the methods a client may invoke.</summary>
public static class NotificationHubProtocol
{
    public const string Path = "/hubs/notifications";

    /// <summary>CatchUp(long afterSequence) → <see cref="Notifications.CatchUp"/>: what the caller's feed holds after that sequence.</summary>
    public const string CatchUpMethod = "CatchUp";

    /// <summary>CheckLine(string channel) → <see cref="LineCheck"/>: administrators only, channels of their party only.</summary>
    public const string CheckLineMethod = "CheckLine";
}

/// <summary>One entry for one person, as pushed to the replicas that hold that person's connections.</summary>
public sealed record PushedFeedEntry(string UserId, FeedEntry Entry);

/// <summary>
/// Entries were added to people's feeds (committed). Published by the Notifications service through
/// its outbox and consumed by every Notifications replica on a queue of its own, which pushes each
/// entry to the connections it holds (architecture.md, "Real time": no separate backplane).
/// </summary>
public sealed record FeedEntriesAdded(Guid PushId, DateTimeOffset OccurredAt, IReadOnlyList<PushedFeedEntry> Entries);
