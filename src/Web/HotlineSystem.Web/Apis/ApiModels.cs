using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Web.Apis;

// What the console reads from the services' APIs: its own records of their answers (docs/api.md),
// so that it depends on the contracts the APIs publish, not on the services' code.

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

public sealed record IncidentSummary(
    Guid Id,
    string Channel,
    string ReportingParty,
    string CounterpartParty,
    string Type,
    Severity Severity,
    IncidentStatus Status,
    string Title,
    IReadOnlyList<string> Minerals,
    IReadOnlyList<string> HsCodes,
    DateTimeOffset ReportedAt,
    DateTimeOffset? AcknowledgedAt,
    int Version);

public sealed record Catalogue(
    IReadOnlyList<Mineral> Minerals,
    IReadOnlyList<HsCode> HsCodes,
    IReadOnlyList<CatalogueName> Sectors,
    IReadOnlyList<CatalogueName> IncidentTypes,
    IReadOnlyList<Party> Parties,
    IReadOnlyList<Channel> Channels);

/// <summary>A rare-earth customs heading; Code is the formatted 6 digits ("2805.30").</summary>
public sealed record HsCode(string Code, string DescriptionEn, string DescriptionKo, string DescriptionZh, DateOnly ValidFrom, DateOnly? ValidTo);

public sealed record Mineral(string Symbol, int AtomicNumber, string NameEn, string NameKo, string NameZh);

/// <summary>A catalogue entry named in the three languages (a sector, an incident type).</summary>
public sealed record CatalogueName(string Code, string NameEn, string NameKo, string NameZh);

public sealed record Party(string Code, string NameEn, string NameOwn, string TimeZone, string WorkingLanguage);

public sealed record Channel(string Code, string PartyA, string PartyB, string NameEn, string Status);

public sealed record UnreadCount(int Unread, long LastSequence);

/// <summary>The filters of the incident board; null is "any".</summary>
public sealed record IncidentFilter(string? Channel, IncidentStatus? Status, Severity? Severity, string? Mineral, string? ReportingParty, string? Text);

public sealed record TimelineEntry(
    Guid Id,
    string Kind,
    string ActorUserId,
    string ActorParty,
    string Source,
    DateTimeOffset OccurredAt,
    Visibility Visibility,
    string? OldValue,
    string? NewValue,
    string? Text);

public sealed record IncidentDetails(
    Guid Id,
    string Channel,
    string ReportingParty,
    string CounterpartParty,
    string ReportedBy,
    DateTimeOffset ReportedAt,
    string Type,
    Severity Severity,
    IncidentStatus Status,
    string Title,
    string Description,
    string Language,
    IReadOnlyList<string> Minerals,
    IReadOnlyList<string> HsCodes,
    IReadOnlyList<string> Sectors,
    decimal? QuantityTonnes,
    int? InventoryCoverDays,
    DateOnly? StartedOn,
    string? CounterpartAgency,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    int Version,
    IReadOnlyList<TimelineEntry> Timeline);

/// <summary>One field's refusal in a problem details answer: the field, a stable code, the server's English message.</summary>
public sealed record FieldError(string Field, string Code, string Message);

/// <summary>
/// An RFC 9457 problem details answer of a service, as the console shows it: the status, the stable
/// code (translated by the page), and the refusals per field.
/// </summary>
public sealed class ApiProblem(int status, string code, string? detail, IReadOnlyList<FieldError> errors)
    : Exception($"{status} {code}: {detail}")
{
    public int Status => status;

    public string Code => code;

    public string? Detail => detail;

    public IReadOnlyList<FieldError> Errors => errors;

    /// <summary>Someone changed the record since it was read (412): reload before acting.</summary>
    public bool IsStale => status == 412;
}

/// <summary>What the filing form sends (POST /api/incidents); the request id makes a repeated send one incident.</summary>
public sealed record IncidentFiling(
    Guid RequestId,
    string Channel,
    string Type,
    Severity? Severity,
    string Title,
    string Description,
    string? Language,
    IReadOnlyList<string> Minerals,
    IReadOnlyList<string> HsCodes,
    IReadOnlyList<string> Sectors,
    decimal? QuantityTonnes,
    int? InventoryCoverDays,
    DateOnly? StartedOn,
    string? CounterpartAgency);

public sealed record Filed(Guid Id);

public sealed record FiredTier(int Number, int Repeat, Visibility Visibility, bool Important, bool Manual, DateTimeOffset DueAt, DateTimeOffset FiredAt);

/// <summary>An escalation as the reader's party may see it (the counterpart sees the Shared tiers only).</summary>
public sealed record EscalationSummary(
    Guid IncidentId, string Channel, string OwnerParty, string CounterpartParty, Severity Severity, string State,
    DateTimeOffset? DueAt, IReadOnlyList<FiredTier> Tiers, DateTimeOffset StartedAt, DateTimeOffset? StoppedAt, string? StopReason);

public sealed record FeedPage(IReadOnlyList<HotlineSystem.Contracts.Notifications.FeedEntry> Entries, long? NextBefore, long? NextAfter);
