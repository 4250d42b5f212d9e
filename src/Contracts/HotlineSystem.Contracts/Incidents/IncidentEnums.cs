namespace HotlineSystem.Contracts.Incidents;

public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
    Sev4 = 4,
}

public enum IncidentStatus
{
    Reported = 1,
    Acknowledged = 2,
    UnderReview = 3,
    Mitigating = 4,
    Resolved = 5,
    Closed = 6,
    Withdrawn = 7,
}
