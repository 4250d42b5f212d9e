using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace HotlineSystem.Benchmark;

/// <summary>The results as a Markdown section that can be pasted into docs/benchmarks.md as it is.</summary>
public sealed class ResultsTable(BenchmarkOptions options, string command, DateTimeOffset startedAt, string loadAtStart)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public BaselineResult? Baseline { get; set; }

    public BaselineResult? BaselineAtRate { get; set; }

    public WarmUpResult? WarmUp { get; set; }

    public FilingResult? FixedRate { get; set; }

    public FilingResult? MaximumRate { get; set; }

    public EscalationResult? Escalation { get; set; }

    /// <summary>CPU seconds per watched process name, by phase ("a", "b", "c").</summary>
    public Dictionary<string, IReadOnlyList<(string Name, double Seconds)>> Cpu { get; } = [];

    /// <summary>Nothing lost, doubled or failed in any phase that ran.</summary>
    public bool Correct =>
        (Baseline is null || (Baseline.Lost == 0 && Baseline.Duplicates == 0 && Baseline.PublishFailures == 0))
        && (BaselineAtRate is null || (BaselineAtRate.Lost == 0 && BaselineAtRate.Duplicates == 0 && BaselineAtRate.PublishFailures == 0))
        && (FixedRate is null || (FixedRate.Lost == 0 && FixedRate.Duplicates == 0 && FixedRate.Failed == 0))
        && (MaximumRate is null || (MaximumRate.Lost == 0 && MaximumRate.Duplicates == 0 && MaximumRate.Failed == 0))
        && (Escalation is null || Escalation.ExactlyOnce);

    public bool FixedRateTargetMet => FixedRate is null || FixedRate.CreatedToConsumed.P99 <= options.TargetP99.TotalMilliseconds;

    public bool MaximumRateTargetMet => MaximumRate is null || MaximumRate.FilingRate >= options.TargetRate;

    /// <summary>The lag target, measured only if every escalation existed before its tier fell due.</summary>
    public bool EscalationTargetMet => Escalation is null || (Escalation.AllStartedInTime && Escalation.Lag.P99 <= options.TargetLagP99.TotalMilliseconds);

    public string Render(string loadAtEnd)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant, $"### Run of {startedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine(Invariant, $"| Machine | {Machine.Describe()} |");
        md.AppendLine(Invariant, $"| Load average (1 min) at start / end | {loadAtStart} / {loadAtEnd} |");
        if (options.Infrastructure is { } infrastructure)
        {
            md.AppendLine(Invariant, $"| Infrastructure | {Escape(infrastructure)} |");
        }

        if (options.IsEscalation)
        {
            md.AppendLine(Invariant, $"| Escalation replicas | {options.EscalationUrls.Count} |");
        }
        else
        {
            md.AppendLine(Invariant, $"| Incidents replicas | {options.IncidentsUrls.Count} |");
        }

        md.AppendLine(Invariant, $"| Command | `{Escape(command)}` |");
        md.AppendLine();

        md.AppendLine("| Measurement | Result | Target | Met |").AppendLine("|---|---|---|---|");
        if (Baseline is { } a)
        {
            md.AppendLine(Invariant, $"| (a) Bus alone: {a.Published:N0} small durable messages flooded, {options.BaselineInFlight} publishes in flight | {a.ConsumeRate:N0} msg/s consumed ({a.PublishRate:N0} msg/s confirmed) | — | |");
            md.AppendLine(Invariant, $"| (a) Bus alone, flooded: publish → consume p50 / p95 / p99 (mostly time queued) | {Latency(a.Latency)} | — | |");
            md.AppendLine(Invariant, $"| (a) Bus alone: lost / duplicated / publish failures | {a.Lost} / {a.Duplicates} / {a.PublishFailures} | 0 / 0 / 0 | {Mark(a.Lost == 0 && a.Duplicates == 0 && a.PublishFailures == 0)} |");
            CpuLine(md, "a", "message", a.Received);
        }

        if (BaselineAtRate is { } r)
        {
            var floorOf = options.IsEscalation ? "the broker hop inside the lag below" : "the floor under (b)";
            md.AppendLine(Invariant, $"| (a) Bus alone at {options.BaselineRate} messages/s for 10 s: publish → consume p50 / p95 / p99 ({floorOf}) | {Latency(r.Latency)} | — | |");
            md.AppendLine(Invariant, $"| (a) Bus alone at {options.BaselineRate}/s: lost / duplicated / publish failures | {r.Lost} / {r.Duplicates} / {r.PublishFailures} | 0 / 0 / 0 | {Mark(r.Lost == 0 && r.Duplicates == 0 && r.PublishFailures == 0)} |");
        }

        if (WarmUp is { } w)
        {
            var state = w.Steady ? "steady (three 5 s windows within 10 %)" : "**not yet steady** (warm-up limit reached)";
            md.AppendLine(Invariant, $"| Warm-up before (b), not measured: filing at concurrency {options.Concurrency} | {w.Elapsed.TotalSeconds:0} s, ending at {w.FinalRate:N0}/s, {state} | — | |");
        }

        if (FixedRate is { } b)
        {
            md.AppendLine(Invariant, $"| (b) Fixed rate, {b.Load}: incidents filed (201) / failed | {b.Created:N0} / {b.Failed}{Errors(b)} | all 201 | {Mark(b.Failed == 0)} |");
            md.AppendLine(Invariant, $"| (b) **201 received → IncidentReported consumed**, p50 / p95 / p99 | **{Latency(b.CreatedToConsumed)}** | p99 ≤ {options.TargetP99.TotalMilliseconds:0} ms | {Mark(FixedRateTargetMet)} |");
            md.AppendLine(Invariant, $"| (b) POST sent → IncidentReported consumed, p50 / p95 / p99 | {Latency(b.RequestToConsumed)} | — | |");
            md.AppendLine(Invariant, $"| (b) HTTP POST /api/incidents, p50 / p95 / p99 | {Latency(b.Http)} | — | |");
            md.AppendLine(Invariant, $"| (b) Events consumed before the client had read the 201 | {b.EventBeforeResponse:N0} of {b.Created:N0} | — | |");
            md.AppendLine(Invariant, $"| (b) Lost / duplicated | {b.Lost} / {b.Duplicates} | 0 / 0 | {Mark(b.Lost == 0 && b.Duplicates == 0)} |");
            CpuLine(md, "b", "incident", b.Created);
            if (b.MaxScheduleLag is { } lag)
            {
                md.AppendLine(Invariant, $"| (b) Load generator: worst lateness of a scheduled request | {lag.TotalMilliseconds:0.0} ms | — | |");
            }
        }

        if (MaximumRate is { } c)
        {
            md.AppendLine(Invariant, $"| (c) Maximum rate, {c.Load}: **sustained filing rate** (201/s) | **{c.FilingRate:N0}/s** ({c.Created:N0} filed, {c.Failed} failed{Errors(c)}) | ≥ {options.TargetRate:0}/s | {Mark(MaximumRateTargetMet)} |");
            md.AppendLine(Invariant, $"| (c) End-to-end delivery rate (IncidentReported consumed/s, first POST to last event) | {c.DeliveryRate:N0}/s | — | |");
            md.AppendLine(Invariant, $"| (c) Last event consumed after the last 201 | {c.DrainAfterLastResponse.TotalMilliseconds:N0} ms | — | |");
            md.AppendLine(Invariant, $"| (c) Lost / duplicated | {c.Lost} / {c.Duplicates} | 0 / 0 | {Mark(c.Lost == 0 && c.Duplicates == 0)} |");
            md.AppendLine(Invariant, $"| (c) HTTP POST /api/incidents, p50 / p95 / p99 | {Latency(c.Http)} | — | |");
            md.AppendLine(Invariant, $"| (c) 201 received → IncidentReported consumed, p50 / p95 / p99 | {Latency(c.CreatedToConsumed)} | — | |");
            CpuLine(md, "c", "incident", c.Created);
        }

        if (Escalation is { } e)
        {
            md.AppendLine(Invariant, $"| Escalations started: IncidentReported published / failed (publishing took) | {e.Published:N0} / {e.PublishFailures} ({e.PublishSeconds:0.0} s) | all | {Mark(e.PublishFailures == 0)} |");
            md.AppendLine(Invariant, $"| EscalationStarted consumed (more than once) | {e.Started:N0} ({e.StartedTwice}) | all | {Mark(e.Started == e.Published - e.PublishFailures)} |");
            md.AppendLine(Invariant, $"| All escalations existed before the first tier fell due | {(e.StartedAheadOfFirstDue is { } ahead ? string.Create(Invariant, $"yes, {ahead.TotalSeconds:0.0} s before") : "**no**")} | yes | {Mark(e.AllStartedInTime)} |");
            md.AppendLine(Invariant, $"| First tiers due, evenly over | {options.DueWindow.TotalSeconds:0} s ({e.Published - e.PublishFailures:N0} tiers, {options.BaselineRate}/s) | — | |");
            md.AppendLine(Invariant, $"| **Due → EscalationTierReached consumed**, p50 / p95 / p99 | **{Latency(e.Lag)}** | p99 < {options.TargetLagP99.TotalMilliseconds:0} ms | {Mark(EscalationTargetMet)} |");
            md.AppendLine(Invariant, $"| … of which due → fired (the timer round's clock, OccurredAt), p50 / p95 / p99 | {Latency(e.DueToFired)} | — | |");
            md.AppendLine(Invariant, $"| … of which fired → consumed (commit, outbox relay, broker), p50 / p95 / p99 | {Latency(e.FiredToReceived)} | — | |");
            md.AppendLine(Invariant, $"| Last tier consumed after the last due time | {(e.LastReceivedAfterLastDue is { } last ? string.Create(Invariant, $"{last.TotalMilliseconds:N0} ms") : "none")} | — | |");
            md.AppendLine(Invariant, $"| Tiers consumed / missing | {e.TiersReceived:N0} / {e.Missing} | all / 0 | {Mark(e.Missing == 0)} |");
            md.AppendLine(Invariant, $"| Tiers consumed twice: same message again / fired twice (two message ids) / other tiers fired | {e.Redelivered} / {e.FiredTwice} / {e.OtherTiers} | 0 / 0 / 0 | {Mark(e.Redelivered == 0 && e.FiredTwice == 0 && e.OtherTiers == 0)} |");
            Cpu["tiers"] = e.Cpu;
            CpuLine(md, "tiers", "tier", e.TiersReceived);
        }

        return md.ToString();
    }

    // CPU time per unit of work; with every process watched, the cores divided by the total bound the rate.
    private void CpuLine(StringBuilder md, string phase, string unit, int units)
    {
        if (!Cpu.TryGetValue(phase, out var cpu) || units == 0 || cpu.All(c => c.Name == "benchmark tool"))
        {
            return;
        }

        var perUnit = cpu.Select(c => (c.Name, Ms: c.Seconds * 1000 / units)).ToList();
        var total = perUnit.Sum(c => c.Ms);
        var parts = string.Join(", ", perUnit.Select(c => string.Create(Invariant, $"{c.Name} {c.Ms:0.00}")));
        md.AppendLine(Invariant,
            $"| ({phase}) CPU time per {unit}, ms | {parts}; total {total:0.00} (all {Environment.ProcessorCount} cores busy: ≤ {Environment.ProcessorCount * 1000 / total:N0} {unit}s/s) | — | |");
    }

    private static string Latency(Percentiles p) =>
        p.Count == 0 ? "no samples" : string.Create(Invariant, $"{p.P50:0.0} / {p.P95:0.0} / {p.P99:0.0} ms (max {p.Max:0.0})");

    private static string Errors(FilingResult result) =>
        result.Errors.Count == 0 ? "" : " — " + string.Join(", ", result.Errors.Select(e => $"{e.Key}: {e.Value}"));

    private static string Mark(bool met) => met ? "yes" : "**no**";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}

/// <summary>The machine as the results table names it: cores, memory, OS, .NET.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name");
        var memory = ReadField("/proc/meminfo", "MemTotal") is { } total && long.TryParse(total.Split(' ')[0], out var kib)
            ? string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0 / 1024.0:0.0} GiB")
            : "unknown memory";
        var os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {memory}, {os} (kernel {Environment.OSVersion.Version}), {RuntimeInformation.FrameworkDescription}";
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string? ReadField(string file, string name, char separator = ':')
    {
        if (!File.Exists(file))
        {
            return null;
        }

        return File.ReadLines(file)
            .Select(line => line.Split(separator, 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim() == name)
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();
    }
}
