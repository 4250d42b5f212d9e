using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Client;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Security;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.Web.Live;

/// <summary>
/// The circuit's one line to the Notifications hub (the typed client): it starts from the feed's
/// last sequence when the first page listens, reconnects and catches up by itself after any outage
/// of the Notifications service, and hands each new feed entry to the pages once, in order.
/// </summary>
public sealed class ConsoleLine(HotlineApi api, ConsoleUser user, ILogger<ConsoleLine> logger) : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim starting = new(1, 1);
    private NotificationConnection? connection;

    /// <summary>A new entry of the person's feed (a page re-reads what it shows and highlights it).</summary>
    public event Func<FeedEntry, Task>? EntryReceived;

    /// <summary>The line is up or down: pages may say so.</summary>
    public event Action<bool>? ConnectionChanged;

    public bool Connected => connection?.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected;

    /// <summary>Starts the line if it is not started; a Notifications service that is down is waited for in the background.</summary>
    public async Task ListenAsync()
    {
        await starting.WaitAsync(stopping.Token);
        try
        {
            if (connection is not null)
            {
                return;
            }

            var notifications = api.AddressOf(HotlineService.Notifications);
            long lastSequence;
            try
            {
                lastSequence = (await api.UnreadAsync(stopping.Token)).LastSequence;
            }
            catch (Exception exception) when (exception is HttpRequestException or ApiProblem)
            {
                logger.LogWarning(exception, "The Notifications service does not answer; the console's line starts when it does");
                _ = Task.Run(() => RetryAsync(), CancellationToken.None);
                return;
            }

            connection = new NotificationConnection(notifications, async () => await user.AccessTokenAsync(stopping.Token), lastSequence);
            connection.EntryReceived += entry => EntryReceived?.Invoke(entry) ?? Task.CompletedTask;
            connection.Hub.Reconnecting += _ =>
            {
                ConnectionChanged?.Invoke(false);
                return Task.CompletedTask;
            };
            connection.Hub.Reconnected += _ =>
            {
                ConnectionChanged?.Invoke(true);
                return Task.CompletedTask;
            };
            connection.Faulted += exception => logger.LogWarning(exception, "The console's line missed a catch-up; it catches up at the next push or reconnect");
            _ = Task.Run(() => StartAsync(connection), CancellationToken.None);
        }
        finally
        {
            starting.Release();
        }
    }

    private async Task RetryAsync()
    {
        try
        {
            await Task.Delay(RetryAfter, stopping.Token);
            await ListenAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task StartAsync(NotificationConnection line)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await line.StartAsync(stopping.Token);
                ConnectionChanged?.Invoke(true);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SessionEndedException)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogInformation(exception, "The console's line could not connect yet; trying again");
                try
                {
                    await Task.Delay(RetryAfter, stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        stopping.Dispose();
    }
}
