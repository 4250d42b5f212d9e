using HotlineSystem.Benchmark;
using HotlineSystem.BuildingBlocks.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Throughput and latency of the distributed mode: see BenchmarkOptions.Usage and docs/benchmarks.md.
BenchmarkOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.Out.WriteLine(BenchmarkOptions.Usage);
        return 0;
    }

    options = BenchmarkOptions.Parse(args);
    _ = options.ResolveRabbitMqUri();
    if (options.NeedsChannel)
    {
        _ = BenchmarkOptions.ResolveClientSecret();
    }

    if (options.IsEscalation || options.NeedsPeople)
    {
        _ = BenchmarkOptions.ResolveAdminClientSecret();
    }

    if (options.NeedsPeople)
    {
        _ = BenchmarkOptions.ResolveCounterpartAdminClientSecret();
    }
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 64;
}

var command = options.Command ?? "dotnet HotlineSystem.Benchmark.dll " + string.Join(' ', args);
var table = new ResultsTable(options, command, DateTimeOffset.UtcNow, Machine.LoadAverage());

// The tool is a service of its own on the bus: its queues are named by the same building blocks.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Messaging:Transport"] = nameof(BusTransport.RabbitMQ),
    ["Messaging:EndpointPrefix"] = options.EndpointPrefix,
    [$"ConnectionStrings:{BusSetup.RabbitMqConnectionName}"] = options.ResolveRabbitMqUri(),
});
builder.Logging.AddSimpleConsole(console => console.SingleLine = true)
    .AddFilter(level => level >= LogLevel.Warning);
builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Services.AddSingleton<IncidentDeliveries>();
builder.Services.AddSingleton<PingLog>();
builder.Services.AddSingleton<BrokerBaseline>();
builder.Services.AddSingleton<EscalationLog>();
builder.Services.AddSingleton<EscalationScenario>();
builder.Services.AddSingleton<FeedPushLog>();
builder.Services.AddSingleton<NotificationsScenario>();
builder.Services.AddOptions<MassTransitHostOptions>().Configure(host => host.WaitUntilStarted = true);
// Only the scenario's consumers: a queue nobody reads from would fill up and cost the broker.
builder.AddServiceBus(bus =>
{
    bus.AddConsumer<BenchmarkPingConsumer>();
    if (options.IsEscalation)
    {
        bus.AddConsumer<StartedEscalationsConsumer>();
        bus.AddConsumer<ReachedTiersConsumer>();
    }
    else if (options.IsNotifications ? options.Steps : options.IsFiling)
    {
        bus.AddConsumer<ReportedIncidentsConsumer>();
    }

    if (options.IsNotifications && options.Steps)
    {
        bus.AddConsumer<FeedPushesConsumer>();
    }
});

using var host = builder.Build();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var cpu = new CpuWatch(options.Watch, options.WatchPostgres, browser: options.IsConsole);

async Task<T> Measured<T>(string phase, Func<Task<T>> run)
{
    var before = cpu.Take();
    var result = await run();
    table.Cpu[phase] = cpu.Between(before, cpu.Take());
    return result;
}

void Progress(string message) => Console.Error.WriteLine($"[benchmark {DateTime.UtcNow:HH:mm:ss}] {message}");

// The first token before anything else: a wrong secret or an Identity service not running fails at once.
// The filing client's token also reads the catalogue, which the escalation scenario needs for its channel.
AccessTokens? tokens = null;
if (options.NeedsChannel)
{
    Progress($"access token for {options.ClientId} from {options.Identity}");
    try
    {
        tokens = await AccessTokens.StartAsync(
            options.Identity, options.ClientId, BenchmarkOptions.ResolveClientSecret(), "incidents", TimeProvider.System, Progress, stop.Token);
    }
    catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
    {
        Progress($"no access token: {exception.Message}");
        return 1;
    }
}

// Escalation: an administrator defines their party's policy. Notifications, console: each party's administrator creates its people.
AccessTokens? administrator = null;
AccessTokens? counterpartAdministrator = null;
if (options.IsEscalation || options.NeedsPeople)
{
    // The committee phase seats each party's delegation, which takes the administrator's committee scope.
    var scope = options.IsEscalation ? "escalation" : options.IsNotifications && options.Phases.Contains("committee") ? "identity committee" : "identity";
    try
    {
        Progress($"access token for {options.AdminClientId} (scope {scope}) from {options.Identity}");
        administrator = await AccessTokens.StartAsync(
            options.Identity, options.AdminClientId, BenchmarkOptions.ResolveAdminClientSecret(), scope, TimeProvider.System, Progress, stop.Token);
        if (options.NeedsPeople)
        {
            Progress($"access token for {options.CounterpartAdminClientId} (scope {scope}) from {options.Identity}");
            counterpartAdministrator = await AccessTokens.StartAsync(
                options.Identity, options.CounterpartAdminClientId, BenchmarkOptions.ResolveCounterpartAdminClientSecret(), scope, TimeProvider.System, Progress, stop.Token);
        }
    }
    catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
    {
        Progress($"no access token: {exception.Message}");
        return 1;
    }
}

await using var renewal = tokens;
await using var administratorRenewal = administrator;
await using var counterpartAdministratorRenewal = counterpartAdministrator;

// The channel, learned before any load: which parties and channels exist is the registry's data.
RunChannel? channel = null;
if (tokens is not null)
{
    try
    {
        channel = await ChooseChannelAsync(tokens);
        table.Channel = channel;
    }
    catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
    {
        Progress($"no channel: {exception.Message}");
        return 1;
    }
}

// The escalation policy is its administrator's party's; the rest files as the filing client's party.
// Notifications: the people are of their administrators' parties, so those must be the channel's two.
async Task<RunChannel> ChooseChannelAsync(AccessTokens reader)
{
    var party = options.IsEscalation && administrator is not null ? administrator.Party : reader.Party;
    if (options.NeedsPeople && administrator is not null && administrator.Party != reader.Party)
    {
        throw new InvalidOperationException(
            $"{options.AdminClientId} acts for {administrator.Party} and {options.ClientId} for {reader.Party}: the filing party's administrator must be of the filing party.");
    }

    Progress($"channels of {party} from {options.IncidentsUrls[0]} (the catalogue as {options.ClientId}, of {reader.Party}, sees it)");
    var channels = await RunChannel.ReadCatalogueAsync(options.IncidentsUrls[0], reader, stop.Token);
    var chosen = RunChannel.Choose(channels, party, options.Channel, counterpartAdministrator?.Party);
    Progress($"channel {chosen}");
    return chosen;
}

try
{
    Progress($"connecting to the broker, queues prefixed '{options.EndpointPrefix}'");
    await host.StartAsync(stop.Token);

    if (options.Phases.Contains("baseline") && (options.IsEscalation || options.IsNotifications))
    {
        var baseline = host.Services.GetRequiredService<BrokerBaseline>();
        Progress("(a) bus alone: warming up with 1,000 messages");
        await baseline.FloodAsync(1_000, options.BaselineInFlight, options.DrainTimeout, stop.Token);
        Progress($"(a) bus alone at {options.BaselineRate} messages/s for {options.BaselineDuration.TotalSeconds:0} s");
        table.BaselineAtRate = await baseline.AtRateAsync(options.BaselineRate, options.BaselineDuration, options.DrainTimeout, stop.Token);
        Progress($"(a) publish → consume p50 {table.BaselineAtRate.Latency.P50:0.0} / p99 {table.BaselineAtRate.Latency.P99:0.0} ms, lost {table.BaselineAtRate.Lost}");
    }
    else if (options.Phases.Contains("baseline"))
    {
        var baseline = host.Services.GetRequiredService<BrokerBaseline>();
        Progress("(a) bus alone: warming up with 1,000 messages");
        await baseline.FloodAsync(1_000, options.BaselineInFlight, options.DrainTimeout, stop.Token);
        Progress($"(a) bus alone: flooding {options.BaselineMessages:N0} messages");
        table.Baseline = await Measured("a", () => baseline.FloodAsync(options.BaselineMessages, options.BaselineInFlight, options.DrainTimeout, stop.Token));
        Progress($"(a) {table.Baseline.ConsumeRate:N0} msg/s, p99 {table.Baseline.Latency.P99:0.0} ms, lost {table.Baseline.Lost}");
        Progress($"(a) bus alone at {options.BaselineRate} messages/s for 10 s");
        table.BaselineAtRate = await baseline.AtRateAsync(options.BaselineRate, options.BaselineDuration, options.DrainTimeout, stop.Token);
    }

    if (options.IsNotifications && tokens is not null && channel is not null && administrator is not null && counterpartAdministrator is not null)
    {
        using var filer = new IncidentFiler(options.IncidentsUrls, tokens, channel.Code);
        var load = new NotificationsLoad(options.Identity, options.NotificationsUrl, options.RedirectUri, options.Rate, options.Warmup, options.FixedDuration,
            options.Connections, options.FanoutPeople, options.Fanouts, options.FanoutPause, options.DrainTimeout,
            options.Watch.Where(w => w.Name == "notifications").Select(w => (int?)w.Pid).FirstOrDefault(), options.CommitteeRate);
        try
        {
            table.Notifications = await host.Services.GetRequiredService<NotificationsScenario>().RunAsync(
                load, filer, administrator, counterpartAdministrator, options.Phases.Contains("e2e"),
                options.Phases.Contains("committee") ? options.CommitteeUrl : null, options.Phases.Contains("fanout"), cpu, Progress, stop.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            Progress($"the notifications scenario failed: {exception.Message}");
            table.NotificationsFailure = exception.Message;
        }
    }
    else if (options.IsConsole && tokens is not null && channel is not null && administrator is not null && counterpartAdministrator is not null)
    {
        // Unique titles: a board shows titles, and each must say which incident it is.
        using var filer = new IncidentFiler(options.IncidentsUrls, tokens, channel.Code, uniqueTitles: true);
        var load = new ConsoleLoad(options.Identity, options.NotificationsUrl, options.RedirectUri, options.ConsoleUrls, options.Chromium,
            options.Boards, options.Rate, options.Warmup, options.FixedDuration, options.SeedIncidents, options.DrainTimeout,
            options.Watch.Where(w => w.Name == "console").Select(w => w.Pid).ToList());
        try
        {
            table.Console = await ConsoleScenario.RunAsync(load, filer, administrator, counterpartAdministrator, cpu, Progress, stop.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or Microsoft.Playwright.PlaywrightException)
        {
            Progress($"the console scenario failed: {exception.Message}");
            table.ConsoleFailure = exception.Message;
        }
    }
    else if (options.IsEscalation && administrator is not null && channel is not null)
    {
        Progress($"escalation policy {channel.Code} Sev2 of {administrator.Party}: first tier after {options.FirstWait}");
        try
        {
            await EscalationScenario.DefinePolicyAsync(options.EscalationUrls[0], administrator, channel.Code, options.FirstWait, stop.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException)
        {
            Progress($"the escalation policy could not be defined: {exception.Message}");
            return 1;
        }

        Progress($"publishing {options.Escalations:N0} IncidentReported; first tiers due from {options.Lead.TotalSeconds:0} s on, over {options.DueWindow.TotalSeconds:0} s");
        var load = new EscalationLoad(channel, options.ClientId, options.Escalations, options.DueWindow, options.Lead, options.FirstWait, options.BaselineInFlight, options.DrainTimeout);
        table.Escalation = await host.Services.GetRequiredService<EscalationScenario>().RunAsync(load, cpu, Progress, stop.Token);
        Progress($"tiers received {table.Escalation.TiersReceived:N0}, missing {table.Escalation.Missing}, twice {table.Escalation.Redelivered + table.Escalation.FiredTwice}; "
            + $"due → consumed p50 {table.Escalation.Lag.P50:0} ms, p99 {table.Escalation.Lag.P99:0} ms, max {table.Escalation.Lag.Max:0} ms");
    }

    if (options.Files && options.IsFiling && tokens is not null && channel is not null)
    {
        using var filer = new IncidentFiler(options.IncidentsUrls, tokens, channel.Code);
        var phases = new FilingPhases(filer, host.Services.GetRequiredService<IncidentDeliveries>(), options.DrainTimeout);
        if (options.Warmup > TimeSpan.Zero)
        {
            Progress($"warming up (not reported): concurrency {options.Concurrency}, {options.WarmupMinimum.TotalSeconds:0} to {options.Warmup.TotalSeconds:0} s");
            var warmUp = await phases.WarmUpAsync(
                options.Concurrency, TimeSpan.FromTicks(Math.Min(options.WarmupMinimum.Ticks, options.Warmup.Ticks)), options.Warmup, Progress, stop.Token);
            // The warm-up files several times the fixed rate, and the other services consume every incident
            // too: (b) measures the steady 100/s, not their backlog of the warm-up.
            Progress("waiting until the services have worked off the warm-up's events (under 10 % of a core for 1 s)");
            table.WarmUp = warmUp with { Quietened = await cpu.WaitUntilQuietAsync(0.1, options.DrainTimeout, stop.Token) };
        }

        if (options.Phases.Contains("fixed"))
        {
            Progress($"(b) fixed rate: {options.Rate}/s for {options.FixedDuration.TotalSeconds:0} s");
            table.FixedRate = await Measured("b", () => phases.FixedRateAsync(options.Rate, options.FixedDuration, stop.Token));
            Progress($"(b) {table.FixedRate.Created:N0} filed, 201→consumed p99 {table.FixedRate.CreatedToConsumed.P99:0.0} ms, lost {table.FixedRate.Lost}, duplicated {table.FixedRate.Duplicates}");
        }

        if (options.Phases.Contains("max"))
        {
            Progress($"(c) maximum rate: concurrency {options.Concurrency} for {options.MaxDuration.TotalSeconds:0} s");
            table.MaximumRate = await Measured("c", () => phases.MaximumRateAsync(options.Concurrency, options.MaxDuration, stop.Token));
            Progress($"(c) {table.MaximumRate.FilingRate:N0} filed/s, delivered {table.MaximumRate.DeliveryRate:N0}/s, lost {table.MaximumRate.Lost}, duplicated {table.MaximumRate.Duplicates}");
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Progress("interrupted; the table shows the phases that finished");
}
finally
{
    await host.StopAsync(CancellationToken.None);
}

var markdown = table.Render(Machine.LoadAverage());
Console.Out.WriteLine(markdown);
if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, markdown);
}

return !table.Correct ? 1 : table.FixedRateTargetMet && table.MaximumRateTargetMet && table.EscalationTargetMet && table.NotificationsTargetsMet && table.ConsoleTargetsMet ? 0 : 2;
