using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using MassTransit;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// A tier reached: exactly the people it names are told, "important" marked. If the escalation's stop
/// was written before this tier (it travels on another queue), they are told of the stop right after.
/// </summary>
public sealed class EscalationTierReachedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<EscalationTierReached>(db, time, recipients, feed, channels)
{
    private readonly HashSet<(Guid IncidentId, string UserId)> toldOfStop = [];
    private Dictionary<Guid, KnownEscalation> escalations = [];

    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<EscalationTierReached>> messages, CancellationToken cancellationToken)
    {
        toldOfStop.Clear();
        escalations = await KnownEscalation.LockAsync(Db, messages.Select(m => m.Message.IncidentId), cancellationToken);
        await base.HandleAsync(messages, cancellationToken);
    }

    protected override async Task WriteAsync(ConsumeContext<EscalationTierReached> context)
    {
        var tier = context.Message;
        var how = tier.Manual ? $"escalated by hand{(tier.Reason is { Length: > 0 } ? $": {tier.Reason}" : "")}" : "not acknowledged in time";
        var repeat = tier.Repeat > 0 ? $" (repeat {tier.Repeat})" : "";
        var title = await IncidentTitleAsync(tier.IncidentId, context.CancellationToken);
        var notice = new Notice(FeedEntryKind.EscalationTierReached, tier.Channel, tier.IncidentId, tier.ActingParty, tier.ActingUser,
            tier.Visibility, tier.Important, title, $"Escalation {tier.Label()}{repeat}: {how}", tier.OccurredAt);
        Feed.Add(Recipients.Named(tier), notice);

        if (escalations[tier.IncidentId].StopAfter(tier) is { } stopped)
        {
            // Not told yet, neither before this batch nor by an earlier tier of it.
            var notTold = (await Recipients.NotToldOfStopAsync(stopped, tier, context.CancellationToken))
                .Where(userId => toldOfStop.Add((tier.IncidentId, userId)))
                .ToList();
            Feed.Add(notTold, EscalationStoppedFeedConsumer.Notice(stopped, title));
        }
    }
}

/// <summary>
/// An escalation stopped: the people its tiers reached are told they may stand down. The stop is
/// remembered, for the people of a tier that is written after it.
/// </summary>
public sealed class EscalationStoppedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<EscalationStopped>(db, time, recipients, feed, channels)
{
    private Dictionary<Guid, KnownEscalation> escalations = [];

    public static Notice Notice(EscalationStopped stopped, string title) =>
        new(FeedEntryKind.EscalationStopped, stopped.Channel, stopped.IncidentId, stopped.ActingParty, null,
            stopped.Visibility, false, title, $"Escalation stopped: {stopped.Reason}", stopped.OccurredAt);

    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<EscalationStopped>> messages, CancellationToken cancellationToken)
    {
        escalations = await KnownEscalation.LockAsync(Db, messages.Select(m => m.Message.IncidentId), cancellationToken);
        await base.HandleAsync(messages, cancellationToken);
    }

    protected override async Task WriteAsync(ConsumeContext<EscalationStopped> context)
    {
        var stopped = context.Message;
        escalations[stopped.IncidentId].Stopped(stopped);
        Feed.Add(await Recipients.ReachedByEscalationAsync(stopped, stopped.IncidentId, context.CancellationToken),
            Notice(stopped, await IncidentTitleAsync(stopped.IncidentId, context.CancellationToken)));
    }
}

/// <summary>An acknowledgement was not confirmed in time: the liaison officers learn that escalation resumes.</summary>
public sealed class EscalationAcknowledgementRevertedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<EscalationAcknowledgementReverted>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<EscalationAcknowledgementReverted> context)
    {
        var reverted = context.Message;
        var notice = new Notice(FeedEntryKind.EscalationAcknowledgementReverted, reverted.Channel, reverted.IncidentId, reverted.ActingParty, null,
            reverted.Visibility, true, await IncidentTitleAsync(reverted.IncidentId, context.CancellationToken),
            "The acknowledgement was not confirmed in time: escalation resumes", reverted.OccurredAt);
        Feed.Add(await Recipients.LiaisonOfficersAsync(reverted, null, context.CancellationToken), notice);
    }
}
