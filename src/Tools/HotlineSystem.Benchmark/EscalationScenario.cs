using System.Net.Http.Headers;
using System.Net.Http.Json;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Incidents;
using MassTransit;

namespace HotlineSystem.Benchmark;

/// <summary>The tool's own consumer of EscalationStarted: tells when every escalation of the run exists.</summary>
public sealed class StartedEscalationsConsumer(EscalationLog log) : IConsumer<EscalationStarted>
{
    public Task Consume(ConsumeContext<EscalationStarted> context)
    {
        log.Started(context.Message.IncidentId);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The tool's own consumer of EscalationTierReached, without an inbox on purpose: every delivery is
/// counted, so a tier published twice shows (and whether it was the same message again or a second firing).
/// </summary>
public sealed class ReachedTiersConsumer(EscalationLog log) : IConsumer<EscalationTierReached>
{
    public Task Consume(ConsumeContext<EscalationTierReached> context)
    {
        log.TierReached(context.Message, context.MessageId, DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }
}

/// <summary>Every EscalationStarted and EscalationTierReached consumed, with when each tier first arrived.</summary>
public sealed class EscalationLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, int> _started = [];
    private readonly Dictionary<(Guid IncidentId, int Tier, int Repeat), ReachedTier> _tiers = [];

    public int StartedCount
    {
        get
        {
            lock (_gate)
            {
                return _started.Count;
            }
        }
    }

    public int TierCount
    {
        get
        {
            lock (_gate)
            {
                return _tiers.Count;
            }
        }
    }

    public void Started(Guid incidentId)
    {
        lock (_gate)
        {
            _started[incidentId] = _started.GetValueOrDefault(incidentId) + 1;
        }
    }

    public void TierReached(EscalationTierReached reached, Guid? messageId, DateTimeOffset receivedAt)
    {
        lock (_gate)
        {
            var key = (reached.IncidentId, reached.Tier, reached.Repeat);
            if (!_tiers.TryGetValue(key, out var tier))
            {
                _tiers[key] = tier = new ReachedTier(reached.DueAt, reached.OccurredAt, receivedAt);
            }

            tier.MessageIds.Add(messageId);
        }
    }

    public (Dictionary<Guid, int> Started, Dictionary<(Guid IncidentId, int Tier, int Repeat), ReachedTier> Tiers) Snapshot()
    {
        lock (_gate)
        {
            return (new Dictionary<Guid, int>(_started), new Dictionary<(Guid, int, int), ReachedTier>(_tiers));
        }
    }

    /// <summary>A tier as first received: when it was due, when the timer fired it, when it arrived here; every message id it came with.</summary>
    public sealed record ReachedTier(DateTimeOffset DueAt, DateTimeOffset FiredAt, DateTimeOffset ReceivedAt)
    {
        public List<Guid?> MessageIds { get; } = [];
    }
}

/// <summary>
/// What the escalation scenario is asked to do: on which channel, for the policy of which party
/// (<see cref="RunChannel.Party"/>), the incidents reported by whom.
/// </summary>
public sealed record EscalationLoad(
    RunChannel Channel, string ReportedBy, int Escalations, TimeSpan DueWindow, TimeSpan Lead, TimeSpan FirstWait, int InFlight, TimeSpan DrainTimeout);

/// <summary>
/// Many escalations whose first tiers fall due in the same minute (issue 4). An administrator (tool
/// client) defines their own party's Sev2 policy of a channel through the API; the tool then publishes
/// IncidentReported for N incidents on the bus, as the Incidents service would, each reported
/// FirstWait before its tier is due, the due times spread evenly over DueWindow starting Lead after
/// the first publish. Every EscalationTierReached consumed here is measured against its DueAt:
/// the lag is due → received by another service, so it includes the outbox relay and the broker hop.
/// </summary>
public sealed class EscalationScenario(IBus bus, EscalationLog log)
{
    /// <summary>Puts the administrator's party's Sev2 policy of <paramref name="channel"/>: the policy is the owner's, so the owner is the administrator's party.</summary>
    public static async Task DefinePolicyAsync(
        Uri escalationUrl, AccessTokens administrator, ChannelCode channel, TimeSpan firstWait, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(escalationUrl, $"/api/escalation-policies/{channel}/{Severity.Sev2}"))
        {
            // Tier 0 is what the run measures; tier 1 lies beyond the run, so every escalation keeps running after its first tier, as in life.
            Content = JsonContent.Create(new
            {
                tiers = new object[]
                {
                    new { party = administrator.Party, role = "LiaisonOfficer", wait = firstWait.ToString("c"), important = false },
                    new { party = administrator.Party, role = "Official", wait = TimeSpan.FromHours(1).ToString("c"), important = true },
                },
                repeatLastTier = 0,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", administrator.Current);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"PUT {request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async Task<EscalationResult> RunAsync(EscalationLoad load, CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        var incidents = Enumerable.Range(0, load.Escalations).Select(_ => Guid.CreateVersion7()).ToArray();
        var publishStart = DateTimeOffset.UtcNow;
        var firstDue = publishStart + load.Lead;
        var lastDue = firstDue + load.DueWindow * ((load.Escalations - 1) / (double)load.Escalations);

        var failures = 0;
        using (var window = new SemaphoreSlim(load.InFlight))
        {
            var publishes = new List<Task>(load.Escalations);
            for (var i = 0; i < incidents.Length; i++)
            {
                await window.WaitAsync(cancellationToken);
                var dueAt = firstDue + load.DueWindow * (i / (double)load.Escalations);
                publishes.Add(PublishAsync(Reported(load, incidents[i], dueAt - load.FirstWait), window));
            }

            await Task.WhenAll(publishes);
        }

        var published = DateTimeOffset.UtcNow;
        progress($"published {incidents.Length - failures:N0} IncidentReported in {(published - publishStart).TotalSeconds:0.0} s; first tier due at {firstDue:HH:mm:ss}");

        var expected = incidents.Length - failures;
        while (log.StartedCount < expected && DateTimeOffset.UtcNow < firstDue)
        {
            await Task.Delay(100, cancellationToken);
        }

        var allStartedAt = log.StartedCount >= expected ? DateTimeOffset.UtcNow : (DateTimeOffset?)null;
        progress(allStartedAt is { } at
            ? $"all {expected:N0} escalations started, {(firstDue - at).TotalSeconds:0.0} s before the first due time"
            : $"only {log.StartedCount:N0} of {expected:N0} escalations started by the first due time");

        // CPU is counted over the due window and the drain, not the start-up of the escalations.
        var wait = firstDue - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var cpuBefore = cpuWatch.Take();
        var deadline = lastDue + load.DrainTimeout;
        var lastProgress = DateTimeOffset.UtcNow;
        while (log.TierCount < expected && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
            if (DateTimeOffset.UtcNow - lastProgress >= TimeSpan.FromSeconds(10))
            {
                lastProgress = DateTimeOffset.UtcNow;
                progress($"{log.TierCount:N0} of {expected:N0} tiers received");
            }
        }

        // A moment longer, so that a second copy of the last tiers is counted too.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var cpu = cpuWatch.Between(cpuBefore, cpuWatch.Take());
        return Analyse(incidents, failures, publishStart, published, firstDue, lastDue, allStartedAt, cpu);

        async Task PublishAsync(IncidentReported reported, SemaphoreSlim window)
        {
            try
            {
                await bus.Publish(reported, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
            }
            finally
            {
                window.Release();
            }
        }
    }

    private EscalationResult Analyse(Guid[] incidents, int publishFailures, DateTimeOffset publishStart, DateTimeOffset published,
        DateTimeOffset firstDue, DateTimeOffset lastDue, DateTimeOffset? allStartedAt, IReadOnlyList<(string Name, double Seconds)> cpu)
    {
        var (started, tiers) = log.Snapshot();
        var run = incidents.ToHashSet();
        var ofRun = tiers.Where(t => run.Contains(t.Key.IncidentId)).ToList();
        var first = ofRun.Where(t => t.Key is { Tier: 0, Repeat: 0 }).Select(t => t.Value).ToList();
        var missing = incidents.Length - publishFailures - first.Count;
        var redelivered = ofRun.Count(t => t.Value.MessageIds.Count > 1 && t.Value.MessageIds.Distinct().Count() == 1);
        var firedTwice = ofRun.Count(t => t.Value.MessageIds.Distinct().Count() > 1);
        var otherTiers = ofRun.Count(t => t.Key is not { Tier: 0, Repeat: 0 });

        return new EscalationResult(
            incidents.Length,
            publishFailures,
            (published - publishStart).TotalSeconds,
            started.Count(s => run.Contains(s.Key)),
            started.Count(s => run.Contains(s.Key) && s.Value > 1),
            allStartedAt is { } at ? firstDue - at : null,
            first.Count,
            missing,
            redelivered,
            firedTwice,
            otherTiers,
            Lag: Percentiles.Of(first.Select(t => (t.ReceivedAt - t.DueAt).TotalMilliseconds)),
            DueToFired: Percentiles.Of(first.Select(t => (t.FiredAt - t.DueAt).TotalMilliseconds)),
            FiredToReceived: Percentiles.Of(first.Select(t => (t.ReceivedAt - t.FiredAt).TotalMilliseconds)),
            LastReceivedAfterLastDue: first.Count == 0 ? null : first.Max(t => t.ReceivedAt) - lastDue,
            Cpu: cpu);
    }

    private static IncidentReported Reported(EscalationLoad load, Guid incidentId, DateTimeOffset reportedAt) =>
        new(incidentId, 1, load.Channel.Code.Value, Visibility.Shared, load.Channel.Party, load.ReportedBy, reportedAt, load.Channel.Party, "customs-hold", Severity.Sev2,
            "Customs hold on NdFeB magnets at Tianjin", ["Nd", "Dy"], ["8505.11", "2805.30.1000"], ["permanent-magnets", "electric-vehicles"]);
}

public sealed record EscalationResult(
    int Published,
    int PublishFailures,
    double PublishSeconds,
    int Started,
    int StartedTwice,
    TimeSpan? StartedAheadOfFirstDue,
    int TiersReceived,
    int Missing,
    int Redelivered,
    int FiredTwice,
    int OtherTiers,
    Percentiles Lag,
    Percentiles DueToFired,
    Percentiles FiredToReceived,
    TimeSpan? LastReceivedAfterLastDue,
    IReadOnlyList<(string Name, double Seconds)> Cpu)
{
    /// <summary>Each first tier exactly once: none missing, none published twice, nothing else fired.</summary>
    public bool ExactlyOnce => PublishFailures == 0 && Missing == 0 && Redelivered == 0 && FiredTwice == 0 && OtherTiers == 0;

    /// <summary>Every escalation existed before the first tier fell due: otherwise the run measured their start-up, not the timer.</summary>
    public bool AllStartedInTime => StartedAheadOfFirstDue is not null;
}
