using System.Collections.Concurrent;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using static HotlineSystem.IntegrationTests.Infrastructure.NotificationHubConnections;

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
        await _notifications.AppendUnpushedAsync(officerId,
            [.. new[] { "Dysprosium licence delay", "Terbium customs hold" }.Select(title => new Notice(FeedEntryKind.IncidentReported, "KR-CN", Guid.NewGuid(), "KR", null,
                Visibility.Shared, false, title, "KR reported a Sev2 incident", DateTimeOffset.UtcNow))]);

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

    [Fact]
    public async Task A_console_whose_replica_restarts_reconnects_by_itself_and_catches_up_what_was_written_meanwhile()
    {
        var official = $"dg-{Guid.NewGuid():N}"[..12];
        var officialId = await _notifications.PersonAsync(official, "KR", HotlineRoles.Official);
        await using var console = await (await _notifications.ConnectionForAsync(official, "KR", [HotlineRoles.Official])).StartAsync();
        var port = _notifications.BaseAddress.Port;

        // The replica goes away (a redeployment); the console's line drops and it keeps trying.
        await _notifications.DisposeAsync();
        await EventuallyAsync(() => Task.FromResult(console.Connection.State != HubConnectionState.Connected), "the line dropped");

        // Meanwhile another replica wrote an entry to the official's feed.
        var incident = Guid.NewGuid();
        await using (var writer = new NotificationsApp(_database.ConnectionString, $"w{Guid.NewGuid():N}"[..10]))
        {
            await writer.AppendUnpushedAsync(officialId, NotificationsApp.TierNotice(incident));
        }

        // The replica is back at the same address: the console reconnects without being told, and catches up.
        _notifications = new NotificationsApp(_database.ConnectionString, $"c{Guid.NewGuid():N}"[..10]).Start(port);
        var entry = await console.WaitForAsync(e => e.IncidentId == incident, TimeSpan.FromSeconds(60));
        Assert.Equal((1L, true), (entry.Sequence, entry.Important));
        Assert.Equal(HubConnectionState.Connected, console.Connection.State);
        Assert.Single(console.Entries);
    }
}
