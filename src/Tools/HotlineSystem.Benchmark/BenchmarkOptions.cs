using System.Globalization;
using HotlineSystem.BuildingBlocks.Security;

namespace HotlineSystem.Benchmark;

/// <summary>What to run and how hard; every field has a default, so the tool runs without arguments.</summary>
public sealed class BenchmarkOptions
{
    public const string Usage =
        """
        HotlineSystem.Benchmark: throughput and latency of the distributed mode, started with
        deploy/start-distributed.sh (the tool files incidents as a tool client of the Identity
        service, by default hotline-benchmark-kr, a liaison officer of the filing party: client
        credentials, its secret in HOTLINE_BENCHMARK_CLIENT_SECRET, the token renewed before it
        expires). Parties and channels are the registry's data: each tool client's party is read from
        its access token, and the channel is the first open channel of the filing party in the
        Incidents service's catalogue (GET /api/catalogue, read with the filing client's token), or
        the one --channel names; the counterpart is the channel's other party. Prints a Markdown table
        on stdout, progress on stderr. Exit code 0: every target met; 1: something was lost, doubled
        or failed, or no access token, or no open channel; 2: nothing lost but a performance target
        missed.

        Scenario "filing" (the default): (a) the bus alone, (b) filing at a fixed rate, (c) filing at
        the maximum rate. Scenario "escalation" (issue 4): N escalations at once whose first tiers fall
        due within one minute; the lag from each tier's due time to its EscalationTierReached consumed
        here, and each tier exactly once; (a) the bus alone at the same message rate as the baseline.
        It defines its own party's Sev2 policy of the channel as the tool client
        hotline-benchmark-kr-admin (an Administrator, scope escalation, registered by
        deploy/start-distributed.sh only with HOTLINE_BENCHMARK_ADMIN_CLIENT=1; its secret in
        HOTLINE_BENCHMARK_ADMIN_CLIENT_SECRET); the channel is that party's, learned from the
        catalogue as above, so the filing client's secret is needed here too.
        Scenario "notifications" (issue 5): (a) the bus alone at the filing rate; (e2e) incidents filed
        by the filing party at a fixed rate, each timed from its 201 to the counterpart's liaison
        officer's SignalR client (the typed client) handing it over, every incident exactly once;
        (fanout) many connections of a few of the counterpart's officers on one Notifications replica,
        one incident at a time, timed from the 201 until the last connection has it, and the replica's
        memory per connection. People are created through the Identity service's user administration
        by the two parties' administrator tool clients (by default hotline-benchmark-kr-admin, the
        filing party's, and hotline-benchmark-cn-admin, the counterpart's; scope identity; secrets in
        HOTLINE_BENCHMARK_ADMIN_CLIENT_SECRET and HOTLINE_BENCHMARK_COUNTERPART_ADMIN_CLIENT_SECRET;
        each person is of their administrator's party) and sign in through the real sign-in pages (authorization code + PKCE, the web
        console's client) with the redirect URI that start-distributed.sh registers only with
        HOTLINE_BENCHMARK_SIGN_IN=1.
        Scenario "console" (issue 15): the counterpart's liaison officers' boards in the web console,
        measured in the browser. N officers (created and signed in as in "notifications") each open the
        console in Debian's Chromium (Playwright; a browser context each, so a Blazor circuit each) and
        sign in through the sign-in page: submit click → the board's rows in the DOM (the first render).
        Then incidents are filed at --rate for --duration, each with a unique title, and each page notes
        (a MutationObserver, Date.now()) when each title first shows in its board's rows: 201 → shown,
        per incident and board, every incident on every board exactly once. The same officers each hold a
        typed SignalR client too, receiving the same incidents: the baseline (201 → handed over).

          --scenario NAME            filing, escalation, notifications or console (default filing)
          --incidents URL[,URL...]   Incidents service replicas, filed to in turn (default http://localhost:5101)
          --identity URL             the Identity service's issuer, whose token endpoint gives the tool its
                                     access tokens (default http://localhost:5100/)
          --client-id ID             the tool client (default hotline-benchmark-kr); its secret is read from
                                     HOTLINE_BENCHMARK_CLIENT_SECRET, never from the command line
          --channel CODE             the channel to file on (escalation: to define the policy of), two
                                     parties' codes joined by a hyphen; it must be open and of the filing
                                     party (escalation: of the administrator's party); default the first
                                     open one of that party in the catalogue
          --rabbitmq URI             amqp://user:password@host:5672/vhost (default from HOTLINE_RABBITMQ_USER,
                                     HOTLINE_RABBITMQ_PASSWORD, HOTLINE_RABBITMQ_VHOST and HOTLINE_RABBITMQ_PORT,
                                     as the services get it)
          --endpoint-prefix NAME     prefix of the tool's own queues (default benchmark)
          --phases LIST              any of baseline,fixed,max (default all three; escalation: baseline or none;
                                     notifications: any of baseline,e2e,committee,fanout, default all four)
          --baseline-messages N      (a) messages flooded through the broker (default 20000)
          --baseline-in-flight N     (a) publishes awaiting their confirmation at once (default 500)
          --warmup DURATION          longest warm-up before (b): filing, not reported, until the rate is
                                     steady (default 120s; 0 for none); notifications: filing at --rate for
                                     this long before (e2e), not reported (default 30s)
          --warmup-min DURATION      shortest warm-up (default 30s)
          --rate N                   (b) incidents filed per second (default 100; console: 10)
          --no-steps                 notifications: no queues of the tool's own for IncidentReported and
                                     FeedEntriesAdded (2 of the 5 deliveries per incident), so no split of
                                     the time into steps; the end-to-end figures are measured as ever
          --fixed-duration DURATION  (b) (default 30s; notifications: (e2e), default 60s; console: the measured
                                     filing, default 30s); --duration is the same
          --baseline-duration DURATION  (a) at the fixed rate (default 10s; notifications: 30s)
          --concurrency N            (c) requests in flight (default 32)
          --max-duration DURATION    (c) (default 30s)
          --drain-timeout DURATION   how long to wait for the last events after filing stops (default 30s;
                                     notifications: how long without any entry arriving)
          --target-rate N            target of (c), incidents/s (default 500)
          --target-p99 DURATION      target of (b), 201 to consumed (default 50ms)
          --escalation URL[,URL...]  escalation: the Escalation service replicas; the policy is put to the first
                                     (default http://localhost:5102)
          --admin-client-id ID       escalation, notifications, console: the filing party's administrator tool client
                                     (default hotline-benchmark-kr-admin)
          --escalations N            escalation: escalations started (default 10000)
          --due-window DURATION      escalation: the first tiers' due times spread evenly over this (default 60s)
          --lead DURATION            escalation: from the first publish to the first due time; every escalation
                                     must exist by then (default 90s)
          --first-wait DURATION      escalation: the policy's wait before its first tier (default 10m)
          --target-lag-p99 DURATION  escalation: target of the due → consumed lag (default 1s)
          --notifications URL        notifications, console: the Notifications replica the typed clients connect to (default
                                     http://localhost:5103)
          --committee URL            notifications (committee): the Committee replica the items are proposed to (default
                                     http://localhost:5106)
          --committee-rate N         notifications (committee): agenda items per second, and as many incidents beside them
                                     (default 10)
          --counterpart-admin-client-id ID  notifications, console: the counterpart's administrator tool client
                                     (default hotline-benchmark-cn-admin)
          --redirect-uri URI         notifications, console: where the typed clients' sign-ins end (default
                                     http://127.0.0.1/hotline-benchmark/signed-in; nothing listens there)
          --connections N            notifications (fanout): SignalR connections opened (default 2000)
          --fanout-people N          notifications (fanout): the counterpart's officers they belong to, each holding
                                     connections/N of them (default 20)
          --fanouts N                notifications (fanout): incidents fanned out, one at a time (default 50)
          --fanout-pause DURATION    notifications (fanout): pause after each fan-out (default 1s)
          --target-notify-p99 DURATION  notifications: target of (e2e), 201 to the client (default 100ms)
          --target-fanout-p99 DURATION  notifications: target of (fanout), 201 to the last connection (default 1s)
          --console URL[,URL...]     console: the web console's replicas, boards spread over them in turn
                                     (default http://localhost:5104)
          --boards N                 console: boards open, one per counterpart officer (default 20)
          --seed-incidents N         console: incidents filed before the sign-ins, so that the first render
                                     draws rows (default 100, the board's page)
          --chromium PATH            console: the browser (default /usr/bin/chromium)
          --target-board-p95 DURATION  console: target of 201 → shown on a board, p95 (default 500ms)
          --target-first-render DURATION  console: target of the board's first render after sign-in, p95
                                     (default 1s)
          --watch NAME=PID[,...]     processes whose CPU time per incident to report (service hosts, broker)
          --watch-postgres DATABASE  report the CPU time of the PostgreSQL backends serving DATABASE too
          --command TEXT             the command line to print in the table (default this tool's own)
          --infrastructure TEXT      what runs PostgreSQL and RabbitMQ, for the table (e.g. their versions)
          --output FILE              also write the table to FILE
        Durations: 500ms, 30s, 2m, or a number of seconds.
        """;

    public string Scenario { get; private set; } = "filing";

    public bool IsEscalation => Scenario == "escalation";

    public bool IsNotifications => Scenario == "notifications";

    public bool IsConsole => Scenario == "console";

    public bool IsFiling => Scenario == "filing";

    public List<Uri> ConsoleUrls { get; private set; } = [new("http://localhost:5104")];

    public int Boards { get; private set; } = 20;

    public int SeedIncidents { get; private set; } = 100;

    public string Chromium { get; private set; } = "/usr/bin/chromium";

    public TimeSpan TargetBoardP95 { get; private set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan TargetFirstRender { get; private set; } = TimeSpan.FromSeconds(1);

    public Uri NotificationsUrl { get; private set; } = new("http://localhost:5103");

    public Uri CommitteeUrl { get; private set; } = new("http://localhost:5106");

    /// <summary>(committee): agenda items per second, and incidents per second beside them.</summary>
    public int CommitteeRate { get; private set; } = 10;

    /// <summary>Notifications: the administrator tool client of the channel's other party, who creates the measured people.</summary>
    public string CounterpartAdminClientId { get; private set; } = "hotline-benchmark-cn-admin";

    public Uri RedirectUri { get; private set; } = new("http://127.0.0.1/hotline-benchmark/signed-in");

    public int Connections { get; private set; } = 2_000;

    public int FanoutPeople { get; private set; } = 20;

    public int Fanouts { get; private set; } = 50;

    public TimeSpan FanoutPause { get; private set; } = TimeSpan.FromSeconds(1);

    public TimeSpan TargetNotifyP99 { get; private set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan TargetFanoutP99 { get; private set; } = TimeSpan.FromSeconds(1);

    /// <summary>(a) at the fixed rate: how long.</summary>
    public TimeSpan BaselineDuration { get; private set; } = TimeSpan.FromSeconds(10);

    public List<Uri> IncidentsUrls { get; private set; } = [new("http://localhost:5101")];

    public List<Uri> EscalationUrls { get; private set; } = [new("http://localhost:5102")];

    public string AdminClientId { get; private set; } = "hotline-benchmark-kr-admin";

    public int Escalations { get; private set; } = 10_000;

    public TimeSpan DueWindow { get; private set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Lead { get; private set; } = TimeSpan.FromSeconds(90);

    public TimeSpan FirstWait { get; private set; } = TimeSpan.FromMinutes(10);

    public TimeSpan TargetLagP99 { get; private set; } = TimeSpan.FromSeconds(1);

    public Uri Identity { get; private set; } = new("http://localhost:5100/");

    public string ClientId { get; private set; } = "hotline-benchmark-kr";

    /// <summary>The channel asked for; null: the first open channel of the filing party in the catalogue.</summary>
    public ChannelCode? Channel { get; private set; }

    public string? RabbitMqUri { get; private set; }

    public string EndpointPrefix { get; private set; } = "benchmark";

    public HashSet<string> Phases { get; private set; } = ["baseline", "fixed", "max"];

    public int BaselineMessages { get; private set; } = 20_000;

    public int BaselineInFlight { get; private set; } = 500;

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(120);

    public TimeSpan WarmupMinimum { get; private set; } = TimeSpan.FromSeconds(30);

    public int Rate { get; private set; } = 100;

    /// <summary>
    /// Notifications: whether the tool consumes IncidentReported and FeedEntriesAdded on queues of its
    /// own to split each incident's time into steps. Those are two of the five broker deliveries per
    /// incident: the measurement's load, not the system's.
    /// </summary>
    public bool Steps { get; private set; } = true;

    public TimeSpan FixedDuration { get; private set; } = TimeSpan.FromSeconds(30);

    public int Concurrency { get; private set; } = 32;

    public TimeSpan MaxDuration { get; private set; } = TimeSpan.FromSeconds(30);

    public TimeSpan DrainTimeout { get; private set; } = TimeSpan.FromSeconds(30);

    public double TargetRate { get; private set; } = 500;

    public TimeSpan TargetP99 { get; private set; } = TimeSpan.FromMilliseconds(50);

    public List<(string Name, int Pid)> Watch { get; private set; } = [];

    public string? WatchPostgres { get; private set; }

    public string? Command { get; private set; }

    public string? Infrastructure { get; private set; }

    public string? Output { get; private set; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        var given = new HashSet<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--scenario":
                    options.Scenario = Value();
                    if (options.Scenario is not ("filing" or "escalation" or "notifications" or "console"))
                    {
                        throw new ArgumentException($"Unknown scenario '{options.Scenario}' (filing, escalation, notifications, console).");
                    }

                    break;
                case "--escalation":
                    options.EscalationUrls = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(url => new Uri(url, UriKind.Absolute)).ToList();
                    break;
                case "--admin-client-id": options.AdminClientId = Value(); break;
                case "--notifications": options.NotificationsUrl = new Uri(Value(), UriKind.Absolute); break;
                case "--committee": options.CommitteeUrl = new Uri(Value(), UriKind.Absolute); break;
                case "--committee-rate": options.CommitteeRate = Positive(name, Value()); break;
                case "--counterpart-admin-client-id": options.CounterpartAdminClientId = Value(); break;
                case "--redirect-uri": options.RedirectUri = new Uri(Value(), UriKind.Absolute); break;
                case "--connections": options.Connections = Positive(name, Value()); break;
                case "--fanout-people": options.FanoutPeople = Positive(name, Value()); break;
                case "--fanouts": options.Fanouts = Positive(name, Value()); break;
                case "--fanout-pause": options.FanoutPause = Duration(name, Value(), allowZero: true); break;
                case "--target-notify-p99": options.TargetNotifyP99 = Duration(name, Value()); break;
                case "--target-fanout-p99": options.TargetFanoutP99 = Duration(name, Value()); break;
                case "--baseline-duration": options.BaselineDuration = Duration(name, Value()); given.Add(name); break;
                case "--escalations": options.Escalations = Positive(name, Value()); break;
                case "--due-window": options.DueWindow = Duration(name, Value()); break;
                case "--lead": options.Lead = Duration(name, Value()); break;
                case "--first-wait": options.FirstWait = Duration(name, Value()); break;
                case "--target-lag-p99": options.TargetLagP99 = Duration(name, Value()); break;
                case "--incidents":
                    options.IncidentsUrls = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(url => new Uri(url, UriKind.Absolute)).ToList();
                    break;
                case "--identity": options.Identity = new Uri(Value().TrimEnd('/') + "/", UriKind.Absolute); break;
                case "--client-id": options.ClientId = Value(); break;
                case "--channel":
                    {
                        var code = Value();
                        options.Channel = ChannelCode.TryParse(code, out var channel)
                            ? channel
                            : throw new ArgumentException($"--channel takes a channel code, two parties' codes joined by a hyphen, not '{code}'.");
                        break;
                    }
                case "--rabbitmq": options.RabbitMqUri = Value(); break;
                case "--endpoint-prefix": options.EndpointPrefix = Value(); break;
                case "--phases":
                    options.Phases = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    given.Add(name);
                    break;
                case "--baseline-messages": options.BaselineMessages = Positive(name, Value()); break;
                case "--baseline-in-flight": options.BaselineInFlight = Positive(name, Value()); break;
                case "--warmup": options.Warmup = Duration(name, Value(), allowZero: true); given.Add(name); break;
                case "--warmup-min": options.WarmupMinimum = Duration(name, Value(), allowZero: true); break;
                case "--rate": options.Rate = Positive(name, Value()); given.Add(name); break;
                case "--no-steps": options.Steps = false; break;
                case "--fixed-duration" or "--duration": options.FixedDuration = Duration(name, Value()); given.Add("--fixed-duration"); break;
                case "--console":
                    options.ConsoleUrls = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(url => new Uri(url, UriKind.Absolute)).ToList();
                    break;
                case "--boards": options.Boards = Positive(name, Value()); break;
                case "--seed-incidents": options.SeedIncidents = NonNegative(name, Value()); break;
                case "--chromium": options.Chromium = Value(); break;
                case "--target-board-p95": options.TargetBoardP95 = Duration(name, Value()); break;
                case "--target-first-render": options.TargetFirstRender = Duration(name, Value()); break;
                case "--concurrency": options.Concurrency = Positive(name, Value()); break;
                case "--max-duration": options.MaxDuration = Duration(name, Value()); break;
                case "--drain-timeout": options.DrainTimeout = Duration(name, Value()); break;
                case "--target-rate": options.TargetRate = Positive(name, Value()); break;
                case "--target-p99": options.TargetP99 = Duration(name, Value()); break;
                case "--watch":
                    options.Watch.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(watch =>
                        watch.Split('=') is [var watchName, var pid] && int.TryParse(pid, CultureInfo.InvariantCulture, out var number)
                            ? (watchName, number)
                            : throw new ArgumentException($"--watch takes NAME=PID, not '{watch}'.")));
                    break;
                case "--watch-postgres": options.WatchPostgres = Value(); break;
                case "--command": options.Command = Value(); break;
                case "--infrastructure": options.Infrastructure = Value(); break;
                case "--output": options.Output = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        string[] phases = options.IsNotifications ? ["baseline", "e2e", "committee", "fanout"] : options.IsConsole ? ["boards"] : ["baseline", "fixed", "max"];
        if ((options.IsNotifications || options.IsConsole) && !given.Contains("--phases"))
        {
            options.Phases = [.. phases];
        }

        if (options.Phases.Except(phases).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"Unknown phase '{unknown}' ({string.Join(", ", phases)}).");
        }

        if (options.IsNotifications)
        {
            // A meaningful p99 wants thousands of samples: a minute of filing, half a minute of the bus alone.
            options.FixedDuration = given.Contains("--fixed-duration") ? options.FixedDuration : TimeSpan.FromSeconds(60);
            options.Warmup = given.Contains("--warmup") ? options.Warmup : TimeSpan.FromSeconds(30);
            options.BaselineDuration = given.Contains("--baseline-duration") ? options.BaselineDuration : TimeSpan.FromSeconds(30);
            if (options.Connections < options.FanoutPeople)
            {
                throw new ArgumentException("--connections must be at least --fanout-people: every person holds a connection.");
            }
        }

        if (options.IsConsole)
        {
            if (options.ConsoleUrls.Count == 0)
            {
                throw new ArgumentException("--console needs at least one URL of the web console.");
            }

            // 20 boards are 20 Blazor circuits and 20 Chromium pages on the same cores as the services.
            options.Rate = given.Contains("--rate") ? options.Rate : 10;
            options.Warmup = given.Contains("--warmup") ? options.Warmup : TimeSpan.FromSeconds(15);
        }

        if (options.IsEscalation)
        {
            options.Phases.IntersectWith(["baseline"]);
            if (options.FirstWait < options.Lead + options.DueWindow)
            {
                throw new ArgumentException("--first-wait must be at least --lead plus --due-window: no incident is reported in the future.");
            }
        }

        return options;
    }

    /// <summary>The broker address: given, or composed from the environment the deploy scripts use.</summary>
    public string ResolveRabbitMqUri()
    {
        if (RabbitMqUri is not null)
        {
            return RabbitMqUri;
        }

        var user = Environment.GetEnvironmentVariable("HOTLINE_RABBITMQ_USER");
        var password = Environment.GetEnvironmentVariable("HOTLINE_RABBITMQ_PASSWORD");
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            throw new ArgumentException("Give --rabbitmq, or set HOTLINE_RABBITMQ_USER and HOTLINE_RABBITMQ_PASSWORD (source .local/infra.env).");
        }

        var vhost = Environment.GetEnvironmentVariable("HOTLINE_RABBITMQ_VHOST") ?? "/";
        var path = vhost == "/" ? "" : Uri.EscapeDataString(vhost);
        var port = Environment.GetEnvironmentVariable("HOTLINE_RABBITMQ_PORT") is { Length: > 0 } given ? given : "5672";
        return $"amqp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@localhost:{port}/{path}";
    }

    /// <summary>Whether a phase files incidents, and so needs an access token.</summary>
    public bool Files => IsNotifications ? Phases.Contains("e2e") || Phases.Contains("committee") || Phases.Contains("fanout")
        : IsConsole ? Phases.Contains("boards")
        : !IsEscalation && (Phases.Contains("fixed") || Phases.Contains("max"));

    /// <summary>Whether people are created (by both parties' administrator tool clients) and signed in.</summary>
    public bool NeedsPeople => (IsNotifications || IsConsole) && Files;

    /// <summary>Whether the run needs a channel, and so the filing client's token to read the catalogue: to file, or to define the escalation policy.</summary>
    public bool NeedsChannel => Files || IsEscalation;

    /// <summary>(a) at a fixed rate runs at the rate of the phase it is the floor of: (b)'s, or the tiers' falling due.</summary>
    public int BaselineRate => IsEscalation ? (int)Math.Ceiling(Escalations / DueWindow.TotalSeconds) : Rate;

    /// <summary>The tool client's secret, from the environment (a command line shows in process lists and in the table).</summary>
    public static string ResolveClientSecret() => ResolveSecret("HOTLINE_BENCHMARK_CLIENT_SECRET");

    /// <summary>The administrator tool client's secret (escalation scenario; notifications: the filing party's), from the environment.</summary>
    public static string ResolveAdminClientSecret() => ResolveSecret("HOTLINE_BENCHMARK_ADMIN_CLIENT_SECRET");

    /// <summary>The counterpart's administrator tool client's secret (notifications scenario), from the environment.</summary>
    public static string ResolveCounterpartAdminClientSecret() => ResolveSecret("HOTLINE_BENCHMARK_COUNTERPART_ADMIN_CLIENT_SECRET");

    private static string ResolveSecret(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } secret
            ? secret
            : throw new ArgumentException(
                $"Set {variable} to the tool client's secret (deploy/start-distributed.sh keeps it in .local/identity/).");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new ArgumentException($"{name} must be a whole number, 0 or more, not '{value}'.");

    private static TimeSpan Duration(string name, string value, bool allowZero = false)
    {
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || (amount == 0 && !allowZero))
        {
            throw new ArgumentException($"{name} must be a duration such as 500ms, 30s or 2m, not '{value}'.");
        }

        return TimeSpan.FromSeconds(amount * unit);
    }
}
