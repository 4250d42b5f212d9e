using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using HotlineSystem.Contracts.Notifications;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.Notifications.Client;

/// <summary>
/// A console's line to the Notifications hub. It hands each feed entry to <see cref="EntryReceived"/>
/// exactly once and in sequence order, whatever the network does: live pushes that repeat are
/// dropped, a push after a gap (a lost push, a reconnect) makes it fetch what is missing from the
/// feed first, and every (re)connection starts with a catch-up from <see cref="LastSequence"/>.
/// Keep LastSequence somewhere to resume from it in the next session.
/// </summary>
public sealed class NotificationConnection : IAsyncDisposable
{
    private readonly HubConnection connection;
    private readonly Channel<FeedEntry?> work = Channel.CreateUnbounded<FeedEntry?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private Task? pump;
    private long lastSequence;

    /// <param name="serviceUri">The Notifications service (its base address; a path, as behind a reverse proxy, is kept).</param>
    /// <param name="accessToken">A fresh access token (scope notifications) on every call: it is asked for at each (re)connection.</param>
    /// <param name="lastSequence">The last sequence this client already has; 0 to receive the whole feed.</param>
    /// <param name="configureHttp">Transport options, e.g. a message handler in tests.</param>
    public NotificationConnection(Uri serviceUri, Func<Task<string?>> accessToken, long lastSequence = 0, Action<HttpConnectionOptions>? configureHttp = null)
    {
        this.lastSequence = lastSequence;
        connection = new HubConnectionBuilder()
            .WithUrl(HubUri(serviceUri), options =>
            {
                options.AccessTokenProvider = accessToken;
                configureHttp?.Invoke(options);
            })
            .WithAutomaticReconnect(new KeepReconnecting())
            .AddJsonProtocol(json =>
            {
                json.PayloadSerializerOptions.Converters.Add(new TolerantKindConverter());
                json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            })
            .Build();

        // Handlers run on the connection's receive loop: they only queue, never wait for the server.
        connection.On<FeedEntry>(nameof(INotificationClient.FeedEntryAdded), entry => work.Writer.WriteAsync(entry).AsTask());
        connection.On<LineCheck>(nameof(INotificationClient.LineChecked), check => LineChecked?.Invoke(check) ?? Task.CompletedTask);
        connection.On(nameof(INotificationClient.CatchUpNow), () => work.Writer.WriteAsync(null).AsTask());
        connection.Reconnected += _ => work.Writer.WriteAsync(null).AsTask();
    }

    /// <summary>Each entry of the person's feed, once, in sequence order.</summary>
    public event Func<FeedEntry, Task>? EntryReceived;

    /// <summary>An administrator checked the line of one of the person's channels.</summary>
    public event Func<LineCheck, Task>? LineChecked;

    /// <summary>A catch-up or a handler failed; the connection goes on and catches up at the next push or reconnect.</summary>
    public event Action<Exception>? Faulted;

    /// <summary>The sequence of the last entry handed to <see cref="EntryReceived"/>.</summary>
    public long LastSequence => Interlocked.Read(ref lastSequence);

    public HubConnectionState State => connection.State;

    /// <summary>
    /// Connects and catches up: when this returns, every entry committed before it has been handed over.
    /// If the catch-up fails (or a handler throws), the connection is stopped again and the call may be repeated.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await connection.StartAsync(cancellationToken);
        try
        {
            await CatchUpAsync(cancellationToken);
        }
        catch
        {
            await connection.StopAsync(CancellationToken.None);
            throw;
        }

        pump = Task.Run(PumpAsync, CancellationToken.None);
    }

    /// <summary>The hub's address under the service's base address, path included ("https://host/notifications/hubs/notifications").</summary>
    public static Uri HubUri(Uri serviceUri)
    {
        var baseUri = serviceUri.AbsoluteUri.EndsWith('/') ? serviceUri : new Uri(serviceUri.AbsoluteUri + "/");
        return new Uri(baseUri, NotificationHubProtocol.Path.TrimStart('/'));
    }

    /// <summary>Checks a channel's line (administrators of a party of the channel only; others are refused with a HubException).</summary>
    public Task<LineCheck> CheckLineAsync(string channel, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<LineCheck>(NotificationHubProtocol.CheckLineMethod, channel, cancellationToken);

    /// <summary>The raw hub connection, for what this wrapper does not cover.</summary>
    public HubConnection Hub => connection;

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        work.Writer.TryComplete();
        await stopping.CancelAsync();
        await connection.StopAsync(cancellationToken);
        if (pump is not null)
        {
            await pump;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await connection.DisposeAsync();
        stopping.Dispose();
    }

    // One reader: pushes and catch-up requests (null) are handled in arrival order.
    private async Task PumpAsync()
    {
        await foreach (var item in work.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (item is null || item.Sequence > LastSequence + 1)
                {
                    await CatchUpAsync(stopping.Token);
                }
                else if (item.Sequence == LastSequence + 1)
                {
                    await DeliverAsync(item);
                }
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                Faulted?.Invoke(exception);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        CatchUp page;
        do
        {
            page = await connection.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, LastSequence, cancellationToken);
            foreach (var entry in page.Entries.Where(e => e.Sequence > LastSequence).OrderBy(e => e.Sequence))
            {
                await DeliverAsync(entry);
            }
        }
        while (page.More);
    }

    private async Task DeliverAsync(FeedEntry entry)
    {
        // Every subscriber, one after the other (awaiting the event itself would wait for the last one only).
        foreach (var handler in EntryReceived?.GetInvocationList().Cast<Func<FeedEntry, Task>>() ?? [])
        {
            await handler(entry);
        }

        Interlocked.Exchange(ref lastSequence, entry.Sequence);
    }
}

/// <summary>
/// Reads a feed entry's kind by name, and a kind newer than this client as <see cref="FeedEntryKind.Unknown"/>
/// (the service adds kinds; a strict reader would fail every catch-up from then on and stall).
/// </summary>
public sealed class TolerantKindConverter : JsonConverter<FeedEntryKind>
{
    public override FeedEntryKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Enum.TryParse<FeedEntryKind>(reader.GetString(), ignoreCase: false, out var kind)
            && Enum.IsDefined(kind) && kind != FeedEntryKind.Unknown
            ? kind
            : FeedEntryKind.Unknown;

    public override void Write(Utf8JsonWriter writer, FeedEntryKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>
/// Reconnects for as long as the connection is wanted. SignalR's default policy gives up after four
/// attempts (0, 2, 10 and 30 s): after an outage of about 45 s, e.g. a slow redeployment of the
/// Notifications replicas, a console would be left silently without its line until someone restarted
/// it. This one tries at once, then backs off to every half minute or so, with a little jitter so that
/// the consoles of a restarted replica do not all come back in the same instant.
/// </summary>
public sealed class KeepReconnecting : IRetryPolicy
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxJitter = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan[] FirstDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        retryContext.PreviousRetryCount < FirstDelays.Length
            ? FirstDelays[retryContext.PreviousRetryCount]
            : MaxDelay + (MaxJitter * Random.Shared.NextDouble());
}
