using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using HotlineSystem.Contracts.Notifications;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// One Notifications host on a database of its own, shared by the tests of a class. Its directory
/// learns every person of the shared Identity server (directory replay at its start) and those created later, so the people of a fixture are named apart
/// (<see cref="Name"/>).
/// </summary>
public sealed class NotificationsHostFixture : IAsyncLifetime
{
    private readonly string _run = $"{Guid.NewGuid():N}"[..6];
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _once = new();
    private TestDatabase? _database;
    private NotificationsApp? _app;

    public NotificationsApp App => _app ?? throw new InvalidOperationException("The Notifications host has not started.");

    /// <summary>A name of this fixture's own: "cn-officer" → "cn-officer-3fa2c1".</summary>
    public string Name(string name) => $"{name}-{_run}";

    /// <summary>What several tests of the class need, made by whichever asks first.</summary>
    public async Task<T> OnceAsync<T>(string key, Func<Task<T>> create)
        where T : class =>
        (T)await _once.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => await create())).Value;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("notifysec");
        _app = new NotificationsApp(_database.ConnectionString, $"s{Guid.NewGuid():N}"[..10]);
        _app.Start(); // once assigned: a host that started but never became healthy is still disposed
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public static class NotificationHubConnections
{
    /// <summary>
    /// A bare SignalR client of the hub, not started: no reconnection, no catch-up, only what the
    /// test does. The token goes where the .NET client puts it (the Authorization header, at
    /// negotiation and on the WebSocket request) unless <paramref name="queryToken"/> puts one in
    /// the URL, as a browser's client does.
    /// </summary>
    public static HubConnection HubConnection(
        this NotificationsApp app,
        string? token,
        HttpTransportType transport = HttpTransportType.WebSockets,
        bool skipNegotiation = false,
        string? queryToken = null)
    {
        var url = new Uri(app.BaseAddress, NotificationHubProtocol.Path);
        if (queryToken is not null)
        {
            url = new Uri($"{url}?access_token={Uri.EscapeDataString(queryToken)}");
        }

        return new HubConnectionBuilder()
            .WithUrl(url, transport, options =>
            {
                options.SkipNegotiation = skipNegotiation;
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/> (30 s).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s: {what}");
            }

            await Task.Delay(50);
        }
    }
}
