using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// The consumers of this process that are paused: a message of theirs waits out an outage of the
/// database or the broker (<see cref="OutageRetryPolicy"/>). They resume by themselves when it ends;
/// until then /health/ready says which queue waits, since when and on what.
/// </summary>
public sealed class ConsumerOutages
{
    private readonly ConcurrentDictionary<object, PausedMessage> _paused = new();

    public void Paused(object message, string queue, Exception fault, DateTimeOffset since) =>
        _paused[message] = new PausedMessage(queue, fault.GetType().Name, since); // the type only: /health/ready is anonymous

    public void Resumed(object message) => _paused.TryRemove(message, out _);

    /// <summary>Per queue: how many messages wait, since when, and the latest fault.</summary>
    public IReadOnlyList<PausedQueue> PausedQueues() =>
        _paused.Values
            .GroupBy(p => p.Queue)
            .Select(g => new PausedQueue(g.Key, g.Count(), g.Min(p => p.Since), g.MaxBy(p => p.Since)!.Fault))
            .OrderBy(q => q.Queue, StringComparer.Ordinal)
            .ToList();

    private sealed record PausedMessage(string Queue, string Fault, DateTimeOffset Since);
}

public sealed record PausedQueue(string Queue, int Messages, DateTimeOffset Since, string Fault);

/// <summary>
/// /health/ready: Degraded (still 200, the replica still serves requests) while any consumer is
/// paused, naming each queue; Healthy again once every message got through.
/// </summary>
public sealed class ConsumerOutagesHealthCheck(ConsumerOutages outages) : IHealthCheck
{
    public const string Name = "consumers";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var paused = outages.PausedQueues();
        if (paused.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No consumer is waiting out an outage."));
        }

        var data = paused.ToDictionary(q => q.Queue, object (q) => new { q.Messages, since = q.Since, fault = q.Fault });
        var description = "Paused, waiting out an outage: " + string.Join("; ", paused.Select(q => $"{q.Queue} ({q.Messages} since {q.Since:O}: {q.Fault})"));
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
