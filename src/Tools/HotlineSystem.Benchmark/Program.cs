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
    if (options.Files)
    {
        _ = BenchmarkOptions.ResolveClientSecret();
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
builder.Services.AddOptions<MassTransitHostOptions>().Configure(host => host.WaitUntilStarted = true);
builder.Services.AddConsumersFrom(typeof(ReportedIncidentsConsumer).Assembly);
builder.AddServiceBus();

using var host = builder.Build();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var cpu = new CpuWatch(options.Watch, options.WatchPostgres);

async Task<T> Measured<T>(string phase, Func<Task<T>> run)
{
    var before = cpu.Take();
    var result = await run();
    table.Cpu[phase] = cpu.Between(before, cpu.Take());
    return result;
}

void Progress(string message) => Console.Error.WriteLine($"[benchmark {DateTime.UtcNow:HH:mm:ss}] {message}");

// The first token before anything else: a wrong secret or an Identity service not running fails at once.
AccessTokens? tokens = null;
if (options.Files)
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

await using var renewal = tokens;
try
{
    Progress($"connecting to the broker, queues prefixed '{options.EndpointPrefix}'");
    await host.StartAsync(stop.Token);

    if (options.Phases.Contains("baseline"))
    {
        var baseline = host.Services.GetRequiredService<BrokerBaseline>();
        Progress("(a) bus alone: warming up with 1,000 messages");
        await baseline.FloodAsync(1_000, options.BaselineInFlight, options.DrainTimeout, stop.Token);
        Progress($"(a) bus alone: flooding {options.BaselineMessages:N0} messages");
        table.Baseline = await Measured("a", () => baseline.FloodAsync(options.BaselineMessages, options.BaselineInFlight, options.DrainTimeout, stop.Token));
        Progress($"(a) {table.Baseline.ConsumeRate:N0} msg/s, p99 {table.Baseline.Latency.P99:0.0} ms, lost {table.Baseline.Lost}");
        Progress($"(a) bus alone at {options.Rate} messages/s for 10 s");
        table.BaselineAtRate = await baseline.AtRateAsync(options.Rate, TimeSpan.FromSeconds(10), options.DrainTimeout, stop.Token);
    }

    if (tokens is not null)
    {
        using var filer = new IncidentFiler(options.IncidentsUrls, tokens);
        var phases = new FilingPhases(filer, host.Services.GetRequiredService<IncidentDeliveries>(), options.DrainTimeout);
        if (options.Warmup > TimeSpan.Zero)
        {
            Progress($"warming up (not reported): concurrency {options.Concurrency}, {options.WarmupMinimum.TotalSeconds:0} to {options.Warmup.TotalSeconds:0} s");
            table.WarmUp = await phases.WarmUpAsync(
                options.Concurrency, TimeSpan.FromTicks(Math.Min(options.WarmupMinimum.Ticks, options.Warmup.Ticks)), options.Warmup, Progress, stop.Token);
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

return !table.Correct ? 1 : table.FixedRateTargetMet && table.MaximumRateTargetMet ? 0 : 2;
