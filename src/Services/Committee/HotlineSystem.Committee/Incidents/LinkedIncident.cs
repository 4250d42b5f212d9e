using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Committee.Incidents;

/// <summary>
/// What the committee knows of a supply incident, from the Incidents service's events: enough to
/// check an agenda item's links (an incident of the same channel, Shared) and to show where each
/// linked incident stands. Events may arrive in any order: each fact keeps the incident version it
/// came from, and an older event changes nothing.
/// </summary>
public sealed class LinkedIncident
{
    private LinkedIncident()
    {
    }

    public Guid IncidentId { get; private set; }

    public string Channel { get; private set; } = "";

    /// <summary>Null until the report itself has arrived: an incident known only from later events is not linked yet.</summary>
    public string? Title { get; private set; }

    public string? ReportingParty { get; private set; }

    public Severity? Severity { get; private set; }

    public int SeverityVersion { get; private set; }

    public IncidentStatus Status { get; private set; } = IncidentStatus.Reported;

    public int StatusVersion { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool Reported => Title is not null;

    public static LinkedIncident For(Guid incidentId, string channel) => new() { IncidentId = incidentId, Channel = channel };

    public void Apply(IncidentReported reported)
    {
        (Title, ReportingParty) = (reported.Title, reported.ReportingParty);
        TakeSeverity(reported.Severity, reported.Version);
        TakeStatus(IncidentStatus.Reported, reported.Version);
        Touch(reported.OccurredAt);
    }

    public void Apply(IncidentAcknowledged acknowledged)
    {
        TakeStatus(IncidentStatus.Acknowledged, acknowledged.Version);
        Touch(acknowledged.OccurredAt);
    }

    public void Apply(IncidentStatusChanged changed)
    {
        TakeStatus(changed.NewStatus, changed.Version);
        Touch(changed.OccurredAt);
    }

    public void Apply(IncidentSeverityChanged changed)
    {
        TakeSeverity(changed.NewSeverity, changed.Version);
        Touch(changed.OccurredAt);
    }

    private void TakeSeverity(Severity severity, int version)
    {
        if (version > SeverityVersion)
        {
            (Severity, SeverityVersion) = (severity, version);
        }
    }

    private void TakeStatus(IncidentStatus status, int version)
    {
        if (version > StatusVersion)
        {
            (Status, StatusVersion) = (status, version);
        }
    }

    private void Touch(DateTimeOffset at)
    {
        if (at > UpdatedAt)
        {
            UpdatedAt = at;
        }
    }
}
