using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Domain;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Escalations;

// The Escalation service's events become timeline entries of the incident (source Automation, or the
// person who escalated by hand). An event for an incident not in this database is acknowledged without
// effect: the Escalation service only escalates incidents that this service reported.

/// <summary>Shared text of the consumers: who a tier reached, in words a reader of either party understands.</summary>
internal static class EscalationTexts
{
    public const string ServiceUser = "escalation-service";

    public static string Recipients(IReadOnlyList<EscalationRecipient> recipients) =>
        recipients.Count == 0
            ? "nobody could be reached (no one holds the role)"
            : string.Join(", ", recipients.GroupBy(r => (r.Party, r.Role, r.OfficialTier))
                .Select(g => $"{g.Count()} {g.Key.Role}{(g.Key.OfficialTier is null ? "" : $" ({g.Key.OfficialTier})")} of {g.Key.Party}"));

    public static Task<Incident?> IncidentAsync(IncidentsDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Incidents.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
}

public sealed class EscalationTierReachedConsumer(IncidentsDbContext db, TimeProvider time) : InboxConsumer<EscalationTierReached, IncidentsDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<EscalationTierReached> context)
    {
        var tier = context.Message;
        if (await EscalationTexts.IncidentAsync(Db, tier.IncidentId, context.CancellationToken) is not { } incident)
        {
            return;
        }

        var actor = tier.Manual
            ? new Actor(tier.ActingUser ?? EscalationTexts.ServiceUser, tier.ActingParty, ChangeSource.Api)
            : new Actor(EscalationTexts.ServiceUser, tier.ActingParty, ChangeSource.Automation);
        var label = tier.Label();
        var text = (tier.Manual ? $"Escalated by hand to {label}: {tier.Reason}. " : $"{char.ToUpperInvariant(label[0])}{label[1..]}{(tier.Repeat > 0 ? $" (repeat {tier.Repeat})" : "")} reached. ")
            + $"Notified: {EscalationTexts.Recipients(tier.Recipients)}{(tier.Important ? " — important" : "")}.";
        incident.RecordEscalation(TimelineEntryKind.Escalated, label, text, tier.Visibility, actor, tier.OccurredAt);
    }
}

public sealed class EscalationStoppedConsumer(IncidentsDbContext db, TimeProvider time) : InboxConsumer<EscalationStopped, IncidentsDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<EscalationStopped> context)
    {
        var stopped = context.Message;
        if (await EscalationTexts.IncidentAsync(Db, stopped.IncidentId, context.CancellationToken) is { } incident)
        {
            incident.RecordEscalation(TimelineEntryKind.EscalationStopped, stopped.Reason.ToString(), $"Escalation stopped: {stopped.Reason}.",
                stopped.Visibility, new Actor(EscalationTexts.ServiceUser, stopped.ActingParty, ChangeSource.Automation), stopped.OccurredAt);
        }
    }
}

public sealed class EscalationAcknowledgementRevertedConsumer(IncidentsDbContext db, TimeProvider time)
    : InboxConsumer<EscalationAcknowledgementReverted, IncidentsDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<EscalationAcknowledgementReverted> context)
    {
        var reverted = context.Message;
        if (await EscalationTexts.IncidentAsync(Db, reverted.IncidentId, context.CancellationToken) is { } incident)
        {
            incident.RevertAcknowledgement(new Actor(EscalationTexts.ServiceUser, reverted.ActingParty, ChangeSource.Automation), reverted.OccurredAt);
        }
    }
}
