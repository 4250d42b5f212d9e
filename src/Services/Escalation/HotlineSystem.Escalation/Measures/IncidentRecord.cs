using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Escalation.Measures;

/// <summary>
/// What Escalation knows of an incident from its events, whatever order they arrive in: when it was
/// reported, acknowledged (and by which party), resolved or ended. It decides whether an
/// escalation may still start (an acknowledgement that overtook the report wins) and it is the data
/// of the measures (time to acknowledge, time to resolve).
/// </summary>
public sealed class IncidentRecord
{
    private IncidentRecord()
    {
    }

    public Guid IncidentId { get; private set; }

    public string Channel { get; private set; } = "";

    public string? ReportingParty { get; private set; }

    public Severity? Severity { get; private set; }

    /// <summary>The incident version the severity was last taken from: an older severity event is ignored.</summary>
    public int SeverityVersion { get; private set; }

    public DateTimeOffset? ReportedAt { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public string? AcknowledgingParty { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    /// <summary>Withdrawn or closed without escalation mattering any more.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    public bool NeedsNoEscalation => AcknowledgedAt is not null || ResolvedAt is not null || EndedAt is not null;

    public static IncidentRecord For(Guid incidentId, string channel) => new() { IncidentId = incidentId, Channel = channel };

    public void Reported(string reportingParty, Severity severity, int version, DateTimeOffset at)
    {
        ReportingParty = reportingParty;
        ReportedAt = at;
        TakeSeverity(severity, version);
    }

    /// <summary>True when the severity is newer than the one known (events may arrive out of order).</summary>
    public bool TakeSeverity(Severity severity, int version)
    {
        if (version <= SeverityVersion)
        {
            return false;
        }

        (Severity, SeverityVersion) = (severity, version);
        return true;
    }

    public void Acknowledged(string party, DateTimeOffset at) => (AcknowledgedAt, AcknowledgingParty) = (AcknowledgedAt ?? at, AcknowledgingParty ?? party);

    public void Resolved(DateTimeOffset at) => ResolvedAt ??= at;

    public void Reopened() => ResolvedAt = null;

    public void Ended(DateTimeOffset at) => EndedAt ??= at;
}
