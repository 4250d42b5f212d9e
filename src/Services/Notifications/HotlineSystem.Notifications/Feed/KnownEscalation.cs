using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// An incident's escalation as this service knows it: whether it stopped, and how. A tier and the
/// stop after it travel on two queues, so the stop may be written first; the tier then finds it here
/// and tells its people that the escalation stopped. The row is also the lock that keeps the two
/// consumers of one incident from passing each other (<see cref="LockAsync"/>).
/// </summary>
public sealed class KnownEscalation
{
    private KnownEscalation()
    {
    }

    public Guid IncidentId { get; private set; }

    /// <summary>The stop's version (the escalation's version when it stopped); null while running.</summary>
    public int? StoppedVersion { get; private set; }

    public EscalationStopReason? StopReason { get; private set; }

    public DateTimeOffset? StoppedAt { get; private set; }

    public string? Channel { get; private set; }

    public string? ActingParty { get; private set; }

    public Visibility? Visibility { get; private set; }

    public static KnownEscalation Of(Guid incidentId) => new() { IncidentId = incidentId };

    public void Stopped(EscalationStopped stopped)
    {
        if (StoppedVersion >= stopped.Version)
        {
            return;
        }

        (StoppedVersion, StopReason, StoppedAt, Channel, ActingParty, Visibility) =
            (stopped.Version, stopped.Reason, stopped.OccurredAt, stopped.Channel, stopped.ActingParty, stopped.Visibility);
    }

    /// <summary>The stop that came after this tier (by the escalation's version), if it is known already.</summary>
    public EscalationStopped? StopAfter(EscalationTierReached tier) => StoppedVersion > tier.Version
        ? new EscalationStopped(IncidentId, StoppedVersion.Value, Channel!, Visibility!.Value, ActingParty!, StoppedAt!.Value, StopReason!.Value)
        : null;

    /// <summary>
    /// The escalations of these incidents, created where unknown. On PostgreSQL their rows are locked,
    /// in one order, until the caller's transaction ends: a tier of an incident and its stop are then
    /// written one after the other, and whichever comes second sees what the first wrote. Take these
    /// locks before the feed writer's. SQLite serialises writers itself.
    /// </summary>
    public static async Task<Dictionary<Guid, KnownEscalation>> LockAsync(NotificationsDbContext db, IEnumerable<Guid> incidentIds, CancellationToken cancellationToken)
    {
        var ids = incidentIds.Distinct().Order().ToArray();
        Dictionary<Guid, KnownEscalation> known;
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO notifications.escalations (incident_id) SELECT unnest({ids}) ON CONFLICT DO NOTHING", cancellationToken);
            known = await db.Escalations
                .FromSql($"SELECT * FROM notifications.escalations WHERE incident_id = ANY({ids}) ORDER BY incident_id FOR UPDATE")
                .ToDictionaryAsync(e => e.IncidentId, cancellationToken);
        }
        else
        {
            known = await db.Escalations.Where(e => ids.Contains(e.IncidentId)).ToDictionaryAsync(e => e.IncidentId, cancellationToken);
        }

        foreach (var id in ids.Where(id => !known.ContainsKey(id)))
        {
            var escalation = Of(id);
            db.Escalations.Add(escalation);
            known.Add(id, escalation);
        }

        return known;
    }
}
