using System.Collections.Concurrent;
using System.Diagnostics;

namespace HotlineSystem.Benchmark;

/// <summary>(b) and (c): incidents filed over HTTP, and their IncidentReported events consumed here.</summary>
public sealed class FilingPhases(IncidentFiler filer, IncidentDeliveries deliveries, TimeSpan drainTimeout)
{
    /// <summary>
    /// Files at a fixed rate, open loop: each request leaves at its scheduled time whether or not
    /// the earlier ones have been answered, so a slow answer cannot hide the queueing it causes.
    /// </summary>
    public async Task<FilingResult> FixedRateAsync(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var (filings, maxLag) = await FileAtRateAsync(filer, perSecond, duration, cancellationToken);
        var filed = Stopwatch.GetTimestamp();
        return await AnalyseAsync($"{perSecond}/s for {duration.TotalSeconds:0} s", filings, start, filed, maxLag, cancellationToken);
    }

    /// <summary>Open loop at a fixed rate; returns every filing and the worst lateness of a scheduled request.</summary>
    public static Task<(List<Filing> Filings, TimeSpan MaxScheduleLag)> FileAtRateAsync(
        IncidentFiler filer, int perSecond, TimeSpan duration, CancellationToken cancellationToken) =>
        AtRateAsync(filer.FileAsync, perSecond, duration, cancellationToken);

    /// <summary>Sends at a fixed rate, open loop; returns every answer and the worst lateness of a scheduled request.</summary>
    public static async Task<(List<T> Answers, TimeSpan MaxScheduleLag)> AtRateAsync<T>(
        Func<CancellationToken, Task<T>> send, int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var answers = new ConcurrentQueue<T>();
        var requests = new List<Task>();
        var interval = Stopwatch.Frequency / (double)perSecond;
        var count = (int)(duration.TotalSeconds * perSecond);
        long maxLag = 0;

        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            maxLag = Math.Max(maxLag, Stopwatch.GetTimestamp() - due);
            requests.Add(SendOneAsync());
        }

        await Task.WhenAll(requests);
        return (answers.ToList(), Stopwatch.GetElapsedTime(0, maxLag));

        async Task SendOneAsync() => answers.Enqueue(await send(cancellationToken));
    }

    /// <summary>Files as fast as the service answers, with <paramref name="concurrency"/> requests in flight.</summary>
    public async Task<FilingResult> MaximumRateAsync(int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var filings = await FileClosedLoopAsync(concurrency, duration, cancellationToken);
        var filed = Stopwatch.GetTimestamp();
        return await AnalyseAsync($"concurrency {concurrency} for {duration.TotalSeconds:0} s", filings, start, filed, null, cancellationToken);
    }

    /// <summary>
    /// Files, not measured, until the service runs at its steady pace: the JIT promotes hot code
    /// over the first tens of seconds under load (longer on a busy machine), and connection pools
    /// and caches fill. Closed loop at <paramref name="concurrency"/> in windows of five seconds,
    /// until the last three windows agree within 10 % of their mean (after <paramref name="minimum"/>)
    /// or <paramref name="maximum"/> has passed; then waits for the warm-up's events to drain.
    /// </summary>
    public async Task<WarmUpResult> WarmUpAsync(int concurrency, TimeSpan minimum, TimeSpan maximum, Action<string> progress, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromSeconds(5);
        var start = Stopwatch.GetTimestamp();
        var created = new List<Guid>();
        var rates = new List<double>();
        while (true)
        {
            var filings = await FileClosedLoopAsync(concurrency, window, cancellationToken);
            created.AddRange(filings.Where(f => f.Created).Select(f => f.IncidentId!.Value));
            var rate = filings.Count(f => f.Created) / window.TotalSeconds;
            rates.Add(rate);
            var elapsed = Stopwatch.GetElapsedTime(start);
            progress($"warming up: {rate:N0} incidents/s after {elapsed.TotalSeconds:0} s");
            var last = rates.TakeLast(3).ToList();
            var steady = elapsed >= minimum && last.Count == 3 && last.All(r => Math.Abs(r - last.Average()) <= 0.1 * last.Average());
            if (steady || elapsed >= maximum)
            {
                await deliveries.WaitForAllAsync(created, drainTimeout, cancellationToken);
                return new WarmUpResult(elapsed, rate, steady);
            }
        }
    }

    private async Task<List<Filing>> FileClosedLoopAsync(int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var filings = new ConcurrentQueue<Filing>();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                filings.Enqueue(await filer.FileAsync(cancellationToken));
            }
        }, cancellationToken)));
        return filings.ToList();
    }

    private async Task<FilingResult> AnalyseAsync(
        string load, List<Filing> filings, long start, long filed, TimeSpan? maxScheduleLag, CancellationToken cancellationToken)
    {
        var created = filings.Where(f => f.Created).ToList();
        var ids = created.Select(f => f.IncidentId!.Value).ToList();
        await deliveries.WaitForAllAsync(ids, drainTimeout, cancellationToken);

        // Late duplicates would come right after the first delivery; give them a moment.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var endToEnd = new List<double>(created.Count);
        var fromRequest = new List<double>(created.Count);
        long lastDelivery = 0;
        var lost = 0;
        var duplicates = 0;
        foreach (var filing in created)
        {
            if (deliveries.Find(filing.IncidentId!.Value) is not { } delivery)
            {
                lost++;
                continue;
            }

            duplicates += delivery.Count - 1;
            endToEnd.Add(Stopwatch.GetElapsedTime(filing.RespondedAt, delivery.FirstAt).TotalMilliseconds);
            fromRequest.Add(Stopwatch.GetElapsedTime(filing.SentAt, delivery.FirstAt).TotalMilliseconds);
            lastDelivery = Math.Max(lastDelivery, delivery.FirstAt);
        }

        var lastResponse = created.Count == 0 ? filed : created.Max(f => f.RespondedAt);
        var errors = filings.Where(f => !f.Created)
            .GroupBy(f => f.Error ?? $"HTTP {f.Status}")
            .ToDictionary(g => g.Key, g => g.Count());

        return new FilingResult(
            load,
            Requests: filings.Count,
            Created: created.Count,
            Errors: errors,
            Elapsed: Stopwatch.GetElapsedTime(start, filed),
            FilingRate: created.Count / Stopwatch.GetElapsedTime(start, filed).TotalSeconds,
            DeliveryRate: lastDelivery == 0 ? 0 : (created.Count - lost) / Stopwatch.GetElapsedTime(start, lastDelivery).TotalSeconds,
            DrainAfterLastResponse: lastDelivery == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(lastResponse, Math.Max(lastDelivery, lastResponse)),
            Lost: lost,
            Duplicates: duplicates,
            Http: Percentiles.Of(created.Select(f => f.HttpMs)),
            CreatedToConsumed: Percentiles.Of(endToEnd),
            RequestToConsumed: Percentiles.Of(fromRequest),
            EventBeforeResponse: endToEnd.Count(ms => ms < 0),
            MaxScheduleLag: maxScheduleLag);
    }
}

/// <summary>
/// How long the warm-up took, the filing rate it ended at, whether that rate had settled, and how long
/// the services then took to quieten (null: they had not within the limit).
/// </summary>
public sealed record WarmUpResult(TimeSpan Elapsed, double FinalRate, bool Steady, TimeSpan? Quietened = null);

/// <summary>What one filing phase measured. Latencies in milliseconds; rates per second.</summary>
public sealed record FilingResult(
    string Load,
    int Requests,
    int Created,
    IReadOnlyDictionary<string, int> Errors,
    TimeSpan Elapsed,
    double FilingRate,
    double DeliveryRate,
    TimeSpan DrainAfterLastResponse,
    int Lost,
    int Duplicates,
    Percentiles Http,
    Percentiles CreatedToConsumed,
    Percentiles RequestToConsumed,
    int EventBeforeResponse,
    TimeSpan? MaxScheduleLag)
{
    public int Failed => Requests - Created;

    /// <summary>Refused at once with 503 and Retry-After: the service shed load beyond what it serves (counted in <see cref="Failed"/>).</summary>
    public int Shed => Errors.GetValueOrDefault("HTTP 503");
}
