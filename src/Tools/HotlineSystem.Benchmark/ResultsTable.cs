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

    public NotificationsResult? Notifications { get; set; }

    /// <summary>The channel the run filed on (or defined the escalation policy of), as learned from the catalogue.</summary>
    public RunChannel? Channel { get; set; }

    /// <summary>Why the notifications scenario stopped early, if it did.</summary>
    public string? NotificationsFailure { get; set; }

    public ConsoleResult? Console { get; set; }

    /// <summary>Why the console scenario stopped early, if it did.</summary>
    public string? ConsoleFailure { get; set; }

    /// <summary>CPU seconds per watched process name, by phase ("a", "b", "c").</summary>
    public Dictionary<string, IReadOnlyList<(string Name, double Seconds)>> Cpu { get; } = [];

    /// <summary>Nothing lost, doubled or failed in any phase that ran.</summary>
    public bool Correct =>
        (Baseline is null || (Baseline.Lost == 0 && Baseline.Duplicates == 0 && Baseline.PublishFailures == 0))
        && (BaselineAtRate is null || (BaselineAtRate.Lost == 0 && BaselineAtRate.Duplicates == 0 && BaselineAtRate.PublishFailures == 0))
        && (FixedRate is null || (FixedRate.Lost == 0 && FixedRate.Duplicates == 0 && FixedRate.Failed == 0))
        // Beyond what the machine serves, a 503 (shed at once, Overload:ConcurrencyLimit) is the right answer: the client retries.
        && (MaximumRate is null || (MaximumRate.Lost == 0 && MaximumRate.Duplicates == 0 && MaximumRate.Failed - MaximumRate.Shed == 0))
        && (Escalation is null || Escalation.ExactlyOnce)
        && NotificationsFailure is null
        && (Notifications?.EndToEnd is not { } e2e || e2e.ExactlyOnce)
        && (Notifications?.Fanout is not { } fanout || fanout.ExactlyOnce)
        && (Notifications?.Committee is not { } committee || committee.ExactlyOnce)
        && ConsoleFailure is null
        && (Console is null || Console.ExactlyOnce);

    public bool FixedRateTargetMet => FixedRate is null || FixedRate.CreatedToConsumed.P99 <= options.TargetP99.TotalMilliseconds;

    public bool MaximumRateTargetMet => MaximumRate is null || MaximumRate.FilingRate >= options.TargetRate;

    /// <summary>The lag target, measured only if every escalation existed before its tier fell due.</summary>
    public bool EscalationTargetMet => Escalation is null || (Escalation.AllStartedInTime && Escalation.Lag.P99 <= options.TargetLagP99.TotalMilliseconds);

    public bool NotifyTargetMet => Notifications?.EndToEnd is not { } e2e || e2e.CreatedToReceived.P99 <= options.TargetNotifyP99.TotalMilliseconds;

    /// <summary>The fan-out target, measured only if every fan-out reached every connection in time.</summary>
    public bool FanoutTargetMet => Notifications?.Fanout is not { } f || (f.Incomplete == 0 && f.Last.P99 < options.TargetFanoutP99.TotalMilliseconds);

    /// <summary>Committee events reach a delegate's console within the incidents' target (issue 16).</summary>
    public bool CommitteeTargetMet => Notifications?.Committee is not { } c || c.Items.CreatedToReceived.P99 <= options.TargetNotifyP99.TotalMilliseconds;

    public bool NotificationsTargetsMet => NotifyTargetMet && FanoutTargetMet && CommitteeTargetMet;

    public bool BoardTargetMet => Console is not { } c || c.Board.Shown.P95 <= options.TargetBoardP95.TotalMilliseconds;

    public bool FirstRenderTargetMet => Console is not { } c || c.FirstRender.P95 <= options.TargetFirstRender.TotalMilliseconds;

    public bool ConsoleTargetsMet => BoardTargetMet && FirstRenderTargetMet;

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
        else if (options.IsNotifications)
        {
            md.AppendLine(Invariant, $"| Replicas | Incidents {options.IncidentsUrls.Count}, Notifications 1 (the people connect to {options.NotificationsUrl}) |");
        }
        else if (options.IsConsole)
        {
            md.AppendLine(Invariant, $"| Replicas | Incidents {options.IncidentsUrls.Count}, Notifications 1, web console {options.ConsoleUrls.Count} ({string.Join(", ", options.ConsoleUrls)}) |");
        }
        else
        {
            md.AppendLine(Invariant, $"| Incidents replicas | {options.IncidentsUrls.Count} |");
        }

        if (Channel is { } channel)
        {
            var acting = options.IsEscalation ? "escalation policy of" : "incidents filed by";
            md.AppendLine(Invariant, $"| Channel | {channel.Code}: {acting} {channel.Party}, counterpart {channel.Counterpart} |");
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
            var floorOf = options.IsEscalation ? "the broker hop inside the lag below"
                : options.IsNotifications ? "one broker hop; the end-to-end path below has three" : "the floor under (b)";
            md.AppendLine(Invariant, $"| (a) Bus alone at {options.BaselineRate} messages/s for {options.BaselineDuration.TotalSeconds:0} s: publish → consume p50 / p95 / p99 ({floorOf}) | {Latency(r.Latency)} | — | |");
            md.AppendLine(Invariant, $"| (a) Bus alone at {options.BaselineRate}/s: lost / duplicated / publish failures | {r.Lost} / {r.Duplicates} / {r.PublishFailures} | 0 / 0 / 0 | {Mark(r.Lost == 0 && r.Duplicates == 0 && r.PublishFailures == 0)} |");
        }

        if (WarmUp is { } w)
        {
            var state = w.Steady ? "steady (three 5 s windows within 10 %)" : "**not yet steady** (warm-up limit reached)";
            var quiet = w.Quietened is { } q ? $"then {q.TotalSeconds:0} s until the services had worked off its events" : "**the services were still busy with its events** when (b) began";
            md.AppendLine(Invariant, $"| Warm-up before (b), not measured: filing at concurrency {options.Concurrency} | {w.Elapsed.TotalSeconds:0} s, ending at {w.FinalRate:N0}/s, {state}; {quiet} | — | |");
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
            md.AppendLine(Invariant, $"| (c) Maximum rate, {c.Load}: **sustained filing rate** (201/s) | **{c.FilingRate:N0}/s** ({c.Created:N0} filed, {c.Shed:N0} shed with 503, {c.Failed - c.Shed} failed{Errors(c)}) | ≥ {options.TargetRate:0}/s | {Mark(MaximumRateTargetMet)} |");
            md.AppendLine(Invariant, $"| (c) End-to-end delivery rate (IncidentReported consumed/s, first POST to last event) | {c.DeliveryRate:N0}/s | — | |");
            md.AppendLine(Invariant, $"| (c) Last event consumed after the last 201 | {c.DrainAfterLastResponse.TotalMilliseconds:N0} ms | — | |");
            md.AppendLine(Invariant, $"| (c) Lost / duplicated | {c.Lost} / {c.Duplicates} | 0 / 0 | {Mark(c.Lost == 0 && c.Duplicates == 0)} |");
            md.AppendLine(Invariant, $"| (c) HTTP POST /api/incidents, p50 / p95 / p99 | {Latency(c.Http)} | — | |");
            md.AppendLine(Invariant, $"| (c) 201 received → IncidentReported consumed, p50 / p95 / p99 | {Latency(c.CreatedToConsumed)} | — | |");
            CpuLine(md, "c", "incident", c.Created);
        }

        if (NotificationsFailure is { } failure)
        {
            md.AppendLine(Invariant, $"| **The notifications scenario stopped** | {Escape(failure)} | — | **no** |");
        }

        if (Notifications?.EndToEnd is { } n)
        {
            md.AppendLine(Invariant, $"| (e2e) People | 1 {Notifications.Counterpart} liaison officer connected (typed client, 1 connection), {Notifications.FilingPartyOfficers} {Notifications.FilingParty} liaison officer (no connection): 2 feed rows per incident | — | |");
            md.AppendLine(Invariant, $"| (e2e) Fixed rate, {n.Load} after {options.Warmup.TotalSeconds:0} s of warm-up at that rate: incidents filed (201) / failed | {n.Created:N0} / {n.Failed}{Errors(n.Errors)} | all 201 | {Mark(n.Failed == 0)} |");
            md.AppendLine(Invariant, $"| (e2e) **201 received → {Notifications.Counterpart} officer's client handed the entry over**, p50 / p95 / p99 | **{Latency(n.CreatedToReceived)}** | p99 ≤ {options.TargetNotifyP99.TotalMilliseconds:0} ms | {Mark(NotifyTargetMet)} |");
            if (BaselineAtRate is { } baseline)
            {
                md.AppendLine(Invariant, $"| (e2e) … beside the bus alone at the same rate, same run (a), p50 / p95 / p99 | {Latency(baseline.Latency)} | — | |");
            }

            md.AppendLine(Invariant, $"| (e2e) POST sent → handed over, p50 / p95 / p99 | {Latency(n.RequestToReceived)} | — | |");
            md.AppendLine(Invariant, $"| (e2e) HTTP POST /api/incidents, p50 / p95 / p99 | {Latency(n.Http)} | — | |");
            if (options.Steps)
            {
                md.AppendLine(Invariant, $"| (e2e) where the time goes, 1: 201 → IncidentReported on the tool's own queue (Incidents' outbox relay, broker), p50 / p95 / p99 | {Latency(n.CreatedToReported)} | — | |");
                md.AppendLine(Invariant, $"| (e2e) 2: → the feed writer runs in Notifications (FeedEntriesAdded.OccurredAt; queue, inbox check, recipients), p50 / p95 / p99 | {Latency(n.ReportedToWritten)} | — | |");
                md.AppendLine(Invariant, $"| (e2e) 3: → FeedEntriesAdded on the tool's own queue (feed rows locked and written, commit, Notifications' relay, broker), p50 / p95 / p99 | {Latency(n.WrittenToRelayed)} | — | |");
                md.AppendLine(Invariant, $"| (e2e) 4: → the push arrives at the client (push consumer, SignalR, WebSocket), p50 / p95 / p99 | {Latency(n.RelayedToPushed)} | — | |");
                md.AppendLine(Invariant, $"| (e2e) 5: → the typed client hands it over (EntryReceived), p50 / p95 / p99 | {Latency(n.PushedToDelivered)} | — | |");
            }
            else
            {
                md.AppendLine("| (e2e) where the time goes | not split (--no-steps: the tool had no queues of its own for IncidentReported and FeedEntriesAdded) | — | |");
            }

            md.AppendLine(Invariant, $"| (e2e) Entries handed over before the client had read the 201 | {n.BeforeResponse:N0} of {n.Created:N0} | — | |");
            md.AppendLine(Invariant, $"| (e2e) Incidents lost (nothing more arrived for {options.DrainTimeout.TotalSeconds:0} s) / handed over twice | {n.Lost} / {n.Doubled} | 0 / 0 | {Mark(n.Lost == 0 && n.Doubled == 0)} |");
            md.AppendLine(Invariant, $"| (e2e) Raw pushes: none (caught up from the feed instead) / pushed twice (dropped by the client) | {n.NotPushed} / {n.PushedTwice} | — | |");
            Cpu["e2e"] = n.Cpu;
            CpuLine(md, "e2e", "incident", n.Created);
            md.AppendLine(Invariant, $"| (e2e) Load generator: worst lateness of a scheduled request | {n.MaxScheduleLag.TotalMilliseconds:0.0} ms | — | |");
        }

        if (Notifications?.Committee is { } committee)
        {
            md.AppendLine(Invariant, $"| (committee) People | KR–CN's committee: a member and a co-chair seated in each delegation; CN's member, a liaison officer too, connected (typed client, 1 connection) | — | |");
            md.AppendLine(Invariant, $"| (committee) Fixed rate, {committee.Load} after {options.Warmup.TotalSeconds:0} s of warm-up: agenda items proposed by KR's member (201) / failed; incidents filed (201) / failed | {committee.Items.Created:N0} / {committee.Items.Requests - committee.Items.Created}{Errors(committee.Items.Errors)}; {committee.Incidents.Created:N0} / {committee.Incidents.Requests - committee.Incidents.Created}{Errors(committee.Incidents.Errors)} | all 201 | {Mark(committee.Items.Requests == committee.Items.Created && committee.Incidents.Requests == committee.Incidents.Created)} |");
            md.AppendLine(Invariant, $"| (committee) **201 received → CN member's client handed the AgendaItemProposed entry over**, p50 / p95 / p99 | **{Latency(committee.Items.CreatedToReceived)}** | p99 ≤ {options.TargetNotifyP99.TotalMilliseconds:0} ms (the incidents' target) | {Mark(CommitteeTargetMet)} |");
            md.AppendLine(Invariant, $"| (committee) … beside incidents to the same connection, same time, p50 / p95 / p99 | {Latency(committee.Incidents.CreatedToReceived)} | — | |");
            md.AppendLine(Invariant, $"| (committee) HTTP POST /api/meetings/{{id}}/agenda-items / POST /api/incidents, p50 / p95 / p99 | {Latency(committee.Items.Http)} / {Latency(committee.Incidents.Http)} | — | |");
            md.AppendLine(Invariant, $"| (committee) Items lost / handed over twice; incidents lost / twice | {committee.Items.Lost} / {committee.Items.Doubled}; {committee.Incidents.Lost} / {committee.Incidents.Doubled} | 0 / 0; 0 / 0 | {Mark(committee.ExactlyOnce)} |");
            Cpu["committee"] = committee.Cpu;
            CpuLine(md, "committee", "item and incident", committee.Items.Created + committee.Incidents.Created);
        }

        if (Notifications?.Fanout is { } f)
        {
            md.AppendLine(Invariant, $"| (fanout) Connections on one Notifications replica / people | {f.Connections:N0} authenticated SignalR connections (typed client, WebSockets) of {f.People} {Notifications.Counterpart} liaison officers, {f.Connections / (double)f.People:0.#} each; opened in {f.OpenSeconds:0.0} s, {f.OpenFailures} failed | {f.Connections:N0} / 0 failed | {Mark(f.OpenFailures == 0)} |");
            md.AppendLine(Invariant, $"| (fanout) Feed rows per incident | {f.People + Notifications.FilingPartyOfficers} ({f.People} {Notifications.Counterpart} officers + {Notifications.FilingPartyOfficers} {Notifications.FilingParty} officer), one FeedEntriesAdded of {f.People + Notifications.FilingPartyOfficers} entries | — | |");
            md.AppendLine(Invariant, $"| (fanout) **201 received → the last connection has the entry**, {f.Fanouts} fan-outs one at a time, p50 / p95 / p99 | **{Latency(f.Last)}** | p99 < {options.TargetFanoutP99.TotalMilliseconds:0} ms | {Mark(FanoutTargetMet)} |");
            md.AppendLine(Invariant, $"| (fanout) … the first connection / the median connection, p50 / p95 / p99 | {Latency(f.First)} / {Latency(f.Median)} | — | |");
            md.AppendLine(Invariant, $"| (fanout) … FeedEntriesAdded on the tool's own queue (feed committed, relayed) / the last raw push arrived, p50 / p95 / p99 | {Latency(f.Relayed)} / {Latency(f.LastPushed)} | — | |");
            md.AppendLine(Invariant, $"| (fanout) HTTP POST /api/incidents, p50 / p95 / p99 | {Latency(f.Http)} | — | |");
            md.AppendLine(Invariant, $"| (fanout) Fan-outs failed to file / not complete within {options.DrainTimeout.TotalSeconds:0} s | {f.FilingFailures} / {f.Incomplete} | 0 / 0 | {Mark(f.FilingFailures == 0 && f.Incomplete == 0)} |");
            md.AppendLine(Invariant, $"| (fanout) Entries missing / handed over twice (connection × incident, {f.Fanouts * (f.Connections - f.OpenFailures):N0} expected) | {f.Missing} / {f.Doubled} | 0 / 0 | {Mark(f.Missing == 0 && f.Doubled == 0)} |");
            md.AppendLine(Invariant, $"| (fanout) Raw pushes: none (caught up instead) / pushed twice; typed client faults (failed catch-ups), whole run | {f.NotPushed} / {f.PushedTwice}; {f.ClientFaults} | — | |");
            md.AppendLine(Invariant, $"| (fanout) **Notifications replica's memory** (VmRSS; anonymous): before the connections → opened → after the fan-outs | {Memory(f.Before)} → {Memory(f.Opened)} → {Memory(f.After)} | — | |");
            md.AppendLine(Invariant, $"| (fanout) **Memory per connection** (VmRSS opened − before, / {f.Connections - f.OpenFailures:N0}) | {(f.RssPerConnectionKiB is { } perConnection ? string.Create(Invariant, $"{perConnection:0.0} KiB") : "not measured (no pid)")} | — | |");
            Cpu["fanout"] = f.Cpu;
            CpuLine(md, "fanout", "fan-out", f.Fanouts);
        }

        if (ConsoleFailure is { } consoleFailure)
        {
            md.AppendLine(Invariant, $"| **The console scenario stopped** | {Escape(consoleFailure)} | — | **no** |");
        }

        if (Console is { } k)
        {
            RenderConsole(md, k);
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

    private void RenderConsole(StringBuilder md, ConsoleResult k)
    {
        var b = k.Board;
        md.AppendLine(Invariant, $"| People and boards | {k.Boards} {k.Counterpart} liaison officers, each with a board open in Chromium {k.BrowserVersion} (a browser context and a Blazor circuit each, spread over {k.ConsoleReplicas} console replica(s)) and a typed SignalR client; 1 {k.FilingParty} liaison officer (no board) | — | |");
        md.AppendLine(Invariant, $"| **Board's first render after sign-in**: submit click → the board's rows in the DOM ({k.RowsAtFirstRender}+ rows; {k.SeedIncidents} incidents filed before), {k.Boards} sign-ins one after another, p50 / p95 / p99 | **{Latency(k.FirstRender)}** | p95 ≤ {options.TargetFirstRender.TotalMilliseconds:0} ms | {Mark(FirstRenderTargetMet)} |");
        md.AppendLine(Invariant, $"| … of which submit click → the console's page received (sign-in POST, authorization, code redemption, redirects) / → the line says \"Live\", p50 / p95 / p99 | {Latency(k.FirstDocument)} / {Latency(k.FirstLive)} | — | |");
        md.AppendLine(Invariant, $"| Fixed rate, {k.Load} after {options.Warmup.TotalSeconds:0} s of warm-up at that rate: incidents filed (201) / failed | {k.Created:N0} / {k.Failed}{Errors(k.Errors)} | all 201 | {Mark(k.Failed == 0)} |");
        md.AppendLine(Invariant, $"| **201 received → the incident's row in a {k.Counterpart} officer's open board** (DOM, MutationObserver), per incident × board ({b.Expected:N0}), p50 / p95 / p99 | **{Latency(b.Shown)}** | p95 ≤ {options.TargetBoardP95.TotalMilliseconds:0} ms | {Mark(BoardTargetMet)} |");
        md.AppendLine(Invariant, $"| … → the next animation frame after it (the first paint it can be in), p50 / p95 / p99 | {Latency(b.Painted)} | — | |");
        md.AppendLine(Invariant, $"| … → on the last of the {k.Boards} boards, per incident, p50 / p95 / p99 | {Latency(b.LastBoard)} | — | |");
        md.AppendLine(Invariant, $"| **Baseline, same run, same incidents: 201 received → the typed client handed the entry over**, per incident × officer, p50 / p95 / p99 | **{Latency(k.Typed)}** | — | |");
        md.AppendLine(Invariant, $"| HTTP POST /api/incidents, p50 / p95 / p99 | {Latency(k.Http)} | — | |");
        md.AppendLine(Invariant, $"| Rows missing (incident × board; nothing more showed for {options.DrainTimeout.TotalSeconds:0} s) / shown twice at once | {b.Missing} ({b.IncidentsMissingSomewhere} incidents) / {b.ShownTwice} | 0 / 0 | {Mark(b.ExactlyOnce)} |");
        md.AppendLine(Invariant, $"| Rows that left a board and came back / boards replaced by something else after their first rows (times) | {b.Returned} / {k.BoardsGone}{(k.GoneTexts.Count == 0 ? "" : " — " + Escape(string.Join("; ", k.GoneTexts)))} | — | |");
        md.AppendLine(Invariant, $"| Typed clients: entries lost / handed over twice (incident × officer) | {k.TypedLost} / {k.TypedDoubled} | 0 / 0 | {Mark(k.TypedLost == 0 && k.TypedDoubled == 0)} |");
        md.AppendLine(Invariant, $"| Clocks: the pages' Date.now() against the tool's clock (one machine, one system clock) | at most {k.ClockOffsetMs:0.0} ms apart (±{k.ClockUncertaintyMs:0.0} ms of round trip) | — | |");
        md.AppendLine(Invariant, $"| Console replicas' memory (VmRSS; anonymous): before the boards → {k.Boards} boards open | {Memory(k.ConsoleBefore)} → {Memory(k.ConsoleWithBoards)}{(k.RssPerBoardKiB is { } perBoard ? string.Create(Invariant, $" ({perBoard / 1024.0:0.0} MiB per board)") : "")} | — | |");
        md.AppendLine(Invariant, $"| CPU with the boards open and nothing filed (5 s), cores busy | {string.Join(", ", k.IdleCpu.Select(c => string.Create(Invariant, $"{c.Name} {c.Cores:0.00}")))}; total {k.IdleCpu.Sum(c => c.Cores):0.00} | — | |");
        Cpu["boards"] = k.Cpu;
        CpuLine(md, "boards", "incident", k.Created);
        md.AppendLine(Invariant, $"| Load generator: worst lateness of a scheduled request | {k.MaxScheduleLag.TotalMilliseconds:0.0} ms | — | |");
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

    private static string Errors(FilingResult result) => Errors(result.Errors);

    private static string Errors(IReadOnlyDictionary<string, int> errors) =>
        errors.Count == 0 ? "" : " — " + string.Join(", ", errors.Select(e => $"{e.Key}: {e.Value}"));

    private static string Memory(ProcessMemory? memory) =>
        memory is null ? "?" : string.Create(Invariant, $"{memory.RssKiB / 1024.0:0.0} MiB ({memory.AnonKiB / 1024.0:0.0})");

    private static string Mark(bool met) => met ? "yes" : "**no**";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}

/// <summary>The machine as the results table names it: cores, processor, memory, OS, .NET.</summary>
public static class Machine
{
    public static string Describe()
    {
        // A virtual machine may name only the vendor ("AMD EPYC"): family and model tell its generations apart.
        var cpu = ReadField("/proc/cpuinfo", "model name") is { } name
            ? $"{name}, family {ReadField("/proc/cpuinfo", "cpu family")} model {ReadField("/proc/cpuinfo", "model")}"
            : null;
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
