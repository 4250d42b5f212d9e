using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.ServiceDefaults.Input;

namespace HotlineSystem.Incidents.Features;

/// <summary>Limits of free texts, shared by the validators and the database columns.</summary>
public static class TextLimits
{
    public const int Title = 200;
    public const int Description = 10_000;
    public const int Comment = 4_000;
    public const int Reason = 2_000;
    public const int Agency = 200;
}

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

public sealed record TimelineEntryView(
    Guid Id,
    TimelineEntryKind Kind,
    string ActorUserId,
    string ActorParty,
    ChangeSource Source,
    DateTimeOffset OccurredAt,
    Visibility Visibility,
    string? OldValue,
    string? NewValue,
    string? Text);

public sealed record IncidentDetails(
    Guid Id,
    Guid RequestId,
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
    DateTimeOffset? ResolvedAt,
    int Version,
    IReadOnlyList<TimelineEntryView> Timeline);

internal static class IncidentViews
{
    /// <summary>"280530" → "2805.30"; "2805301000" → "2805.30.1000".</summary>
    public static string FormatHsCode(string digits) =>
        digits.Length == 10 ? $"{digits[..4]}.{digits[4..6]}.{digits[6..]}" : $"{digits[..4]}.{digits[4..]}";

    public static IncidentSummary ToSummary(this Incident i) => new(
        i.Id, i.Channel, i.ReportingParty, i.CounterpartParty, i.Type, i.Severity, i.Status, i.Title,
        i.Minerals, i.HsCodes.Select(FormatHsCode).ToList(), i.ReportedAt, i.AcknowledgedAt, i.Version);

    /// <summary>The incident as <paramref name="readerParty"/> may see it: the other party's Internal entries do not exist for them.</summary>
    public static IncidentDetails ToDetails(this Incident i, string readerParty) => new(
        i.Id, i.RequestId, i.Channel, i.ReportingParty, i.CounterpartParty, i.ReportedBy, i.ReportedAt, i.Type, i.Severity, i.Status,
        i.Title, i.Description, i.Language, i.Minerals, i.HsCodes.Select(FormatHsCode).ToList(), i.Sectors,
        i.QuantityTonnes, i.InventoryCoverDays, i.StartedOn, i.CounterpartAgency, i.AcknowledgedAt, i.AcknowledgedBy, i.ResolvedAt, i.Version,
        i.TimelineFor(readerParty).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new TimelineEntryView(e.Id, e.Kind, e.ActorUserId, e.ActorParty, e.Source, e.OccurredAt, e.Visibility, e.OldValue, e.NewValue, e.Text))
            .ToList());

    public static string ETag(this Incident i) => IfMatch.ETagOf(i.Version);
}
