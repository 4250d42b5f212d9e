using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Notifications.Data;
using MassTransit;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// The base of the consumers that turn events into feed entries: once per message (inbox), in one
/// transaction with the feed rows locked, whatever the number of replicas (they compete on one queue).
/// </summary>
public abstract class FeedConsumer<TMessage>(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : InboxConsumer<TMessage, NotificationsDbContext>(db, time)
    where TMessage : class, IChannelEvent
{
    protected override bool NeedsTransaction => true;

    protected Recipients Recipients => recipients;

    protected FeedWriter Feed => feed;

    protected async Task<string> IncidentTitleAsync(Guid incidentId, CancellationToken cancellationToken) =>
        (await Db.IncidentTitles.FindAsync([incidentId], cancellationToken))?.Title ?? "";

    protected override async Task HandleAsync(ConsumeContext<TMessage> context)
    {
        await channels.RememberAsync(Db, context.Message.Channel, Time.GetUtcNow(), context.CancellationToken);
        await WriteAsync(context);
    }

    protected abstract Task WriteAsync(ConsumeContext<TMessage> context);
}
