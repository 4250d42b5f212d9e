using System.Diagnostics;

namespace HotlineSystem.Benchmark;

/// <summary>What the console scenario is asked to do.</summary>
public sealed record ConsoleLoad(
    Uri Identity,
    Uri Notifications,
    Uri RedirectUri,
    IReadOnlyList<Uri> Consoles,
    string Chromium,
    int Boards,
    int Rate,
    TimeSpan Warmup,
    TimeSpan Duration,
    int SeedIncidents,
    TimeSpan DrainTimeout,
    IReadOnlyList<int> ConsolePids);

/// <summary>
/// Issue 15: incidents filed by the filing party reaching the counterpart's liaison officers' open
/// boards in the web console, measured in the browser. N counterpart officers (real accounts, created by
/// their administrator tool client) each sign in to the console in a Chromium context of their own
/// (their own cookies and Blazor circuit), through the real sign-in pages; each sign-in times the board's
/// first render. Then incidents are filed at a fixed rate, each with a unique title, and each board's
/// page notes when each title first shows in its rows (<see cref="BoardWatch"/>). The same officers also
/// hold a typed SignalR client each (the baseline: 201 → entry handed over), receiving the same incidents
/// in the same run. One liaison officer of the filing party exists too (no board): each incident writes
/// a feed row for both parties' officers, as in life.
/// </summary>
public static class ConsoleScenario
{
    private static readonly TimeSpan SignInTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    public static async Task<ConsoleResult> RunAsync(
        ConsoleLoad load, IncidentFiler filer, AccessTokens filingAdministrator, AccessTokens counterpartAdministrator,
        CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        progress($"people: one {filingAdministrator.Party} and {load.Boards} {counterpartAdministrator.Party} liaison officers (run {run})");
        await PeopleAdministration.CreateLiaisonOfficerAsync(load.Identity, filingAdministrator, run, 1, cancellationToken);
        var officers = new List<BenchmarkPerson>();
        for (var i = 0; i < load.Boards; i++)
        {
            officers.Add(await PeopleAdministration.CreateLiaisonOfficerAsync(load.Identity, counterpartAdministrator, run, i + 1, cancellationToken));
        }

        var receipts = new Receipts(load.Boards);
        var connections = new List<PersonConnection>();
        try
        {
            progress($"baseline: each {counterpartAdministrator.Party} officer signs in over HTTP and connects a typed SignalR client");
            for (var i = 0; i < officers.Count; i++)
            {
                var tokens = await PersonTokens.SignInAsync(load.Identity, officers[i], load.RedirectUri, NotificationsScenario.Scope, cancellationToken);
                var connection = new PersonConnection(load.Notifications, tokens, 0, receipts, i);
                connections.Add(connection);
                await connection.StartAsync(cancellationToken);
            }

            var known = await NotificationsScenario.ProbeAsync(filer, receipts, cancellationToken);
            progress($"the Notifications service knows every officer: a probe reached every typed client after {known.TotalSeconds:0.0} s");

            if (load.SeedIncidents > 0)
            {
                progress($"{load.SeedIncidents} incidents filed before the sign-ins, so that each board's first render has rows to draw");
                var seeds = await FileAsync(filer, load.SeedIncidents, cancellationToken);
                await NotificationsScenario.WaitForAsync(receipts, seeds, load.DrainTimeout, progress, cancellationToken);
            }

            return await WithBoardsAsync(load, filer, officers, receipts, filingAdministrator.Party, counterpartAdministrator.Party, cpuWatch, progress, cancellationToken);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<ConsoleResult> WithBoardsAsync(
        ConsoleLoad load, IncidentFiler filer, List<BenchmarkPerson> officers, Receipts receipts, string filingParty, string counterpart,
        CpuWatch cpuWatch, Action<string> progress, CancellationToken cancellationToken)
    {
        var consoleBefore = ProcessMemory.Sum(load.ConsolePids);
        await using var browser = await BoardBrowser.LaunchAsync(load.Chromium);
        progress($"Chromium {browser.Version}: {load.Boards} boards signing in one after another, each in a context of its own");
        var boards = new List<OpenBoard>();
        try
        {
            for (var i = 0; i < officers.Count; i++)
            {
                var opened = await browser.SignInAsync(load.Consoles[i % load.Consoles.Count], officers[i], SignInTimeout);
                boards.Add(opened);
                progress($"board {i + 1} ({opened.Person.UserName} at {opened.Console}): rows after {Ms(opened.ClickedAt, opened.FirstRender.FirstRowsAt):0} ms, "
                    + $"live after {Ms(opened.ClickedAt, opened.FirstRender.LiveAt):0} ms");
            }

            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            var consoleWithBoards = ProcessMemory.Sum(load.ConsolePids);

            var probe = await ProbeBoardsAsync(filer, boards, cancellationToken);
            progress($"every board showed a probe incident after {probe.TotalSeconds:0.0} s");

            if (load.Warmup > TimeSpan.Zero)
            {
                progress($"warming up (not reported): {load.Rate}/s for {load.Warmup.TotalSeconds:0} s");
                var (warmup, _) = await FilingPhases.FileAtRateAsync(filer, load.Rate, load.Warmup, cancellationToken);
                var warm = warmup.Where(f => f.Created).ToList();
                await NotificationsScenario.WaitForAsync(receipts, warm.Select(f => f.IncidentId!.Value).ToList(), load.DrainTimeout, progress, cancellationToken);
                await WaitForBoardsAsync(boards, warm.Select(f => IncidentFiler.TitleOf(f.RequestId)).ToList(), load.DrainTimeout, progress, cancellationToken);
            }

            // What the open boards cost when nothing happens: a page or circuit busy by itself would show here.
            var idleBefore = cpuWatch.Take();
            await Task.Delay(IdleWindow, cancellationToken);
            var idle = cpuWatch.Between(idleBefore, cpuWatch.Take());

            progress($"{load.Rate} incidents/s for {load.Duration.TotalSeconds:0} s to {load.Boards} open boards and {load.Boards} typed clients");
            var cpuBefore = cpuWatch.Take();
            var (filings, maxLag) = await FilingPhases.FileAtRateAsync(filer, load.Rate, load.Duration, cancellationToken);
            var created = filings.Where(f => f.Created).ToList();
            await NotificationsScenario.WaitForAsync(receipts, created.Select(f => f.IncidentId!.Value).ToList(), load.DrainTimeout, progress, cancellationToken);
            await WaitForBoardsAsync(boards, created.Select(f => IncidentFiler.TitleOf(f.RequestId)).ToList(), load.DrainTimeout, progress, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // a late second row still counts
            var cpu = cpuWatch.Between(cpuBefore, cpuWatch.Take());

            var sightings = await Task.WhenAll(boards.Select(b => b.SightingsAsync()));
            var clocks = await Task.WhenAll(boards.Select(b => b.ClockOffsetAsync()));
            var board = BoardLatencies.Of(created.Select(f => (f.RequestId, f.RespondedAtUtc)).ToList(), sightings);
            var (typed, typedLost, typedDoubled) = Typed(created, receipts);
            var result = new ConsoleResult(
                filingParty,
                counterpart,
                load.Boards,
                load.Consoles.Count,
                browser.Version,
                load.SeedIncidents,
                Percentiles.Of(boards.Select(b => Ms(b.ClickedAt, b.FirstRender.FirstRowsAt))),
                Percentiles.Of(boards.Select(b => Ms(b.ClickedAt, b.FirstRender.DocumentReceivedAt))),
                Percentiles.Of(boards.Select(b => Ms(b.ClickedAt, b.FirstRender.LiveAt))),
                boards.Min(b => b.FirstRender.RowsAtFirst),
                consoleBefore,
                consoleWithBoards,
                $"{load.Rate}/s for {load.Duration.TotalSeconds:0} s",
                filings.Count,
                created.Count,
                filings.Where(f => !f.Created).GroupBy(f => f.Error ?? $"HTTP {f.Status}").ToDictionary(g => g.Key, g => g.Count()),
                board,
                sightings.Sum(s => s.Gone),
                sightings.SelectMany(s => s.GoneTexts).Distinct().Take(3).ToList(),
                typed,
                typedLost,
                typedDoubled,
                Percentiles.Of(created.Select(f => f.HttpMs)),
                maxLag,
                clocks.Max(c => Math.Abs(c.OffsetMs)),
                clocks.Max(c => c.UncertaintyMs),
                cpu,
                idle.Select(c => (c.Name, c.Seconds / IdleWindow.TotalSeconds)).ToList());
            progress($"201 → shown on a board p50 {board.Shown.P50:0} / p95 {board.Shown.P95:0} / p99 {board.Shown.P99:0} ms, missing {board.Missing}, twice {board.ShownTwice}; "
                + $"typed client p50 {typed.P50:0.0} / p95 {typed.P95:0.0} ms");
            return result;
        }
        finally
        {
            foreach (var open in boards)
            {
                await open.DisposeAsync();
            }
        }
    }

    /// <summary>Files <paramref name="count"/> incidents, eight at a time; returns those created.</summary>
    private static async Task<List<Guid>> FileAsync(IncidentFiler filer, int count, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(8);
        var filings = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await window.WaitAsync(cancellationToken);
            try
            {
                return await filer.FileAsync(cancellationToken);
            }
            finally
            {
                window.Release();
            }
        }));
        return filings.Where(f => f.Created).Select(f => f.IncidentId!.Value).ToList();
    }

    /// <summary>Files an incident every half second until one shows on every board: every circuit's line is up and fed.</summary>
    private static async Task<TimeSpan> ProbeBoardsAsync(IncidentFiler filer, IReadOnlyList<OpenBoard> boards, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var titles = new List<string>();
        var best = 0;
        while (Stopwatch.GetElapsedTime(start) < ProbeTimeout)
        {
            var filing = await filer.FileAsync(cancellationToken);
            if (filing.Created)
            {
                titles.Add(IncidentFiler.TitleOf(filing.RequestId));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            var shown = await Task.WhenAll(boards.Select(b => b.ShownAsync(titles)));
            var onAll = titles.Where(t => shown.All(s => s.Contains(t))).Any();
            if (onAll)
            {
                return Stopwatch.GetElapsedTime(start);
            }

            best = titles.Count == 0 ? 0 : titles.Max(t => shown.Count(s => s.Contains(t)));
        }

        throw new InvalidOperationException(
            $"No probe incident showed on every board within {ProbeTimeout.TotalSeconds:0} s (at best on {best} of {boards.Count}).");
    }

    /// <summary>
    /// Waits until every board shows every title, or until no board has shown anything new for
    /// <paramref name="quiet"/>: a board that lags is waited for (its rows count, late); only what never
    /// comes is missing.
    /// </summary>
    private static async Task WaitForBoardsAsync(IReadOnlyList<OpenBoard> boards, IReadOnlyList<string> titles, TimeSpan quiet, Action<string> progress, CancellationToken cancellationToken)
    {
        var expected = titles.Count * boards.Count;
        var lastProgress = Stopwatch.GetTimestamp();
        var lastReport = lastProgress;
        var shownBefore = -1;
        while (true)
        {
            var shown = (await Task.WhenAll(boards.Select(b => b.ShownAsync(titles)))).Sum(s => s.Count);
            if (shown >= expected)
            {
                return;
            }

            if (shown > shownBefore)
            {
                shownBefore = shown;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > quiet)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(10))
            {
                lastReport = Stopwatch.GetTimestamp();
                progress($"{expected - shown:N0} of {expected:N0} rows (incident × board) still to show");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>The baseline per (incident, officer): 201 → the typed client handed the entry over; and what never came or came twice.</summary>
    private static (Percentiles Latency, int Lost, int Doubled) Typed(IReadOnlyList<Filing> created, Receipts receipts)
    {
        var latencies = new List<double>(created.Count * receipts.Connections);
        int lost = 0, doubled = 0;
        foreach (var filing in created)
        {
            var receipt = receipts.Find(filing.IncidentId!.Value);
            for (var i = 0; i < receipts.Connections; i++)
            {
                if (receipt is null || receipt.DeliveredAt[i] == 0)
                {
                    lost++;
                    continue;
                }

                doubled += receipt.DeliveredCount[i] > 1 ? 1 : 0;
                latencies.Add(Stopwatch.GetElapsedTime(filing.RespondedAt, receipt.DeliveredAt[i]).TotalMilliseconds);
            }
        }

        return (Percentiles.Of(latencies), lost, doubled);
    }

    private static double Ms(DateTimeOffset from, double? toUnixMs) =>
        toUnixMs is { } to ? to - (from - DateTimeOffset.UnixEpoch).TotalMilliseconds : double.NaN;
}

/// <summary>What the console scenario measured. Latencies in milliseconds.</summary>
public sealed record ConsoleResult(
    string FilingParty,
    string Counterpart,
    int Boards,
    int ConsoleReplicas,
    string BrowserVersion,
    int SeedIncidents,
    Percentiles FirstRender,
    Percentiles FirstDocument,
    Percentiles FirstLive,
    int RowsAtFirstRender,
    ProcessMemory? ConsoleBefore,
    ProcessMemory? ConsoleWithBoards,
    string Load,
    int Requests,
    int Created,
    IReadOnlyDictionary<string, int> Errors,
    BoardLatencies Board,
    int BoardsGone,
    IReadOnlyList<string> GoneTexts,
    Percentiles Typed,
    int TypedLost,
    int TypedDoubled,
    Percentiles Http,
    TimeSpan MaxScheduleLag,
    double ClockOffsetMs,
    double ClockUncertaintyMs,
    IReadOnlyList<(string Name, double Seconds)> Cpu,
    IReadOnlyList<(string Name, double Cores)> IdleCpu)
{
    public int Failed => Requests - Created;

    public bool ExactlyOnce => Failed == 0 && Board.ExactlyOnce && TypedLost == 0 && TypedDoubled == 0;

    public double? RssPerBoardKiB => ConsoleBefore is null || ConsoleWithBoards is null ? null : (ConsoleWithBoards.RssKiB - ConsoleBefore.RssKiB) / (double)Boards;
}
