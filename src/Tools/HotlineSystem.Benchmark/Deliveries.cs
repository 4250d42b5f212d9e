using System.Collections.Concurrent;
using System.Diagnostics;
using HotlineSystem.Contracts.Incidents;
using MassTransit;

namespace HotlineSystem.Benchmark;

/// <summary>
/// "Another service": the tool's own consumer of IncidentReported, on its own (quorum) queue. It
/// has no inbox on purpose: it counts every delivery, so a duplicate the inbox would hide shows.
/// </summary>
public sealed class ReportedIncidentsConsumer(IncidentDeliveries deliveries) : IConsumer<IncidentReported>
{
    public Task Consume(ConsumeContext<IncidentReported> context)
    {
        deliveries.Record(context.Message.IncidentId);
        return Task.CompletedTask;
    }
}

/// <summary>Every IncidentReported consumed: when it first arrived (Stopwatch ticks) and how often.</summary>
public sealed class IncidentDeliveries
{
    private readonly ConcurrentDictionary<Guid, Delivery> _deliveries = new();

    public void Record(Guid incidentId)
    {
        var delivery = _deliveries.GetOrAdd(incidentId, static _ => new Delivery(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow));
        Interlocked.Increment(ref delivery.Count);
    }

    public Delivery? Find(Guid incidentId) => _deliveries.GetValueOrDefault(incidentId);

    public IEnumerable<Guid> IncidentIds => _deliveries.Keys;

    /// <summary>Waits until every one of <paramref name="incidentIds"/> has arrived, or the timeout passes.</summary>
    public async Task<bool> WaitForAllAsync(IReadOnlyCollection<Guid> incidentIds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var missing = incidentIds.Where(id => !_deliveries.ContainsKey(id)).ToList();
        while (missing.Count > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
            missing.RemoveAll(_deliveries.ContainsKey);
        }

        return true;
    }

    public sealed class Delivery(long firstAt, DateTimeOffset firstAtUtc)
    {
        public long FirstAt { get; } = firstAt;

        /// <summary>The same moment on the wall clock, to compare with times another process took (same machine).</summary>
        public DateTimeOffset FirstAtUtc { get; } = firstAtUtc;

        public int Count;
    }
}
