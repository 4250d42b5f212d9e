using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Hub;
using MassTransit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.Notifications.Push;

/// <summary>
/// This replica's push queue is temporary: while the broker is away, so is the queue, and the pushes
/// of that time are lost (the entries are not: they are in the feed). Each time the queue is ready
/// again, every connection this replica holds is asked to catch up, rather than learn of the gap only
/// at its next push — which for an official may be hours away.
/// </summary>
public sealed class PushQueueObserver(IHubContext<NotificationHub, INotificationClient> hub, ILogger<PushQueueObserver> logger) : IReceiveEndpointObserver
{
    public async Task Ready(ReceiveEndpointReady ready)
    {
        var queue = ready.InputAddress.AbsolutePath;
        if (!ReplicaEndpoint.Is(queue) || !queue.Contains(FeedPushConsumerDefinition.Purpose, StringComparison.Ordinal))
        {
            return;
        }

        logger.LogInformation("Push queue {Queue} ready (first start: {IsStarted}); this replica's connections catch up", queue, ready.IsStarted);
        await hub.Clients.All.CatchUpNow();
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;
}
