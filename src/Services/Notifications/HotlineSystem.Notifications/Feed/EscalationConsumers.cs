using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using MassTransit;

namespace HotlineSystem.Notifications.Feed;

/// <summary>A tier reached: exactly the people it names are told, "important" marked.</summary>
public sealed class EscalationTierReachedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<EscalationTierReached>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<EscalationTierReached> context)
    {
        var tier = context.Message;
        var how = tier.Manual ? $"escalated by hand{(tier.Reason is { Length: > 0 } ? $": {tier.Reason}" : "")}" : "not acknowledged in time";
        var repeat = tier.Repeat > 0 ? $" (repeat {tier.Repeat})" : "";
        var notice = new Notice(FeedEntryKind.EscalationTierReached, tier.Channel, tier.IncidentId, tier.ActingParty, tier.ActingUser,
            tier.Visibility, tier.Important, await IncidentTitleAsync(tier.IncidentId, context.CancellationToken),
            $"Escalation tier {tier.Tier}{repeat}: {how}", tier.OccurredAt);
        Feed.Add(Recipients.Named(tier), notice);
    }
}

/// <summary>An escalation stopped: the people its tiers reached are told they may stand down.</summary>
public sealed class EscalationStoppedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<EscalationStopped>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<EscalationStopped> context)
    {
        var stopped = context.Message;
        var notice = new Notice(FeedEntryKind.EscalationStopped, stopped.Channel, stopped.IncidentId, stopped.ActingParty, null,
            stopped.Visibility, false, await IncidentTitleAsync(stopped.IncidentId, context.CancellationToken),
            $"Escalation stopped: {stopped.Reason}", stopped.OccurredAt);
        Feed.Add(await Recipients.ReachedByEscalationAsync(stopped, stopped.IncidentId, context.CancellationToken), notice);
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
