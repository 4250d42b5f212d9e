using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using HotlineSystem.BuildingBlocks.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>A message whose consumer fails <see cref="Failures"/> times with <see cref="Failure"/> before it succeeds.</summary>
public sealed record CustomsCheck(Guid Id, string Failure, int Failures);

/// <summary>Per message: how often its consumer ran, whether it took effect, whether it reached the error queue.</summary>
public sealed class CustomsCheckLog
{
    public ConcurrentDictionary<Guid, int> Attempts { get; } = new();

    public ConcurrentDictionary<Guid, int> Effects { get; } = new();

    public ConcurrentDictionary<Guid, int> InErrorQueue { get; } = new();
}

public sealed class CustomsCheckConsumer(CustomsCheckLog log) : IConsumer<CustomsCheck>
{
    public Task Consume(ConsumeContext<CustomsCheck> context)
    {
        var message = context.Message;
        var attempt = log.Attempts.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        if (attempt <= message.Failures)
        {
            throw message.Failure switch
            {
                // What Npgsql throws while PostgreSQL is stopped.
                "outage" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
                "race" => new DbUpdateConcurrencyException("The row was changed since it was read."),
                _ => new InvalidOperationException("A check this consumer can never make."),
            };
        }

        log.Effects.AddOrUpdate(message.Id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>Reads the error queue of <see cref="CustomsCheckConsumer"/>'s endpoint, as an operator would.</summary>
public sealed class CustomsCheckErrorQueueReader(CustomsCheckLog log) : IConsumer<CustomsCheck>
{
    public Task Consume(ConsumeContext<CustomsCheck> context)
    {
        log.InErrorQueue.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The bus exactly as the services get it (<see cref="BusSetup.AddServiceBus"/>, in-memory transport):
/// an outage is waited out however many tries it takes and never reaches the error queue; a race is
/// tried again; a message that can never be handled reaches the error queue on its first failure.
/// </summary>
public sealed class OutageRetryTests : IAsyncLifetime
{
    private readonly CustomsCheckLog _log = new();
    private readonly List<(string Queue, long Count)> _errorQueueCounts = [];
    private readonly MeterListener _meters = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (_errorQueueCounts)
            {
                _errorQueueCounts.Add(((string)tags.ToArray().Single(t => t.Key == "queue").Value!, value));
            }
        });
        _meters.Start();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "InMemory",
            // Short waits so a test of forty tries takes seconds; the services wait up to ten seconds.
            ["Messaging:OutageRetryMaxDelay"] = "00:00:00.100",
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_log);
        builder.Services.AddLogging();
        builder.Services.AddMetrics();
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<CustomsCheckConsumer>();
            bus.AddConsumer<CustomsCheckErrorQueueReader>().Endpoint(e =>
            {
                // Only what the error transport moves there: not subscribed to the published messages.
                e.Name = "customs-check_error";
                e.ConfigureConsumeTopology = false;
            });
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _meters.Dispose();
    }

    private async Task<Guid> SendAsync(string failure, int failures)
    {
        var id = Guid.NewGuid();
        await _host.Services.GetRequiredService<IBus>().Publish(new CustomsCheck(id, failure, failures));
        return id;
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 30 s: {what}");
            await Task.Delay(20);
        }
    }

    private Task<HealthReport> ReadyAsync() =>
        _host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"));

    [Fact]
    public async Task A_message_that_meets_an_outage_waits_it_out_pauses_its_consumer_and_takes_effect_once_when_it_ends()
    {
        // Forty failed tries: eight times the five that used to send such a message to the error queue.
        var id = await SendAsync("outage", failures: 40);

        await Until(() => _log.Attempts.GetValueOrDefault(id) >= 3, "three tries");
        var during = await ReadyAsync();
        Assert.Equal(HealthStatus.Degraded, during.Entries[ConsumerOutagesHealthCheck.Name].Status);
        Assert.Contains("customs-check", during.Entries[ConsumerOutagesHealthCheck.Name].Description);
        Assert.Contains("NpgsqlException", during.Entries[ConsumerOutagesHealthCheck.Name].Description);

        await Until(() => _log.Effects.ContainsKey(id), "the effect after the outage");
        Assert.Equal(41, _log.Attempts[id]);
        Assert.Equal(1, _log.Effects[id]);
        // The consumer counts as resumed once the retry that worked has returned: just after the effect, not with it.
        await Until(() => ReadyAsync().GetAwaiter().GetResult().Entries[ConsumerOutagesHealthCheck.Name].Status == HealthStatus.Healthy, "healthy again");

        await Task.Delay(300);
        Assert.False(_log.InErrorQueue.ContainsKey(id), "an outage never sends a message to the error queue");
        Assert.Empty(_errorQueueCounts);
    }

    [Fact]
    public async Task A_message_that_can_never_be_handled_reaches_the_error_queue_on_its_first_failure_logged_and_counted()
    {
        var id = await SendAsync("defect", failures: int.MaxValue);

        await Until(() => _log.InErrorQueue.ContainsKey(id), "the message in customs-check_error");
        Assert.Equal(1, _log.Attempts[id]);
        Assert.False(_log.Effects.ContainsKey(id));
        lock (_errorQueueCounts)
        {
            Assert.Equal([("customs-check", 1L)], _errorQueueCounts);
        }
    }

    [Fact]
    public async Task A_race_is_tried_again_until_it_settles()
    {
        var id = await SendAsync("race", failures: 3);

        await Until(() => _log.Effects.ContainsKey(id), "the effect once the race settled");
        Assert.Equal(4, _log.Attempts[id]);
        Assert.False(_log.InErrorQueue.ContainsKey(id));
    }

    [Fact]
    public async Task A_race_that_never_settles_is_a_defect_and_reaches_the_error_queue_after_a_few_tries()
    {
        var id = await SendAsync("race", failures: int.MaxValue);

        await Until(() => _log.InErrorQueue.ContainsKey(id), "the message in customs-check_error");
        Assert.Equal(OutageRetryPolicy.RaceRetryLimit + 1, _log.Attempts[id]);
    }
}
