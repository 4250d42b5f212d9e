using System.Diagnostics;
using MassTransit;

namespace HotlineSystem.Benchmark;

/// <summary>The baseline's own message: small, durable, published and consumed by this process.</summary>
public sealed record BenchmarkPing(Guid RunId, int Sequence, long SentAt);

public sealed class BenchmarkPingConsumer(PingLog log) : IConsumer<BenchmarkPing>
{
    public Task Consume(ConsumeContext<BenchmarkPing> context)
    {
        log.Record(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>What the ping consumer saw of the current run (pings of an earlier, aborted run are ignored).</summary>
public sealed class PingLog
{
    private volatile Run _run = new(Guid.Empty, 0);

    public int Received => Volatile.Read(ref _run.Received);

    public int Duplicates => Volatile.Read(ref _run.Duplicates);

    public Task AllReceived => _run.All.Task;

    public void Start(Guid runId, int count) => _run = new Run(runId, count);

    public void Record(BenchmarkPing ping)
    {
        var now = Stopwatch.GetTimestamp();
        var run = _run;
        if (ping.RunId != run.Id || ping.Sequence < 0 || ping.Sequence >= run.ReceivedAt.Length)
        {
            return;
        }

        run.SentAt[ping.Sequence] = ping.SentAt; // a duplicate writes the same value again
        if (Interlocked.CompareExchange(ref run.ReceivedAt[ping.Sequence], now, 0) != 0)
        {
            Interlocked.Increment(ref run.Duplicates);
            return;
        }

        if (Interlocked.Increment(ref run.Received) == run.ReceivedAt.Length)
        {
            run.All.TrySetResult();
        }
    }

    /// <summary>Publish-to-consume latency of every ping received, in milliseconds, and the last arrival.</summary>
    public (List<double> LatenciesMs, long LastReceivedAt) Results()
    {
        var run = _run;
        var latencies = new List<double>(run.ReceivedAt.Length);
        long last = 0;
        for (var i = 0; i < run.ReceivedAt.Length; i++)
        {
            var receivedAt = Volatile.Read(ref run.ReceivedAt[i]);
            if (receivedAt != 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(run.SentAt[i], receivedAt).TotalMilliseconds);
                last = Math.Max(last, receivedAt);
            }
        }

        return (latencies, last);
    }

    private sealed class Run(Guid id, int count)
    {
        public readonly Guid Id = id;
        public readonly long[] SentAt = new long[count];
        public readonly long[] ReceivedAt = new long[count];
        public readonly TaskCompletionSource All = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Received;
        public int Duplicates;
    }
}

/// <summary>(a) Raw MassTransit publish → consume through the same broker: what the bus alone can do here.</summary>
public sealed class BrokerBaseline(IBus bus, PingLog log)
{
    /// <summary>Flooded: as many publishes awaiting confirmation at once as <paramref name="inFlight"/> allows (the rate).</summary>
    public async Task<BaselineResult> FloodAsync(int messages, int inFlight, TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(inFlight);
        return await MeasureAsync(messages, drainTimeout, cancellationToken, async (publish, sequence) =>
        {
            await window.WaitAsync(cancellationToken);
            return ReleaseAfter(publish(sequence), window);
        });
    }

    /// <summary>At a fixed rate, open loop: the floor under the latency of (b).</summary>
    public Task<BaselineResult> AtRateAsync(int perSecond, TimeSpan duration, TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        var interval = Stopwatch.Frequency / (double)perSecond;
        var start = Stopwatch.GetTimestamp();
        return MeasureAsync((int)(duration.TotalSeconds * perSecond), drainTimeout, cancellationToken, async (publish, sequence) =>
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(sequence * interval));
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            return publish(sequence);
        });
    }

    /// <summary>Publishes the run's pings as <paramref name="pace"/> lets them go, then waits for them all and measures.</summary>
    private async Task<BaselineResult> MeasureAsync(
        int messages, TimeSpan drainTimeout, CancellationToken cancellationToken, Func<Func<int, Task>, int, Task<Task>> pace)
    {
        var runId = Guid.NewGuid();
        log.Start(runId, messages);
        var failures = 0;
        var publishes = new List<Task>(messages);

        var start = Stopwatch.GetTimestamp();
        for (var sequence = 0; sequence < messages; sequence++)
        {
            publishes.Add(await pace(PublishAsync, sequence));
        }

        await Task.WhenAll(publishes);
        var confirmed = Stopwatch.GetTimestamp();
        await Task.WhenAny(log.AllReceived, Task.Delay(drainTimeout, cancellationToken));

        var (latencies, lastReceivedAt) = log.Results();
        var end = lastReceivedAt == 0 ? Stopwatch.GetTimestamp() : lastReceivedAt;
        return new BaselineResult(
            messages,
            failures,
            log.Received,
            log.Duplicates,
            PublishRate: (messages - failures) / Stopwatch.GetElapsedTime(start, confirmed).TotalSeconds,
            ConsumeRate: log.Received / Stopwatch.GetElapsedTime(start, end).TotalSeconds,
            Latency: Percentiles.Of(latencies));

        async Task PublishAsync(int sequence)
        {
            try
            {
                await bus.Publish(new BenchmarkPing(runId, sequence, Stopwatch.GetTimestamp()), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }

    private static async Task ReleaseAfter(Task publish, SemaphoreSlim window)
    {
        try
        {
            await publish;
        }
        finally
        {
            window.Release();
        }
    }
}

public sealed record BaselineResult(
    int Published, int PublishFailures, int Received, int Duplicates, double PublishRate, double ConsumeRate, Percentiles Latency)
{
    public int Lost => Published - PublishFailures - Received;
}
