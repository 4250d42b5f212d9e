using System.Collections.Concurrent;
using System.Net.Http.Headers;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Client;
using HotlineSystem.Notifications.Data;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.Notifications.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Notifications host (its Program) on Kestrel, so that SignalR clients connect over real
/// WebSockets, on a PostgreSQL database of its own and the real RabbitMQ broker, with access tokens
/// of the real Identity service. Two instances on one database and one broker are two replicas.
/// Its directory of people fills from Identity's events: create people with <see cref="PersonAsync"/>
/// after <see cref="Start"/>.
/// </summary>
public sealed class NotificationsApp(string connectionString, string endpointPrefix, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<NotificationsHostEntryPoint>
{
    public const string Scope = "openid profile notifications";

    public static readonly TimeSpan DirectoryDelay = TimeSpan.FromSeconds(30);

    public static IdentityApp Identity => IncidentsApp.Identity;

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
        .Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseServiceSettings(connectionString, endpointPrefix);
        builder.UseSetting("Identity:Authority", Identity.Authority);
        builder.UseSetting("Identity:Audience", "notifications-api");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the host on a loopback port (any free one, or <paramref name="port"/>) and waits until its bus is healthy (its queues are bound).</summary>
    public NotificationsApp Start(int port = 0)
    {
        UseKestrel(port);
        StartServer();
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (client.GetAsync("/health/bus").GetAwaiter().GetResult().StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The Notifications host's bus did not become healthy within 60 s.");
            }

            Thread.Sleep(100);
        }

        return this;
    }

    public static Task<string> TokenAsync(string name, string party, params string[] roles) => Identity.AccessTokenAsync(name, party, roles, Scope);

    /// <summary>An HTTP client of the person, for the feed API.</summary>
    public async Task<HttpClient> ClientForAsync(string name, string party, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(name, party, roles));
        return client;
    }

    /// <summary>The typed client of the person (not started), recording what it receives.</summary>
    public async Task<RecordingConnection> ConnectionForAsync(string name, string party, string[] roles, long lastSequence = 0)
    {
        var token = await TokenAsync(name, party, roles);
        return new RecordingConnection(new NotificationConnection(BaseAddress, () => Task.FromResult<string?>(token), lastSequence));
    }

    /// <summary>A person created at Identity and announced to this host: returns their user id once the directory holds them.</summary>
    public async Task<string> PersonAsync(string name, string party, params string[] roles)
    {
        var userId = (await Identity.PersonAsync(name, party, roles)).User.Id.ToString();
        var deadline = DateTimeOffset.UtcNow + DirectoryDelay;
        while (!await InDatabase(db => db.People.AnyAsync(p => p.UserId == userId)))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} ({party}) did not reach the Notifications directory within {DirectoryDelay.TotalSeconds} s.");
            }

            await Task.Delay(100);
        }

        return userId;
    }

    /// <summary>
    /// Appends entries to a person's feed straight in the database, with no push: as if another replica
    /// had written them and their push had been lost.
    /// </summary>
    public Task AppendUnpushedAsync(string userId, params Notice[] notices) => InDatabase(async db =>
    {
        var feed = await db.Feeds.SingleOrDefaultAsync(f => f.UserId == userId) ?? db.Feeds.Add(UserFeed.For(userId)).Entity;
        foreach (var notice in notices)
        {
            db.FeedEntries.Add(feed.Append(notice, DateTimeOffset.UtcNow));
        }

        return await db.SaveChangesAsync();
    });

    /// <summary>A KR tier that was not acknowledged in time, "important", for an entry written by hand.</summary>
    public static Notice TierNotice(Guid incidentId) =>
        new(FeedEntryKind.EscalationTierReached, "KR-CN", incidentId, "KR", null, Visibility.Internal, true,
            "Magnet plant stoppage", "Escalation tier 1: not acknowledged in time", DateTimeOffset.UtcNow);

    public async Task<T> InDatabase<T>(Func<NotificationsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }
}

/// <summary>A typed client that records every entry it hands over, in order, and lets a test wait for them.</summary>
public sealed class RecordingConnection : IAsyncDisposable
{
    private readonly ConcurrentQueue<FeedEntry> _entries = new();
    private readonly ConcurrentQueue<LineCheck> _lineChecks = new();

    public RecordingConnection(NotificationConnection connection)
    {
        Connection = connection;
        connection.EntryReceived += entry =>
        {
            _entries.Enqueue(entry);
            return Task.CompletedTask;
        };
        connection.LineChecked += check =>
        {
            _lineChecks.Enqueue(check);
            return Task.CompletedTask;
        };
    }

    public NotificationConnection Connection { get; }

    public IReadOnlyList<FeedEntry> Entries => [.. _entries];

    public IReadOnlyList<LineCheck> LineChecks => [.. _lineChecks];

    public async Task<RecordingConnection> StartAsync()
    {
        await Connection.StartAsync();
        return this;
    }

    /// <summary>Waits until an entry matching <paramref name="match"/> has arrived, and returns it.</summary>
    public async Task<FeedEntry> WaitForAsync(Func<FeedEntry, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_entries.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching entry within the time; received: {string.Join(", ", _entries.Select(e => $"{e.Sequence}:{e.Kind}:{e.Title}"))}");
            }

            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>
/// A bare hub connection that records every push as it comes, duplicates included: what the typed
/// client would hide (it drops repeats), a test of "exactly once" must see.
/// </summary>
public sealed class PushRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<FeedEntry> _pushes = new();
    private readonly Microsoft.AspNetCore.SignalR.Client.HubConnection _connection;

    private PushRecorder(Microsoft.AspNetCore.SignalR.Client.HubConnection connection)
    {
        _connection = connection;
        Microsoft.AspNetCore.SignalR.Client.HubConnectionExtensions.On<FeedEntry>(connection, nameof(INotificationClient.FeedEntryAdded), _pushes.Enqueue);
    }

    public IReadOnlyList<FeedEntry> Pushes => [.. _pushes];

    public static async Task<PushRecorder> ConnectAsync(NotificationsApp app, string token)
    {
        var recorder = new PushRecorder(app.HubConnection(token));
        await recorder._connection.StartAsync();
        return recorder;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
