using System.Collections.Concurrent;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>The typed client against the real host: what a console's own faults do to its line.</summary>
public sealed class NotificationClientTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NotificationsApp _notifications = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("client");
        _notifications = new NotificationsApp(_database.ConnectionString, $"c{Guid.NewGuid():N}"[..10]).Start();
    }

    public async Task DisposeAsync()
    {
        await _notifications.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_start_whose_catch_up_fails_leaves_the_line_stopped_and_a_second_start_hands_every_entry_to_every_subscriber()
    {
        var officer = $"cn-{Guid.NewGuid():N}"[..12];
        var officerId = await _notifications.PersonAsync(officer, "CN", HotlineRoles.LiaisonOfficer);
        await _notifications.InDatabase(async db =>
        {
            var feed = db.Feeds.Add(UserFeed.For(officerId)).Entity;
            foreach (var title in new[] { "Dysprosium licence delay", "Terbium customs hold" })
            {
                db.FeedEntries.Add(feed.Append(new Notice(FeedEntryKind.IncidentReported, "KR-CN", Guid.NewGuid(), "KR", null, Visibility.Shared, false,
                    title, "KR reported a Sev2 incident", DateTimeOffset.UtcNow), DateTimeOffset.UtcNow));
            }

            return await db.SaveChangesAsync();
        });

        await using var console = await _notifications.ConnectionForAsync(officer, "CN", [HotlineRoles.LiaisonOfficer]);
        var shown = new ConcurrentQueue<long>();
        var screenBroken = true;
        console.Connection.EntryReceived += async entry =>
        {
            await Task.Delay(50); // the screen takes its time: the line must wait for it, not only for the last subscriber
            if (screenBroken)
            {
                throw new InvalidOperationException("The console's screen failed to show the entry.");
            }

            shown.Enqueue(entry.Sequence);
        };
        var counted = 0;
        console.Connection.EntryReceived += _ =>
        {
            Interlocked.Increment(ref counted);
            return Task.CompletedTask;
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => console.StartAsync());
        Assert.Equal(HubConnectionState.Disconnected, console.Connection.State);
        Assert.Equal(0, console.Connection.LastSequence);

        screenBroken = false;
        await console.StartAsync();

        // Every subscriber (the recorder, the screen, the counter after it) got both entries. The recorder,
        // subscribed before the screen, saw the first one twice: it was not handed over the first time
        // (the last sequence stayed at 0), so it came again.
        Assert.Equal([1L, 2L], shown);
        Assert.Equal(2, counted);
        Assert.Equal([1L, 1L, 2L], console.Entries.Select(e => e.Sequence));
        Assert.Equal(2, console.Connection.LastSequence);
        Assert.Equal(HubConnectionState.Connected, console.Connection.State);
    }
}
