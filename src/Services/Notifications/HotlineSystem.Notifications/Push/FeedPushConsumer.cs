using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Hub;
using MassTransit;
using Microsoft.AspNetCore.SignalR;

namespace HotlineSystem.Notifications.Push;

/// <summary>
/// Pushes committed feed entries and line checks to the connections this replica holds. Every
/// replica runs it on a temporary queue of its own, so each replica gets every push once and a
/// client, connected to one replica, receives each entry once (architecture.md, "Real time").
/// Nothing is lost if a push is: the entry is in the feed and the client catches up by sequence.
/// </summary>
public sealed class FeedPushConsumer(IHubContext<NotificationHub, INotificationClient> hub) : IConsumer<FeedEntriesAdded>, IConsumer<LineCheck>
{
    public async Task Consume(ConsumeContext<FeedEntriesAdded> context)
    {
        foreach (var pushed in context.Message.Entries)
        {
            await hub.Clients.Group(NotificationHub.UserGroup(pushed.UserId)).FeedEntryAdded(pushed.Entry);
        }
    }

    public Task Consume(ConsumeContext<LineCheck> context) =>
        hub.Clients.Group(NotificationHub.ChannelGroup(context.Message.Channel)).LineChecked(context.Message);
}

/// <summary>A queue per replica that disappears with it: pushes are for the connections of this process only.</summary>
public sealed class FeedPushConsumerDefinition : ConsumerDefinition<FeedPushConsumer>
{
    public const string Purpose = "notification-push";

    public FeedPushConsumerDefinition()
    {
        Endpoint(endpoint =>
        {
            endpoint.Name = ReplicaEndpoint.Name(Purpose);
            endpoint.Temporary = true;
        });
    }
}
