using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// A replica's push queue is temporary: while RabbitMQ is down it is gone, and a push of that time is
/// lost. When the queue is back, the replica asks its connections to catch up, so a console learns of
/// what it missed then, not at some later push.
/// </summary>
public sealed class PushQueueRecoveryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NotificationsApp _notifications = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("pushqueue");
        _notifications = new NotificationsApp(_database.ConnectionString, $"q{Guid.NewGuid():N}"[..10]).Start();
    }

    public async Task DisposeAsync()
    {
        await _notifications.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_entry_whose_push_was_lost_while_the_broker_was_down_reaches_the_console_when_the_push_queue_is_back()
    {
        var official = $"dg-{Guid.NewGuid():N}"[..12];
        var officialId = await _notifications.PersonAsync(official, "KR", HotlineRoles.Official);
        await using var console = await (await _notifications.ConnectionForAsync(official, "KR", [HotlineRoles.Official])).StartAsync();

        var incident = Guid.NewGuid();
        await TestInfrastructure.InfraAsync("stop-rabbitmq");
        try
        {
            // Written while the broker is down, and never pushed: as if another replica had written it
            // and its push had found no queue of this replica to go to.
            await _notifications.AppendUnpushedAsync(officialId, NotificationsApp.TierNotice(incident));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Empty(console.Entries);
        }
        finally
        {
            await TestInfrastructure.InfraAsync("start-rabbitmq");
        }

        var entry = await console.WaitForAsync(e => e.IncidentId == incident, TimeSpan.FromSeconds(90));
        Assert.Equal((1L, FeedEntryKind.EscalationTierReached, true), (entry.Sequence, entry.Kind, entry.Important));
        Assert.Single(console.Entries);
    }
}
