using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Incidents.Domain;

/// <summary>The facts a liaison officer gives when filing a supply incident.</summary>
public sealed record IncidentFacts(
    string Type,
    Severity Severity,
    string Title,
    string Description,
    string Language,
    IReadOnlyList<string> Minerals,
    IReadOnlyList<string> HsCodes,
    IReadOnlyList<string> Sectors,
    decimal? QuantityTonnes,
    int? InventoryCoverDays,
    DateOnly? StartedOn,
    string? CounterpartAgency);

/// <summary>
/// A supply incident on a channel between two parties. Lifecycle (domain.md):
/// Reported → Acknowledged (by the counterpart) → UnderReview → Mitigating → Resolved → Closed;
/// Withdrawn by the reporter before acknowledgement; reopened from Resolved.
/// Every change appends to the timeline and raises its event; Version counts state changes and
/// is the optimistic-concurrency token (the ETag).
/// </summary>
public sealed class Incident : AggregateRoot
{
    private readonly List<TimelineEntry> _timeline = [];

    private Incident()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The client's request id: the same id filed twice by the same party gives one incident.</summary>
    public Guid RequestId { get; private set; }

    public string Channel { get; private set; } = "";

    public string ReportingParty { get; private set; } = "";

    /// <summary>The other party of the channel: the one that must acknowledge.</summary>
    public string CounterpartParty { get; private set; } = "";

    public string ReportedBy { get; private set; } = "";

    public DateTimeOffset ReportedAt { get; private set; }

    public string Type { get; private set; } = "";

    public Severity Severity { get; private set; }

    public IncidentStatus Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string Language { get; private set; } = "";

    public List<string> Minerals { get; private set; } = [];

    public List<string> HsCodes { get; private set; } = [];

    public List<string> Sectors { get; private set; } = [];

    public decimal? QuantityTonnes { get; private set; }

    public int? InventoryCoverDays { get; private set; }

    public DateOnly? StartedOn { get; private set; }

    public string? CounterpartAgency { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public string? AcknowledgedBy { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public DateTimeOffset LastChangedAt { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>The timeline as a party may read it: the other party's Internal entries do not exist for them.</summary>
    public IEnumerable<TimelineEntry> TimelineFor(string readerParty)
    {
        var channel = ChannelCode.Parse(Channel);
        return _timeline.Where(e => ReadAccess.MayRead(readerParty, channel, e.ActorParty, e.Visibility));
    }

    public static Incident File(Guid requestId, string channel, string counterpartParty, IncidentFacts facts, Actor actor, DateTimeOffset now)
    {
        var incident = new Incident
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            Channel = channel,
            ReportingParty = actor.Party,
            CounterpartParty = counterpartParty,
            ReportedBy = actor.UserId,
            ReportedAt = now,
            Type = facts.Type,
            Severity = facts.Severity,
            Status = IncidentStatus.Reported,
            Title = facts.Title,
            Description = facts.Description,
            Language = facts.Language,
            Minerals = [.. facts.Minerals],
            HsCodes = [.. facts.HsCodes],
            Sectors = [.. facts.Sectors],
            QuantityTonnes = facts.QuantityTonnes,
            InventoryCoverDays = facts.InventoryCoverDays,
            StartedOn = facts.StartedOn,
            CounterpartAgency = facts.CounterpartAgency,
            LastChangedAt = now,
            Version = 1,
        };

        incident.Append(TimelineEntryKind.Reported, actor, now, newValue: IncidentStatus.Reported.ToString());
        incident.Raise(new IncidentReported(incident.Id, incident.Version, channel, Visibility.Shared, actor.Party, actor.UserId, now,
            actor.Party, facts.Type, facts.Severity, facts.Title, [.. facts.Minerals], [.. facts.HsCodes], [.. facts.Sectors]));
        return incident;
    }

    public void Acknowledge(Actor actor, DateTimeOffset now)
    {
        if (actor.Party == ReportingParty)
        {
            throw RuleViolation.Forbidden("only-counterpart-may-acknowledge",
                $"Only the counterpart party ({CounterpartParty}) can acknowledge an incident that {ReportingParty} reported.");
        }

        RequireStatus(IncidentStatus.Reported, "acknowledged");
        var old = Status;
        Status = IncidentStatus.Acknowledged;
        AcknowledgedAt = now;
        AcknowledgedBy = actor.UserId;
        Changed(now);
        Append(TimelineEntryKind.Acknowledged, actor, now, old.ToString(), Status.ToString());
        Raise(new IncidentAcknowledged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, ReportingParty));
    }

    public void ChangeSeverity(Severity severity, string? reason, Actor actor, DateTimeOffset now)
    {
        if (Status is IncidentStatus.Resolved or IncidentStatus.Closed or IncidentStatus.Withdrawn)
        {
            throw RuleViolation.Conflict("invalid-transition", $"The severity of a {Status} incident cannot change.");
        }

        if (severity == Severity)
        {
            throw RuleViolation.Conflict("severity-unchanged", $"The incident is already {Severity}.");
        }

        var old = Severity;
        Severity = severity;
        Changed(now);
        Append(TimelineEntryKind.SeverityChanged, actor, now, old.ToString(), severity.ToString(), reason);
        Raise(new IncidentSeverityChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, old, severity, reason));
    }

    /// <summary>The statuses a working move (not acknowledge, withdraw or reopen) may go to, and from where.</summary>
    private static readonly Dictionary<IncidentStatus, IncidentStatus[]> WorkingMoves = new()
    {
        [IncidentStatus.UnderReview] = [IncidentStatus.Acknowledged, IncidentStatus.Mitigating],
        [IncidentStatus.Mitigating] = [IncidentStatus.Acknowledged, IncidentStatus.UnderReview],
        [IncidentStatus.Resolved] = [IncidentStatus.Acknowledged, IncidentStatus.UnderReview, IncidentStatus.Mitigating],
        [IncidentStatus.Closed] = [IncidentStatus.Resolved],
    };

    public static IReadOnlyCollection<IncidentStatus> WorkingStatuses => WorkingMoves.Keys;

    public void MoveTo(IncidentStatus target, string? reason, Actor actor, DateTimeOffset now)
    {
        if (!WorkingMoves.TryGetValue(target, out var from))
        {
            throw RuleViolation.Conflict("invalid-transition", $"An incident cannot be moved to {target} this way.");
        }

        if (!from.Contains(Status))
        {
            throw RuleViolation.Conflict("invalid-transition", $"An incident cannot move from {Status} to {target}.");
        }

        var old = Status;
        Status = target;
        if (target == IncidentStatus.Resolved)
        {
            ResolvedAt = now;
        }

        Changed(now);
        Append(TimelineEntryKind.StatusChanged, actor, now, old.ToString(), target.ToString(), reason);
        Raise(new IncidentStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, old, target, reason));
    }

    public void Withdraw(string reason, Actor actor, DateTimeOffset now)
    {
        if (actor.Party != ReportingParty)
        {
            throw RuleViolation.Forbidden("only-reporter-may-withdraw", $"Only the reporting party ({ReportingParty}) can withdraw this incident.");
        }

        RequireStatus(IncidentStatus.Reported, "withdrawn");
        var old = Status;
        Status = IncidentStatus.Withdrawn;
        Changed(now);
        Append(TimelineEntryKind.Withdrawn, actor, now, old.ToString(), Status.ToString(), reason);
        Raise(new IncidentStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, old, Status, reason));
    }

    public void Reopen(string reason, Actor actor, DateTimeOffset now)
    {
        RequireStatus(IncidentStatus.Resolved, "reopened");
        var old = Status;
        Status = IncidentStatus.UnderReview;
        ResolvedAt = null;
        Changed(now);
        Append(TimelineEntryKind.Reopened, actor, now, old.ToString(), Status.ToString(), reason);
        Raise(new IncidentStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, old, Status, reason));
    }

    /// <summary>A comment is not a change of state: it appends to the timeline but leaves Version alone.</summary>
    public TimelineEntry Comment(string text, Visibility visibility, Actor actor, DateTimeOffset now)
    {
        var entry = Append(TimelineEntryKind.Commented, actor, now, text: text, visibility: visibility);
        Raise(new IncidentCommentAdded(Id, Version, Channel, visibility, actor.Party, actor.UserId, now, entry.Id, text));
        return entry;
    }

    /// <summary>
    /// The Escalation service reports what it did; it goes on the timeline as it is (its visibility kept),
    /// without changing the incident's state or version, and raises nothing (no loop back).
    /// </summary>
    public void RecordEscalation(TimelineEntryKind kind, string? newValue, string text, Visibility visibility, Actor actor, DateTimeOffset at) =>
        Append(kind, actor, at, newValue: newValue, text: text, visibility: visibility);

    /// <summary>
    /// The policy wanted the acknowledgement confirmed by the reporting party, and it was not, in time:
    /// the incident is unacknowledged again (the escalation resumes on its side).
    /// </summary>
    public void RevertAcknowledgement(Actor actor, DateTimeOffset at)
    {
        if (Status != IncidentStatus.Acknowledged)
        {
            Append(TimelineEntryKind.AcknowledgementReverted, actor, at, text: $"Acknowledgement not confirmed in time; the incident had already moved on ({Status}).");
            return;
        }

        var old = Status;
        Status = IncidentStatus.Reported;
        AcknowledgedAt = null;
        AcknowledgedBy = null;
        Changed(at);
        Append(TimelineEntryKind.AcknowledgementReverted, actor, at, old.ToString(), Status.ToString(), "Acknowledgement not confirmed in time; escalation resumes.");
        Raise(new IncidentStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, at, old, Status, "acknowledgement not confirmed in time"));
    }

    public bool IsOnChannelOf(string party) => party == ReportingParty || party == CounterpartParty;

    private void RequireStatus(IncidentStatus required, string action)
    {
        if (Status != required)
        {
            throw RuleViolation.Conflict("invalid-transition", $"Only a {required} incident can be {action}; this one is {Status}.");
        }
    }

    private void Changed(DateTimeOffset now)
    {
        Version++;
        LastChangedAt = now;
    }

    private TimelineEntry Append(TimelineEntryKind kind, Actor actor, DateTimeOffset now, string? oldValue = null, string? newValue = null,
        string? text = null, Visibility visibility = Visibility.Shared)
    {
        var entry = new TimelineEntry(Id, kind, actor, now, visibility, oldValue, newValue, text);
        _timeline.Add(entry);
        return entry;
    }
}
