using System.Collections.Concurrent;
using System.Diagnostics;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Client;
using MassTransit;
using Microsoft.AspNetCore.SignalR.Client;

namespace HotlineSystem.Benchmark;

/// <summary>
/// The tool's own consumer of FeedEntriesAdded, beside the Notifications replicas' push queues: when
/// the feed rows of an incident were committed and relayed (the message's OccurredAt is when the feed
/// writer ran, inside the consume), as seen by any subscriber. Splits the end-to-end time.
/// </summary>
public sealed class FeedPushesConsumer(FeedPushLog log) : IConsumer<FeedEntriesAdded>
{
    public Task Consume(ConsumeContext<FeedEntriesAdded> context)
    {
        foreach (var incidentId in context.Message.Entries.Select(e => e.Entry.IncidentId).OfType<Guid>().Distinct())
        {
            log.Record(incidentId, context.Message.OccurredAt);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Per incident: when its FeedEntriesAdded first arrived here (monotonic and wall clock) and when its feed was written.</summary>
public sealed class FeedPushLog
{
    private readonly ConcurrentDictionary<Guid, Push> _pushes = new();

    public void Record(Guid incidentId, DateTimeOffset writtenAt)
    {
        var push = _pushes.GetOrAdd(incidentId, _ => new Push(Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow, writtenAt));
        Interlocked.Increment(ref push.Count);
    }

    public Push? Find(Guid incidentId) => _pushes.GetValueOrDefault(incidentId);

    public sealed class Push(long receivedAt, DateTimeOffset receivedAtUtc, DateTimeOffset writtenAt)
    {
        public long ReceivedAt { get; } = receivedAt;

        public DateTimeOffset ReceivedAtUtc { get; } = receivedAtUtc;

        /// <summary>The feed writer's clock in the Notifications service (FeedEntriesAdded.OccurredAt).</summary>
        public DateTimeOffset WrittenAt { get; } = writtenAt;

        public int Count;
    }
}

/// <summary>
/// What the connections of one phase received, per incident and connection: when the typed client
/// handed the entry over (EntryReceived, exactly once and in order by its contract) and when the raw
/// push arrived (a second handler on the hub method, which sees a repeated push the client would drop).
/// An entry may arrive before the 201 has been read, so incidents are added on first sight.
/// </summary>
public sealed class Receipts(int connections, Func<FeedEntry, Guid?>? keyOf = null)
{
    private readonly Func<FeedEntry, Guid?> _keyOf = keyOf ?? (entry => entry.IncidentId);

    private readonly ConcurrentDictionary<Guid, IncidentReceipts> _incidents = new();
    private volatile int _open = connections;

    public int Connections { get; } = connections;

    /// <summary>The connections that opened: an incident has reached "all" when each of them has it.</summary>
    public int Open
    {
        get => _open;
        set => _open = value;
    }

    public IncidentReceipts For(Guid incidentId) => _incidents.GetOrAdd(incidentId, _ => new IncidentReceipts(this));

    public IncidentReceipts? Find(Guid incidentId) => _incidents.GetValueOrDefault(incidentId);

    /// <summary>Entries for incidents this phase did not file (an earlier phase's, arriving late).</summary>
    public int OtherIncidents(IReadOnlySet<Guid> filed) => _incidents.Keys.Count(id => !filed.Contains(id));

    public void Delivered(FeedEntry entry, int connection)
    {
        if (_keyOf(entry) is { } id)
        {
            For(id).Delivered(connection, Stopwatch.GetTimestamp());
        }
    }

    public void Pushed(FeedEntry entry, int connection)
    {
        if (_keyOf(entry) is { } id)
        {
            For(id).Pushed(connection, Stopwatch.GetTimestamp());
        }
    }
}

public sealed class IncidentReceipts(Receipts receipts)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _connectionsDelivered;

    public long[] DeliveredAt { get; } = new long[receipts.Connections];

    public int[] DeliveredCount { get; } = new int[receipts.Connections];

    public long[] PushedAt { get; } = new long[receipts.Connections];

    public int[] PushedCount { get; } = new int[receipts.Connections];

    public int ConnectionsDelivered => Volatile.Read(ref _connectionsDelivered);

    /// <summary>Completes when every connection has had the entry handed over.</summary>
    public Task All => _all.Task;

    public void Delivered(int connection, long at)
    {
        Interlocked.Increment(ref DeliveredCount[connection]);
        if (Interlocked.CompareExchange(ref DeliveredAt[connection], at, 0) == 0 && Interlocked.Increment(ref _connectionsDelivered) >= receipts.Open)
        {
            _all.TrySetResult();
        }
    }

    public void Pushed(int connection, long at)
    {
        Interlocked.Increment(ref PushedCount[connection]);
        Interlocked.CompareExchange(ref PushedAt[connection], at, 0);
    }
}

/// <summary>One SignalR connection of a person, through the typed client, recording into the current phase's receipts.</summary>
public sealed class PersonConnection : IAsyncDisposable
{
    private readonly NotificationConnection _connection;

    public PersonConnection(Uri notifications, PersonTokens tokens, long lastSequence, Receipts receipts, int index)
    {
        _connection = new NotificationConnection(notifications, tokens.GetAsync, lastSequence);
        _connection.EntryReceived += entry =>
        {
            receipts.Delivered(entry, index);
            return Task.CompletedTask;
        };
        _connection.Hub.On<FeedEntry>(nameof(INotificationClient.FeedEntryAdded), entry => receipts.Pushed(entry, index));
        _connection.Faulted += exception => Interlocked.Increment(ref _faults);
    }

    private static int _faults;

    /// <summary>Catch-ups or handlers that failed, over all connections (the client goes on and catches up later).</summary>
    public static int Faults => Volatile.Read(ref _faults);

    public long LastSequence => _connection.LastSequence;

    public Task StartAsync(CancellationToken cancellationToken) => _connection.StartAsync(cancellationToken);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>What the notifications scenario is asked to do.</summary>
public sealed record NotificationsLoad(
    Uri Identity,
    Uri Notifications,
    Uri RedirectUri,
    int Rate,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Connections,
    int FanoutPeople,
    int Fanouts,
    TimeSpan FanoutPause,
    TimeSpan DrainTimeout,
    int? NotificationsPid,
    int CommitteeRate = 10);

/// <summary>
/// Issue 5: incidents filed by the filing party (its tool client, as the filing benchmark files them)
/// reaching the counterpart's liaison officers' consoles through the Notifications service. The people
/// are real accounts of the Identity service, created by the two parties' administrator tool clients
/// (each person is of their administrator's party), who sign in through the sign-in pages and connect
/// with the typed .NET client, as a console would.
/// (e2e) one counterpart officer, one connection: 201 → entry handed over, at a fixed rate, open loop;
/// (fanout) N counterpart officers holding the connections between them, one incident at a time: 201 →
/// the last connection has it; the replica's resident memory before and after the connections are opened.
/// One liaison officer of the filing party exists too (no connection): a channel's incident reaches both
/// parties' officers, so each incident writes a feed row for them as in life.
/// </summary>
public sealed class NotificationsScenario(IncidentDeliveries deliveries, FeedPushLog pushes)
{
    public const string Scope = "openid profile offline_access notifications";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(90);

    public async Task<NotificationsResult> RunAsync(
        NotificationsLoad load, IncidentFiler filer, AccessTokens filingAdministrator, AccessTokens counterpartAdministrator, bool endToEnd, Uri? committee, bool fanout,
        CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        progress($"people: one {filingAdministrator.Party} and one {counterpartAdministrator.Party} liaison officer (run {run}), "
            + "created through the Identity service's user administration");
        await CreateOfficerAsync(load, filingAdministrator, run, 1, cancellationToken);
        var counterpartOfficers = new List<BenchmarkPerson> { await CreateOfficerAsync(load, counterpartAdministrator, run, 1, cancellationToken) };
        var firstTokens = await PersonTokens.SignInAsync(load.Identity, counterpartOfficers[0], load.RedirectUri, Scope, cancellationToken);
        progress($"{counterpartOfficers[0].UserName} signed in (authorization code + PKCE through the sign-in pages)");

        var result = new NotificationsResult
        {
            FilingParty = filingAdministrator.Party,
            Counterpart = counterpartAdministrator.Party,
            FilingPartyOfficers = 1,
        };
        long firstLastSequence = 0;
        if (endToEnd)
        {
            (result.EndToEnd, firstLastSequence) = await EndToEndAsync(load, filer, firstTokens, cpuWatch, progress, cancellationToken);
        }

        if (committee is not null)
        {
            result.Committee = await CommitteeScenario.RunAsync(load, committee, filer, filingAdministrator, counterpartAdministrator, cpuWatch, progress, cancellationToken);
        }

        if (fanout)
        {
            result.Fanout = await FanoutAsync(
                load, filer, counterpartAdministrator, run, counterpartOfficers, firstTokens, firstLastSequence, cpuWatch, progress, cancellationToken);
        }

        return result;
    }

    private static Task<BenchmarkPerson> CreateOfficerAsync(NotificationsLoad load, AccessTokens administrator, string run, int number, CancellationToken cancellationToken) =>
        PeopleAdministration.CreateLiaisonOfficerAsync(load.Identity, administrator, run, number, cancellationToken);

    private async Task<(EndToEndResult Result, long LastSequence)> EndToEndAsync(
        NotificationsLoad load, IncidentFiler filer, PersonTokens tokens, CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        var receipts = new Receipts(1);
        await using var connection = new PersonConnection(load.Notifications, tokens, 0, receipts, 0);
        await connection.StartAsync(cancellationToken);
        progress("(e2e) the counterpart's officer is connected; waiting until the Notifications service knows them (Identity's UserAccountChanged)");
        var probe = await ProbeAsync(filer, receipts, cancellationToken);
        progress($"(e2e) known: the first probe incident arrived after {probe.TotalSeconds:0.0} s");

        if (load.Warmup > TimeSpan.Zero)
        {
            progress($"(e2e) warming up (not reported): {load.Rate}/s for {load.Warmup.TotalSeconds:0} s");
            var (warmup, _) = await FilingPhases.FileAtRateAsync(filer, load.Rate, load.Warmup, cancellationToken);
            await WaitForAsync(receipts, warmup.Where(f => f.Created).Select(f => f.IncidentId!.Value).ToList(), load.DrainTimeout, progress, cancellationToken);
        }

        progress($"(e2e) {load.Rate}/s for {load.Duration.TotalSeconds:0} s");
        var cpuBefore = cpuWatch.Take();
        var (filings, maxLag) = await FilingPhases.FileAtRateAsync(filer, load.Rate, load.Duration, cancellationToken);
        var created = filings.Where(f => f.Created).ToList();
        var ids = created.Select(f => f.IncidentId!.Value).ToList();
        await WaitForAsync(receipts, ids, load.DrainTimeout, progress, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // a late second delivery still counts
        var cpu = cpuWatch.Between(cpuBefore, cpuWatch.Take());

        var endToEnd = new List<double>();
        var fromRequest = new List<double>();
        var toReported = new List<double>();
        var reportedToWritten = new List<double>();
        var writtenToRelayed = new List<double>();
        var relayedToPushed = new List<double>();
        var pushedToDelivered = new List<double>();
        int lost = 0, doubled = 0, notPushed = 0, pushedTwice = 0, beforeResponse = 0;
        foreach (var filing in created)
        {
            var id = filing.IncidentId!.Value;
            if (receipts.Find(id) is not { } receipt || receipt.DeliveredAt[0] == 0)
            {
                lost++;
                continue;
            }

            doubled += receipt.DeliveredCount[0] > 1 ? 1 : 0;
            notPushed += receipt.PushedCount[0] == 0 ? 1 : 0;
            pushedTwice += receipt.PushedCount[0] > 1 ? 1 : 0;
            var latency = Ms(filing.RespondedAt, receipt.DeliveredAt[0]);
            beforeResponse += latency < 0 ? 1 : 0;
            endToEnd.Add(latency);
            fromRequest.Add(Ms(filing.SentAt, receipt.DeliveredAt[0]));

            // Where the time goes: the tool's own queues see IncidentReported and FeedEntriesAdded as any service would.
            if (deliveries.Find(id) is { } reported && pushes.Find(id) is { } push && receipt.PushedAt[0] != 0)
            {
                toReported.Add(Ms(filing.RespondedAt, reported.FirstAt));
                reportedToWritten.Add((push.WrittenAt - reported.FirstAtUtc).TotalMilliseconds);
                writtenToRelayed.Add((push.ReceivedAtUtc - push.WrittenAt).TotalMilliseconds);
                relayedToPushed.Add(Ms(push.ReceivedAt, receipt.PushedAt[0]));
                pushedToDelivered.Add(Ms(receipt.PushedAt[0], receipt.DeliveredAt[0]));
            }
        }

        var result = new EndToEndResult(
            $"{load.Rate}/s for {load.Duration.TotalSeconds:0} s",
            filings.Count,
            created.Count,
            filings.Where(f => !f.Created).GroupBy(f => f.Error ?? $"HTTP {f.Status}").ToDictionary(g => g.Key, g => g.Count()),
            lost,
            doubled,
            notPushed,
            pushedTwice,
            beforeResponse,
            receipts.OtherIncidents(ids.ToHashSet()),
            Percentiles.Of(created.Select(f => f.HttpMs)),
            Percentiles.Of(endToEnd),
            Percentiles.Of(fromRequest),
            Percentiles.Of(toReported),
            Percentiles.Of(reportedToWritten),
            Percentiles.Of(writtenToRelayed),
            Percentiles.Of(relayedToPushed),
            Percentiles.Of(pushedToDelivered),
            maxLag,
            cpu);
        progress($"(e2e) {created.Count:N0} filed, 201 → handed over p50 {result.CreatedToReceived.P50:0.0} / p99 {result.CreatedToReceived.P99:0.0} ms, lost {lost}, doubled {doubled}");
        return (result, connection.LastSequence);
    }

    private async Task<FanoutResult> FanoutAsync(
        NotificationsLoad load, IncidentFiler filer, AccessTokens counterpartAdministrator, string run, List<BenchmarkPerson> counterpartOfficers,
        PersonTokens firstTokens, long firstLastSequence, CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        progress($"(fanout) {load.FanoutPeople - counterpartOfficers.Count} more {counterpartAdministrator.Party} liaison officers, each signing in");
        for (var i = counterpartOfficers.Count; i < load.FanoutPeople; i++)
        {
            counterpartOfficers.Add(await CreateOfficerAsync(load, counterpartAdministrator, run, i + 1, cancellationToken));
        }

        var tokens = new List<PersonTokens> { firstTokens };
        foreach (var person in counterpartOfficers.Skip(1))
        {
            tokens.Add(await PersonTokens.SignInAsync(load.Identity, person, load.RedirectUri, Scope, cancellationToken));
        }

        // The replica as it is after the end-to-end phase, before any of these connections exist.
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var before = ProcessMemory.Read(load.NotificationsPid);

        var receipts = new Receipts(load.Connections);
        var connections = new PersonConnection[load.Connections];
        var openFailures = 0;
        progress($"(fanout) opening {load.Connections:N0} connections of {load.FanoutPeople} people ({load.Connections / (double)load.FanoutPeople:0.#} each)");
        var openStart = Stopwatch.GetTimestamp();
        using (var window = new SemaphoreSlim(32))
        {
            await Task.WhenAll(Enumerable.Range(0, load.Connections).Select(async index =>
            {
                await window.WaitAsync(cancellationToken);
                try
                {
                    var person = index % load.FanoutPeople;
                    connections[index] = new PersonConnection(load.Notifications, tokens[person], person == 0 ? firstLastSequence : 0, receipts, index);
                    await connections[index].StartAsync(cancellationToken);
                }
                catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or IOException
                    or System.Net.WebSockets.WebSocketException or TimeoutException)
                {
                    var failed = connections[index];
                    connections[index] = null!;
                    if (failed is not null)
                    {
                        await failed.DisposeAsync();
                    }

                    if (Interlocked.Increment(ref openFailures) <= 3)
                    {
                        progress($"(fanout) a connection failed to open: {exception.GetType().Name}: {exception.Message}");
                    }
                }
                finally
                {
                    window.Release();
                }
            }));
        }

        var openSeconds = Stopwatch.GetElapsedTime(openStart).TotalSeconds;
        receipts.Open = load.Connections - openFailures;
        progress($"(fanout) {load.Connections - openFailures:N0} open in {openSeconds:0.0} s ({openFailures} failed)");
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var opened = ProcessMemory.Read(load.NotificationsPid);

        try
        {
            progress("(fanout) waiting until every person is known and every connection receives (probe incidents), then 3 fan-outs of warm-up");
            var probe = await ProbeAsync(filer, receipts, cancellationToken);
            progress($"(fanout) every connection received a probe after {probe.TotalSeconds:0.0} s");
            for (var i = 0; i < 3; i++)
            {
                await FanOutOnceAsync(filer, receipts, load.DrainTimeout, cancellationToken);
                await Task.Delay(load.FanoutPause, cancellationToken);
            }

            progress($"(fanout) {load.Fanouts} fan-outs, one at a time, {load.FanoutPause.TotalMilliseconds:0} ms apart");
            var cpuBefore = cpuWatch.Take();
            var samples = new List<FanoutSample>();
            for (var i = 0; i < load.Fanouts; i++)
            {
                samples.Add(await FanOutOnceAsync(filer, receipts, load.DrainTimeout, cancellationToken));
                await Task.Delay(load.FanoutPause, cancellationToken);
            }

            var cpu = cpuWatch.Between(cpuBefore, cpuWatch.Take());
            var after = ProcessMemory.Read(load.NotificationsPid);

            // Counted at the end: a connection that had not received when its fan-out's wait ended may have since.
            int missing = 0, doubled = 0, pushedTwice = 0, notPushed = 0;
            foreach (var sample in samples.Where(s => s.IncidentId is not null))
            {
                var receipt = receipts.Find(sample.IncidentId!.Value);
                for (var c = 0; c < load.Connections; c++)
                {
                    if (connections[c] is null)
                    {
                        continue;
                    }

                    missing += receipt is null || receipt.DeliveredAt[c] == 0 ? 1 : 0;
                    doubled += receipt is not null && receipt.DeliveredCount[c] > 1 ? 1 : 0;
                    pushedTwice += receipt is not null && receipt.PushedCount[c] > 1 ? 1 : 0;
                    notPushed += receipt is not null && receipt.DeliveredAt[c] != 0 && receipt.PushedCount[c] == 0 ? 1 : 0;
                }
            }

            var ok = samples.Where(s => s.Last is not null).ToList();
            var result = new FanoutResult(
                load.Connections,
                load.FanoutPeople,
                openFailures,
                openSeconds,
                samples.Count,
                samples.Count(s => s.IncidentId is null),
                samples.Count(s => s.IncidentId is not null && s.Last is null),
                missing,
                doubled,
                notPushed,
                pushedTwice,
                Percentiles.Of(ok.Select(s => s.Last!.Value)),
                Percentiles.Of(ok.Select(s => s.First!.Value)),
                Percentiles.Of(ok.Select(s => s.Median!.Value)),
                Percentiles.Of(ok.Where(s => s.Relayed is not null).Select(s => s.Relayed!.Value)),
                Percentiles.Of(ok.Where(s => s.LastPushed is not null).Select(s => s.LastPushed!.Value)),
                Percentiles.Of(samples.Select(s => s.HttpMs)),
                before,
                opened,
                after,
                cpu);
            result = result with { ClientFaults = PersonConnection.Faults };
            progress($"(fanout) 201 → last connection p50 {result.Last.P50:0} / p99 {result.Last.P99:0} ms; missing {missing}, doubled {doubled}");
            return result;
        }
        finally
        {
            progress("(fanout) closing the connections");
            using var window = new SemaphoreSlim(64);
            await Task.WhenAll(connections.Where(c => c is not null).Select(async connection =>
            {
                await window.WaitAsync(CancellationToken.None);
                try
                {
                    await connection.DisposeAsync();
                }
                finally
                {
                    window.Release();
                }
            }));
        }
    }

    /// <summary>One incident filed; waits until every connection has it (or the timeout). Times from its 201.</summary>
    private async Task<FanoutSample> FanOutOnceAsync(IncidentFiler filer, Receipts receipts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var filing = await filer.FileAsync(cancellationToken);
        if (!filing.Created)
        {
            return new FanoutSample(null, filing.HttpMs, null, null, null, null, null);
        }

        var receipt = receipts.For(filing.IncidentId!.Value);
        await Task.WhenAny(receipt.All, Task.Delay(timeout, cancellationToken));
        if (!receipt.All.IsCompleted)
        {
            return new FanoutSample(filing.IncidentId, filing.HttpMs, null, null, null, null, null);
        }

        var delivered = receipt.DeliveredAt.Where(at => at != 0).Select(at => Ms(filing.RespondedAt, at)).Order().ToList();
        var lastPushed = receipt.PushedAt.Max();
        return new FanoutSample(
            filing.IncidentId,
            filing.HttpMs,
            delivered[0],
            delivered[delivered.Count / 2],
            delivered[^1],
            pushes.Find(filing.IncidentId.Value) is { } push ? Ms(filing.RespondedAt, push.ReceivedAt) : null,
            lastPushed == 0 ? null : Ms(filing.RespondedAt, lastPushed));
    }

    /// <summary>
    /// Files an incident every half second until one reaches every connection: the Notifications service
    /// learns people from Identity's events, so right after their creation it may not know them yet.
    /// </summary>
    internal static async Task<TimeSpan> ProbeAsync(IncidentFiler filer, Receipts receipts, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var probes = new List<IncidentReceipts>();
        while (Stopwatch.GetElapsedTime(start) < ProbeTimeout)
        {
            var filing = await filer.FileAsync(cancellationToken);
            if (filing.Created)
            {
                probes.Add(receipts.For(filing.IncidentId!.Value));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            if (probes.Any(p => p.All.IsCompleted))
            {
                return Stopwatch.GetElapsedTime(start);
            }
        }

        var best = probes.Count == 0 ? 0 : probes.Max(p => p.ConnectionsDelivered);
        throw new InvalidOperationException(
            $"No probe incident reached every connection within {ProbeTimeout.TotalSeconds:0} s (at best {best} of {receipts.Connections}): does the Notifications service know the people?");
    }

    /// <summary>
    /// Waits until every incident has reached every connection, or until nothing more has arrived for
    /// <paramref name="quiet"/>: a service that has fallen behind is waited for (its entries count, late),
    /// and only what never comes is lost.
    /// </summary>
    internal static async Task WaitForAsync(Receipts receipts, IReadOnlyList<Guid> incidents, TimeSpan quiet, Action<string>? progress, CancellationToken cancellationToken)
    {
        var pending = incidents.Select(receipts.For).ToList();
        var lastProgress = Stopwatch.GetTimestamp();
        var lastReport = lastProgress;
        while (true)
        {
            var before = pending.Count;
            pending.RemoveAll(r => r.All.IsCompleted);
            if (pending.Count == 0)
            {
                return;
            }

            if (pending.Count < before)
            {
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > quiet)
            {
                return;
            }

            if (progress is not null && Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(10))
            {
                lastReport = Stopwatch.GetTimestamp();
                progress($"{pending.Count:N0} of {incidents.Count:N0} incidents still on their way");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}

/// <summary>
/// One fan-out, in ms from the 201: until the first, the median and the last connection had the entry
/// handed over (null if not all did in time); until FeedEntriesAdded reached the tool's own queue (the
/// feed committed and relayed); until the last raw push arrived.
/// </summary>
public sealed record FanoutSample(Guid? IncidentId, double HttpMs, double? First, double? Median, double? Last, double? Relayed, double? LastPushed);

/// <summary>A process's resident memory (Linux /proc/PID/status), in KiB.</summary>
public sealed record ProcessMemory(long RssKiB, long AnonKiB)
{
    public static ProcessMemory? Read(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/status"))
        {
            return null;
        }

        long Field(string name) => File.ReadLines($"/proc/{id}/status")
            .Where(line => line.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(line => long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return new ProcessMemory(Field("VmRSS"), Field("RssAnon"));
    }

    /// <summary>Several processes together (a service's replicas); null if none could be read.</summary>
    public static ProcessMemory? Sum(IEnumerable<int> pids)
    {
        var read = pids.Select(pid => Read(pid)).OfType<ProcessMemory>().ToList();
        return read.Count == 0 ? null : new ProcessMemory(read.Sum(m => m.RssKiB), read.Sum(m => m.AnonKiB));
    }
}

public sealed class NotificationsResult
{
    /// <summary>The party that filed the incidents.</summary>
    public string FilingParty { get; init; } = "";

    /// <summary>The channel's other party, whose officers' consoles are measured.</summary>
    public string Counterpart { get; init; } = "";

    /// <summary>Officers of the filing party (no connection): each adds a feed row per incident.</summary>
    public int FilingPartyOfficers { get; init; }

    public EndToEndResult? EndToEnd { get; set; }

    public FanoutResult? Fanout { get; set; }

    public CommitteeResult? Committee { get; set; }
}

public sealed record EndToEndResult(
    string Load,
    int Requests,
    int Created,
    IReadOnlyDictionary<string, int> Errors,
    int Lost,
    int Doubled,
    int NotPushed,
    int PushedTwice,
    int BeforeResponse,
    int OtherIncidents,
    Percentiles Http,
    Percentiles CreatedToReceived,
    Percentiles RequestToReceived,
    Percentiles CreatedToReported,
    Percentiles ReportedToWritten,
    Percentiles WrittenToRelayed,
    Percentiles RelayedToPushed,
    Percentiles PushedToDelivered,
    TimeSpan MaxScheduleLag,
    IReadOnlyList<(string Name, double Seconds)> Cpu)
{
    public int Failed => Requests - Created;

    public bool ExactlyOnce => Failed == 0 && Lost == 0 && Doubled == 0;
}

public sealed record FanoutResult(
    int Connections,
    int People,
    int OpenFailures,
    double OpenSeconds,
    int Fanouts,
    int FilingFailures,
    int Incomplete,
    int Missing,
    int Doubled,
    int NotPushed,
    int PushedTwice,
    Percentiles Last,
    Percentiles First,
    Percentiles Median,
    Percentiles Relayed,
    Percentiles LastPushed,
    Percentiles Http,
    ProcessMemory? Before,
    ProcessMemory? Opened,
    ProcessMemory? After,
    IReadOnlyList<(string Name, double Seconds)> Cpu)
{
    public bool ExactlyOnce => OpenFailures == 0 && FilingFailures == 0 && Missing == 0 && Doubled == 0;

    /// <summary>Catch-ups or handlers of the typed client that failed, over the whole run.</summary>
    public int ClientFaults { get; init; }

    public double? RssPerConnectionKiB => Before is null || Opened is null ? null : (Opened.RssKiB - Before.RssKiB) / (double)(Connections - OpenFailures);
}
