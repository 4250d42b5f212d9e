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
    IReadOnlyList<CatalogueName> Sectors,
    IReadOnlyList<CatalogueName> IncidentTypes,
    IReadOnlyList<Party> Parties,
    IReadOnlyList<Channel> Channels);

public sealed record Mineral(string Symbol, int AtomicNumber, string NameEn, string NameKo, string NameZh);

/// <summary>A catalogue entry named in the three languages (a sector, an incident type).</summary>
public sealed record CatalogueName(string Code, string NameEn, string NameKo, string NameZh);

public sealed record Party(string Code, string NameEn, string NameOwn, string TimeZone, string WorkingLanguage);

public sealed record Channel(string Code, string PartyA, string PartyB, string NameEn, string Status);

public sealed record UnreadCount(int Unread, long LastSequence);

/// <summary>The filters of the incident board; null is "any".</summary>
public sealed record IncidentFilter(string? Channel, IncidentStatus? Status, Severity? Severity, string? Mineral, string? ReportingParty, string? Text);
