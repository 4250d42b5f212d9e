using System.Reflection;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace HotlineSystem.UnitTests.Messaging;

public sealed class DirectoryReplayRequestTests
{
    [Fact]
    public async Task When_the_bus_is_ready_the_replay_is_asked_for_once()
    {
        await using var testbed = await MessagingTestbed.CreateAsync(startBus: false);
        using var stopping = new CancellationTokenSource();
        var request = RequestOf(testbed, stopping.Token);

        await request.PostStart(BusHealth.Create(healthy: true), Task.FromResult<BusReady>(null!));

        await WaitForRequestsAsync(testbed, 1);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.Single(await RequestsAsync(testbed));
    }

    [Fact]
    public async Task When_the_broker_is_down_at_start_the_replay_is_asked_for_once_the_bus_is_healthy()
    {
        await using var testbed = await MessagingTestbed.CreateAsync(startBus: false);
        using var stopping = new CancellationTokenSource();
        var request = RequestOf(testbed, stopping.Token);
        var bus = BusHealth.Create(healthy: false);

        await request.PostStart(bus, Task.FromException<BusReady>(new InvalidOperationException("Broker unreachable")));

        for (var second = 0; second < 5; second++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            testbed.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Empty(await RequestsAsync(testbed));

        ((BusHealth)(object)bus).Healthy = true;
        await WaitForRequestsAsync(testbed, 1);
        Assert.Single(await RequestsAsync(testbed));
    }

    [Fact]
    public async Task A_service_stopped_before_the_bus_is_healthy_asks_for_nothing()
    {
        await using var testbed = await MessagingTestbed.CreateAsync(startBus: false);
        using var stopping = new CancellationTokenSource();
        var request = RequestOf(testbed, stopping.Token);

        await request.PostStart(BusHealth.Create(healthy: false), Task.FromException<BusReady>(new InvalidOperationException("Broker unreachable")));
        await stopping.CancelAsync();
        testbed.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromMilliseconds(200));

        Assert.Empty(await RequestsAsync(testbed));
    }

    private static DirectoryReplayRequest<MessagingTestDbContext> RequestOf(MessagingTestbed testbed, CancellationToken stopping) =>
        new(new DirectoryReplayService<MessagingTestDbContext>("committee"), testbed.Scopes, testbed.Time, new Lifetime(stopping),
            NullLogger<DirectoryReplayRequest<MessagingTestDbContext>>.Instance);

    private static async Task<List<string>> RequestsAsync(MessagingTestbed testbed) =>
        [.. (await testbed.OutboxAsync()).Where(m => m.MessageType.Contains(nameof(DirectoryReplayRequested), StringComparison.Ordinal)).Select(m => m.MessageType)];

    /// <summary>Moves the clock a second at a time (the request waits on it) until the requests are in the outbox.</summary>
    private static async Task WaitForRequestsAsync(MessagingTestbed testbed, int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if ((await RequestsAsync(testbed)).Count >= count)
            {
                return;
            }

            testbed.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.Fail($"Fewer than {count} directory replay requests in the outbox.");
    }

    private sealed class Lifetime(CancellationToken stopping) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => stopping;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }

    /// <summary>A bus whose only answer is its health, switched by the test.</summary>
    public class BusHealth : DispatchProxy
    {
        public bool Healthy { get; set; }

        public static IBusControl Create(bool healthy)
        {
            var bus = DispatchProxy.Create<IBusControl, BusHealth>();
            ((BusHealth)(object)bus).Healthy = healthy;
            return bus;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IBusControl.CheckHealth)
                ? Healthy
                    ? BusHealthResult.Healthy("test bus", new Dictionary<string, EndpointHealthResult>())
                    : BusHealthResult.Unhealthy("test bus", new InvalidOperationException("Broker unreachable"), new Dictionary<string, EndpointHealthResult>())
                : throw new NotSupportedException(targetMethod?.Name);
    }
}
