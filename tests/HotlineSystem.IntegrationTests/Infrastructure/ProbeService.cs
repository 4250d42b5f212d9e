using System.Collections.Concurrent;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Incidents;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// "Another service": its own process-like host, its own PostgreSQL database and its own queue on
/// the real broker, consuming IncidentReported through the building blocks' inbox. It stands in
/// for the Escalation and Notifications services until they exist, and counts raw deliveries apart
/// from effects, so a test can see a duplicate arrive and have no second effect.
/// </summary>
public sealed class ProbeService : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TestDatabase _database;

    private ProbeService(IHost host, TestDatabase database)
    {
        _host = host;
        _database = database;
    }

    public Deliveries Deliveries => _host.Services.GetRequiredService<Deliveries>();

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>Incidents whose IncidentReported the probe refuses, as a consumer refuses a message that breaks a rule.</summary>
    public PoisonIncidents Poison => _host.Services.GetRequiredService<PoisonIncidents>();

    /// <summary>The probe's queue, named by the bus's own formatter; its error queue is this name + "_error".</summary>
    public string QueueName => _host.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<IncidentReportedProbe>();

    public static async Task<ProbeService> StartAsync(string endpointPrefix)
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("probe");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMQ",
            ["Messaging:EndpointPrefix"] = endpointPrefix,
            ["ConnectionStrings:RabbitMQ"] = TestInfrastructure.RabbitMqUri,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Deliveries>();
        builder.Services.AddSingleton<PoisonIncidents>();
        // Started means bound: a message published right after StartAsync must reach the probe's own queue.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host => host.WaitUntilStarted = true);
        builder.Services.AddDbContext<ProbeDbContext>(db => db.UseNpgsql(database.ConnectionString).UseSnakeCaseNamingConvention());
        builder.Services.AddConsumersFrom(typeof(ProbeService).Assembly, "probe");
        builder.AddServiceBus(bus => bus.AddConsumeObserver<DeliveryObserver>());

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProbeDbContext>();
            await db.Database.GetService<IRelationalDatabaseCreator>().CreateTablesAsync();
        }

        await host.StartAsync();
        return new ProbeService(host, database);
    }

    /// <summary>The effects: one row per IncidentReported handled.</summary>
    public async Task<List<ReceivedIncident>> ReceivedAsync(Guid incidentId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeDbContext>();
        return await db.Received.AsNoTracking().Where(r => r.IncidentId == incidentId).ToListAsync();
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the received rows, or the timeout passes.</summary>
    public async Task<List<ReceivedIncident>> WaitForAsync(Guid incidentId, Func<List<ReceivedIncident>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = await ReceivedAsync(incidentId);
            if (condition(received) || DateTime.UtcNow > deadline)
            {
                return received;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _database.DisposeAsync();
    }
}

public sealed class ProbeDbContext(DbContextOptions<ProbeDbContext> options) : ServiceDbContext(options, "probe")
{
    public DbSet<ReceivedIncident> Received => Set<ReceivedIncident>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ReceivedIncident>().HasKey(r => r.Id);
    }
}

public sealed class ReceivedIncident
{
    public Guid Id { get; set; }

    public Guid MessageId { get; set; }

    public Guid IncidentId { get; set; }

    public string Title { get; set; } = "";
}

public sealed class IncidentReportedProbe(ProbeDbContext db, TimeProvider time, PoisonIncidents poison) : InboxConsumer<IncidentReported, ProbeDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<IncidentReported> context)
    {
        if (poison.Refuses(context.Message.IncidentId))
        {
            throw new InvalidOperationException($"Incident {context.Message.IncidentId} is poison to the probe.");
        }

        Db.Received.Add(new ReceivedIncident
        {
            Id = Guid.NewGuid(),
            MessageId = context.MessageId!.Value,
            IncidentId = context.Message.IncidentId,
            Title = context.Message.Title,
        });
        return Task.CompletedTask;
    }
}

/// <summary>A test's poison messages: never transient, so retries cannot help and the message goes to the error queue.</summary>
public sealed class PoisonIncidents
{
    private readonly ConcurrentDictionary<Guid, int> _incidents = new();
    private readonly ConcurrentDictionary<Guid, int> _refusals = new();

    public void Add(Guid incidentId) => _incidents[incidentId] = 0;

    public void Remove(Guid incidentId) => _incidents.TryRemove(incidentId, out _);

    /// <summary>Whether the probe refuses this incident's message; counts each refusal.</summary>
    public bool Refuses(Guid incidentId)
    {
        if (!_incidents.ContainsKey(incidentId))
        {
            return false;
        }

        _refusals.AddOrUpdate(incidentId, 1, (_, n) => n + 1);
        return true;
    }

    /// <summary>How often the probe's consumer ran on this incident's message and refused it.</summary>
    public int RefusalsOf(Guid incidentId) => _refusals.GetValueOrDefault(incidentId);
}

/// <summary>Every delivery of IncidentReported to the probe, duplicates included.</summary>
public sealed class Deliveries
{
    private readonly ConcurrentQueue<(Guid MessageId, Guid IncidentId)> _deliveries = new();

    public void Record(Guid messageId, Guid incidentId) => _deliveries.Enqueue((messageId, incidentId));

    public int CountFor(Guid incidentId) => _deliveries.Count(d => d.IncidentId == incidentId);
}

public sealed class DeliveryObserver(Deliveries deliveries) : IConsumeObserver
{
    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IncidentReported reported)
        {
            deliveries.Record(context.MessageId ?? Guid.Empty, reported.IncidentId);
        }

        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
