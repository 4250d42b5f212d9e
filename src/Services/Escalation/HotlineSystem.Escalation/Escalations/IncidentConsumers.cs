using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Measures;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Escalations;

// The incident's life drives its escalation. Events of one incident may arrive in any order (the
// outbox relay publishes a batch concurrently), so each consumer first records what it learnt on the
// IncidentRecord; an acknowledgement that overtakes the report therefore still prevents the start.

internal static class IncidentRecords
{
    public static async Task<IncidentRecord> RecordOfAsync(this EscalationDbContext db, Guid incidentId, string channel, CancellationToken cancellationToken)
    {
        var record = await db.IncidentRecords.SingleOrDefaultAsync(r => r.IncidentId == incidentId, cancellationToken);
        if (record is null)
        {
            record = IncidentRecord.For(incidentId, channel);
            db.IncidentRecords.Add(record);
        }

        return record;
    }

    public static Task<Escalation?> EscalationOfAsync(this EscalationDbContext db, Guid incidentId, CancellationToken cancellationToken) =>
        db.Escalations.SingleOrDefaultAsync(e => e.IncidentId == incidentId, cancellationToken);

    /// <summary>The policy the reporting party set for this channel and severity, frozen; null when there is none.</summary>
    public static async Task<Policies.PolicySnapshot?> PolicyForAsync(this EscalationDbContext db, string channel, string ownerParty, Severity severity, CancellationToken cancellationToken)
    {
        var policy = await db.Policies.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Channel == channel && p.OwnerParty == ownerParty && p.Severity == severity, cancellationToken);
        return policy is { Tiers.Count: > 0 } ? policy.Snapshot() : null;
    }
}

/// <summary>
/// A reported incident starts an escalation from a snapshot of the policy in force. Every incident
/// filed comes through here, so the reports that queued up meanwhile are handled as one batch (ADR
/// 0002): one query each for their records, their escalations and the policies they need. A first
/// tier falls due minutes after the report, so the batch may wait a fifth of a second for more.
/// </summary>
[BatchWindow(200)]
public sealed class IncidentReportedConsumer(EscalationDbContext db, TimeProvider time) : InboxBatchConsumer<IncidentReported, EscalationDbContext>(db, time)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<IncidentReported>> messages, CancellationToken cancellationToken)
    {
        var ids = messages.Select(m => m.Message.IncidentId).Distinct().ToList();
        var records = await Db.IncidentRecords.Where(r => ids.Contains(r.IncidentId)).ToDictionaryAsync(r => r.IncidentId, cancellationToken);
        var escalated = (await Db.Escalations.Where(e => ids.Contains(e.IncidentId)).Select(e => e.IncidentId).ToListAsync(cancellationToken)).ToHashSet();
        var policies = new Dictionary<(string Channel, string Party, Severity Severity), Policies.PolicySnapshot?>();
        foreach (var reported in messages.Select(m => m.Message))
        {
            if (!records.TryGetValue(reported.IncidentId, out var record))
            {
                record = IncidentRecord.For(reported.IncidentId, reported.Channel);
                Db.IncidentRecords.Add(record);
                records.Add(reported.IncidentId, record);
            }

            record.Reported(reported.ReportingParty, reported.Severity, reported.Version, reported.OccurredAt);
            if (record.NeedsNoEscalation || escalated.Contains(reported.IncidentId))
            {
                continue;
            }

            var counterpart = ChannelCode.Parse(reported.Channel).CounterpartOf(reported.ReportingParty);
            var severity = record.Severity ?? reported.Severity; // a severity change may have overtaken the report
            var key = (reported.Channel, reported.ReportingParty, severity);
            if (!policies.TryGetValue(key, out var policy))
            {
                policy = await Db.PolicyForAsync(reported.Channel, reported.ReportingParty, severity, cancellationToken);
                policies.Add(key, policy);
            }

            if (policy is not null)
            {
                Db.Escalations.Add(Escalation.Start(reported.IncidentId, reported.Channel, reported.ReportingParty, counterpart, policy, reported.OccurredAt));
                escalated.Add(reported.IncidentId);
            }
        }
    }
}

/// <summary>The counterpart's acknowledgement stops the escalation at once (or awaits its confirmation).</summary>
public sealed class IncidentAcknowledgedConsumer(EscalationDbContext db, TimeProvider time) : InboxConsumer<IncidentAcknowledged, EscalationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentAcknowledged> context)
    {
        var acknowledged = context.Message;
        var record = await Db.RecordOfAsync(acknowledged.IncidentId, acknowledged.Channel, context.CancellationToken);
        record.Acknowledged(acknowledged.ActingParty, acknowledged.OccurredAt);
        (await Db.EscalationOfAsync(acknowledged.IncidentId, context.CancellationToken))?.Acknowledge(acknowledged.OccurredAt, Time.GetUtcNow());
    }
}

/// <summary>Raised severity: the stricter policy and a fresh deadline; lowered: the gentler policy from now.</summary>
public sealed class IncidentSeverityChangedConsumer(EscalationDbContext db, TimeProvider time) : InboxConsumer<IncidentSeverityChanged, EscalationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentSeverityChanged> context)
    {
        var changed = context.Message;
        var record = await Db.RecordOfAsync(changed.IncidentId, changed.Channel, context.CancellationToken);
        if (!record.TakeSeverity(changed.NewSeverity, changed.Version)
            || await Db.EscalationOfAsync(changed.IncidentId, context.CancellationToken) is not { } escalation)
        {
            return;
        }

        var policy = await Db.PolicyForAsync(escalation.Channel, escalation.OwnerParty, changed.NewSeverity, context.CancellationToken);
        // From when the severity changed, not from when this message happened to arrive.
        escalation.ChangeSeverity(changed.NewSeverity, policy, changed.OccurredAt);
    }
}

/// <summary>Resolved, closed or withdrawn: nothing left to escalate.</summary>
public sealed class IncidentStatusChangedConsumer(EscalationDbContext db, TimeProvider time) : InboxConsumer<IncidentStatusChanged, EscalationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentStatusChanged> context)
    {
        var changed = context.Message;
        var record = await Db.RecordOfAsync(changed.IncidentId, changed.Channel, context.CancellationToken);
        EscalationStopReason? stop = changed.NewStatus switch
        {
            IncidentStatus.Resolved => EscalationStopReason.Resolved,
            IncidentStatus.Closed => EscalationStopReason.Closed,
            IncidentStatus.Withdrawn => EscalationStopReason.Withdrawn,
            _ => null,
        };
        switch (changed.NewStatus)
        {
            case IncidentStatus.Resolved:
                record.Resolved(changed.OccurredAt);
                break;
            case IncidentStatus.Closed or IncidentStatus.Withdrawn:
                record.Ended(changed.OccurredAt);
                break;
            case IncidentStatus.UnderReview when changed.OldStatus == IncidentStatus.Resolved:
                record.Reopened();
                break;
        }

        if (stop is { } reason && await Db.EscalationOfAsync(changed.IncidentId, context.CancellationToken) is { } escalation)
        {
            escalation.Stop(reason, Time.GetUtcNow());
        }
    }
}
