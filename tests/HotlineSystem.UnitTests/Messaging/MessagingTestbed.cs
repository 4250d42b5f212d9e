using System.Collections.Concurrent;
using System.Data.Common;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>
/// A small aggregate for the building blocks' tests: a shipment held at customs, unique by its reference.
/// Its table, "shipments", sorts after "outbox_messages", so EF Core sends the outbox insert first and
/// a unique violation on a shipment comes after it: a test then sees a rollback, not an early stop.
/// </summary>
public sealed class Shipment : AggregateRoot
{
    private Shipment()
    {
    }

    public Guid Id { get; private set; }

    public string Reference { get; private set; } = "";

    public bool Released { get; private set; }

    public static Shipment Hold(string reference, DateTimeOffset now)
    {
        var shipment = new Shipment { Id = Guid.NewGuid(), Reference = reference };
        shipment.Raise(new IncidentReported(shipment.Id, 1, "KR-CN", Visibility.Shared, "KR", "kr-officer-1", now, "KR",
            "customs-hold", Severity.Sev2, $"Shipment {reference} held at customs", ["Nd", "Pr"], ["2805301000"], ["permanent-magnets"]));
        return shipment;
    }

    public void Release(DateTimeOffset now)
    {
        Released = true;
        Raise(new IncidentStatusChanged(Id, 2, "KR-CN", Visibility.Shared, "CN", "cn-officer-1", now,
            IncidentStatus.Acknowledged, IncidentStatus.Resolved, "Released by customs."));
    }
}

/// <summary>What a consumer did: one row per message handled.</summary>
public sealed class Effect
{
    public Guid Id { get; set; }

    public Guid MessageId { get; set; }

    public Guid IncidentId { get; set; }
}

public sealed class MessagingTestDbContext(DbContextOptions<MessagingTestDbContext> options) : ServiceDbContext(options, "messaging_test")
{
    public DbSet<Shipment> Shipments => Set<Shipment>();

    public DbSet<Effect> Effects => Set<Effect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Shipment>(shipment =>
        {
            shipment.HasKey(c => c.Id);
            shipment.HasIndex(c => c.Reference).IsUnique();
            shipment.Ignore(c => c.Events);
        });
        modelBuilder.Entity<Effect>().HasKey(e => e.Id);
    }
}

/// <summary>Records IncidentReported through the building blocks' inbox.</summary>
public sealed class HeldShipmentRecorder(MessagingTestDbContext db, TimeProvider time)
    : InboxConsumer<IncidentReported, MessagingTestDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<IncidentReported> context)
    {
        Db.Effects.Add(new Effect { Id = Guid.NewGuid(), MessageId = context.MessageId!.Value, IncidentId = context.Message.IncidentId });
        return Task.CompletedTask;
    }
}

/// <summary>The SQL text of every command sent to the database, in order.</summary>
public sealed class CommandLog : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();

    public IReadOnlyList<string> Commands => _commands.ToList();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(command.CommandText);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(command.CommandText);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }
}

/// <summary>
/// How many transactions have committed on the test's one connection: a test that runs the relay in
/// the background waits for the relay's commit before it writes, since SQLite allows one transaction
/// per connection.
/// </summary>
public sealed class TransactionLog : DbTransactionInterceptor
{
    private int _committed;

    public int Committed => Volatile.Read(ref _committed);

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Interlocked.Increment(ref _committed);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _committed);
        return Task.CompletedTask;
    }
}

/// <summary>Every message the bus published successfully, with its MessageId, duplicates included (the harness lists each MessageId once).</summary>
public sealed class PublishLog : IPublishObserver
{
    private readonly ConcurrentQueue<(Guid? MessageId, object Message)> _published = new();

    public IReadOnlyList<(Guid? MessageId, object Message)> Published => _published.ToList();

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        _published.Enqueue((context.MessageId, context.Message));
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

/// <summary>Every delivery to a consumer, duplicates included, and whether it faulted.</summary>
public sealed class DeliveryLog : IConsumeObserver
{
    private readonly ConcurrentQueue<(Guid? MessageId, Exception? Fault)> _deliveries = new();
    private readonly SemaphoreSlim _delivered = new(0);

    public IReadOnlyList<(Guid? MessageId, Exception? Fault)> Deliveries => _deliveries.ToList();

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Record(context.MessageId, null);

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Record(context.MessageId, exception);

    /// <summary>Waits for the next delivery to finish; fails the test if none comes within ten seconds.</summary>
    public async Task NextAsync()
    {
        Assert.True(await _delivered.WaitAsync(TimeSpan.FromSeconds(10)), "No delivery within ten seconds.");
    }

    private Task Record(Guid? messageId, Exception? fault)
    {
        _deliveries.Enqueue((messageId, fault));
        _delivered.Release();
        return Task.CompletedTask;
    }
}

/// <summary>
/// One test's world: one open in-memory SQLite connection (the database lives as long as it does),
/// the test DbContext with the outbox interceptor as the services wire it, a fake clock, the outbox
/// relay, and MassTransit's in-memory test harness as the bus.
/// </summary>
public sealed class MessagingTestbed : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 15, 3, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection;
    private readonly ServiceProvider _services;
    private bool _started;

    private MessagingTestbed(SqliteConnection connection, ServiceProvider services, FakeTimeProvider time)
    {
        _connection = connection;
        _services = services;
        Time = time;
    }

    public FakeTimeProvider Time { get; }

    public PublishLog Publishes { get; } = new();

    public DeliveryLog Deliveries { get; } = new();

    public CommandLog CommandLog => _services.GetRequiredService<CommandLog>();

    public TransactionLog Transactions => _services.GetRequiredService<TransactionLog>();

    public IServiceScopeFactory Scopes => _services.GetRequiredService<IServiceScopeFactory>();

    public ITestHarness Harness => _services.GetRequiredService<ITestHarness>();

    public OutboxRelay<MessagingTestDbContext> Relay => _services.GetRequiredService<OutboxRelay<MessagingTestDbContext>>();

    public OutboxSignal<MessagingTestDbContext> Signal => _services.GetRequiredService<OutboxSignal<MessagingTestDbContext>>();

    /// <param name="configureBus">Consumers to add and, if needed, the in-memory transport's configuration.</param>
    /// <param name="startBus">The interceptor's tests need no bus.</param>
    public static async Task<MessagingTestbed> CreateAsync(
        Action<IBusRegistrationConfigurator>? configureBus = null, bool startBus = true, Action<OutboxOptions>? configureOutbox = null)
    {
        var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        var time = new FakeTimeProvider(Start);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<OutboxSignal<MessagingTestDbContext>>();
        services.AddSingleton<OutboxInterceptor<MessagingTestDbContext>>();
        services.AddSingleton<CommandLog>();
        services.AddSingleton<TransactionLog>();
        services.AddDbContext<MessagingTestDbContext>((sp, db) => db
            .UseSqlite(connection)
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(sp.GetRequiredService<OutboxInterceptor<MessagingTestDbContext>>(), sp.GetRequiredService<CommandLog>(),
                sp.GetRequiredService<TransactionLog>()));
        services.AddOptions<OutboxOptions>().Configure(options => configureOutbox?.Invoke(options));
        services.AddSingleton<OutboxRelay<MessagingTestDbContext>>();
        services.AddMassTransitTestHarness(bus => configureBus?.Invoke(bus));

        var provider = services.BuildServiceProvider(validateScopes: true);
        var testbed = new MessagingTestbed(connection, provider, time);
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>().Database.EnsureCreatedAsync();
        }

        // Creating the schema commits a transaction, which signals; a test starts with the relay asleep.
        await testbed.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None);

        if (startBus)
        {
            await testbed.Harness.Start();
            testbed._started = true;
            testbed.Harness.Bus.ConnectPublishObserver(testbed.Publishes);
            testbed.Harness.Bus.ConnectConsumeObserver(testbed.Deliveries);
        }

        return testbed;
    }

    /// <summary>A DbContext of its own, as a request or a consumer would have.</summary>
    public async Task<T> WithDbAsync<T>(Func<MessagingTestDbContext, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>());
    }

    public Task WithDbAsync(Func<MessagingTestDbContext, Task> work) => WithDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    /// <summary>Holds a shipment (its IncidentReported goes to the outbox) and moves the clock on a second.</summary>
    public async Task<Shipment> HoldAsync(string reference)
    {
        var shipment = Shipment.Hold(reference, Time.GetUtcNow());
        await WithDbAsync(async db =>
        {
            db.Shipments.Add(shipment);
            await db.SaveChangesAsync();
        });
        Time.Advance(TimeSpan.FromSeconds(1));
        return shipment;
    }

    public Task<List<OutboxMessage>> OutboxAsync() =>
        WithDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Harness.Stop();
        }

        await _services.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
