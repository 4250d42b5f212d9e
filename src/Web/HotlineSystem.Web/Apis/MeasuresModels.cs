using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Web.Apis;

// What the measures page reads: Escalation's GET /api/escalation-measures (docs/api.md), and the open
// incidents of a channel from Incidents' list.

/// <summary>Time to acknowledge and to resolve of the incidents one party reported at one severity, in minutes.</summary>
public sealed record MeasureRow(
    string Channel,
    Severity Severity,
    string ReportingParty,
    int Reported,
    int Acknowledged,
    int Resolved,
    double? MedianMinutesToAcknowledge,
    double? P90MinutesToAcknowledge,
    double? MedianMinutesToResolve,
    double? P90MinutesToResolve);

/// <summary>The measures of a channel for the incidents reported from <paramref name="From"/> up to <paramref name="To"/>.</summary>
public sealed record ChannelMeasures(string Channel, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MeasureRow> Rows);

/// <summary>
/// A channel's open incidents as far as they were read: <paramref name="TotalCount"/> says how many
/// there are, which is more than <paramref name="Items"/> only when the reading stopped at its limit.
/// </summary>
public sealed record OpenIncidents(IReadOnlyList<IncidentSummary> Items, int TotalCount);
