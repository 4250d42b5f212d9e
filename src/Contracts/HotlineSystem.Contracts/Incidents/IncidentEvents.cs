namespace HotlineSystem.Contracts.Incidents;

// Events of the Incidents context. Evolve additively only: never rename or retype a field.
// IncidentId and Version identify the aggregate state the event describes.

public sealed record IncidentReported(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string ReportingParty,
    string Type,
    Severity Severity,
    string Title,
    IReadOnlyList<string> Minerals,
    IReadOnlyList<string> HsCodes,
    IReadOnlyList<string> Sectors) : IChannelEvent;

public sealed record IncidentAcknowledged(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    string ReportingParty) : IChannelEvent;

public sealed record IncidentSeverityChanged(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Severity OldSeverity,
    Severity NewSeverity,
    string? Reason) : IChannelEvent;

/// <summary>Every lifecycle move other than acknowledgement (which is <see cref="IncidentAcknowledged"/>).</summary>
public sealed record IncidentStatusChanged(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    IncidentStatus OldStatus,
    IncidentStatus NewStatus,
    string? Reason) : IChannelEvent;

/// <summary>A comment on an incident. Internal comments carry Visibility.Internal: consumers must not show them to the other party.</summary>
public sealed record IncidentCommentAdded(
    Guid IncidentId,
    int Version,
    string Channel,
    Visibility Visibility,
    string ActingParty,
    string ActingUser,
    DateTimeOffset OccurredAt,
    Guid EntryId,
    string Text) : IChannelEvent;
