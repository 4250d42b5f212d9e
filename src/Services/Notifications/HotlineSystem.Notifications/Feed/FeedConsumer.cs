using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Notifications.Data;
using MassTransit;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// The base of the consumers that turn events into feed entries: once per message (inbox), whatever
/// the number of replicas (they compete on one queue). The messages that queued up meanwhile arrive as
/// one batch; their entries are written in queue order in one transaction, with the feed rows locked
/// once and one push for all of them.
/// </summary>
public abstract class FeedConsumer<TMessage>(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : InboxBatchConsumer<TMessage, NotificationsDbContext>(db, time)
    where TMessage : class, IChannelEvent
{
    protected Recipients Recipients => recipients;

    protected FeedWriter Feed => feed;

    protected async Task<string> IncidentTitleAsync(Guid incidentId, CancellationToken cancellationToken) =>
        (await Db.IncidentTitles.FindAsync([incidentId], cancellationToken))?.Title ?? "";

    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken)
    {
        feed.Discard();
        foreach (var channel in messages.Select(m => m.Message.Channel).Distinct(StringComparer.Ordinal))
        {
            await channels.RememberAsync(Db, channel, Time.GetUtcNow(), cancellationToken);
        }

        foreach (var message in messages)
        {
            await WriteAsync(message);
        }

        await feed.WriteAsync(cancellationToken);
    }

    /// <summary>Adds the message's notice to the feed writer (<see cref="FeedWriter.Add"/>); the base writes them all.</summary>
    protected abstract Task WriteAsync(ConsumeContext<TMessage> context);
}
