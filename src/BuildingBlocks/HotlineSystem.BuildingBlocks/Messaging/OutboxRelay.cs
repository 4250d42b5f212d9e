using System.Diagnostics;
using HotlineSystem.BuildingBlocks.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>The "Outbox" configuration section.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    public int BatchSize { get; set; } = 200;

    /// <summary>How often to look for rows that no signal announced (another replica's, or left by a crash).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the relay waits after a commit woke it before it reads, so that the commits of that
    /// moment go out as one batch: under load one transaction for many rows instead of one each, so
    /// that the batches come from the wait rather than from a backlog. Zero: at once.
    /// </summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long one publish may wait for the broker's confirmation before the batch is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long sent outbox rows are kept (for investigation) before they are deleted.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a consumer remembers a handled message id. A redelivery later than this would be
    /// handled again, so keep it far above any broker or relay retry horizon.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

public static class OutboxTelemetry
{
    /// <summary>The activity source of the relay; its publish spans continue the trace of the request that wrote the row.</summary>
    public const string ActivitySourceName = "HotlineSystem.Outbox";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}

/// <summary>
/// Publishes committed outbox rows and marks them sent. Delivery is at least once: a crash between
/// the broker's confirmation and the mark publishes the row again with the same MessageId, which
/// the consumers' inbox discards. On PostgreSQL, rows are claimed with FOR UPDATE SKIP LOCKED so
/// any number of replicas can relay side by side without publishing a row twice in the normal case.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal<TContext> signal,
    IOptions<OutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext, IServiceDbContext
{
    private readonly OutboxOptions _options = options.Value;
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // An outage of the database or the broker is waited out (pauses up to MaxBackoff, one
        // warning); the rows wait in the outbox and go out once it ends.
        var outage = new WorkerOutage($"Outbox of {typeof(TContext).Name}", logger, timeProvider, TimeSpan.FromMilliseconds(100), _options.MaxBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                await CleanUpWhenDueAsync(stoppingToken);
                var (published, failed) = await RelayBatchAsync(stoppingToken);
                if (failed == 0)
                {
                    outage.Succeeded();
                    if (published < _options.BatchSize
                        && await signal.WaitAsync(_options.PollInterval, stoppingToken)
                        && _options.BatchDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(_options.BatchDelay, timeProvider, stoppingToken);
                    }

                    continue;
                }

                pause = outage.Failed(null, $"{failed} messages not published yet");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                pause = outage.Failed(exception, "the relay failed");
            }

            await Task.Delay(pause, timeProvider, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Publishes one batch of pending rows; returns how many were published and how many failed.</summary>
    public async Task<(int Published, int Failed)> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // The batch is all or nothing: a savepoint around the marks would only cost two round trips.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var pending = await ClaimPending(db).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return (0, 0);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        var publishes = pending.Select(message => PublishAsync(message, timeout.Token)).ToList();
        await Task.WhenAll(publishes.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));

        var now = timeProvider.GetUtcNow();
        var failed = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            if (publishes[i].IsCompletedSuccessfully)
            {
                pending[i].MarkSent(now);
            }
            else
            {
                failed++;
                pending[i].MarkFailed(publishes[i].Exception?.GetBaseException().Message ?? "publish timed out");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (pending.Count - failed, failed);
    }

    private IQueryable<OutboxMessage> ClaimPending(TContext db)
    {
        if (!db.Database.IsNpgsql())
        {
            // Embedded mode: one process, one relay per context; no row locking needed.
            return db.OutboxMessages.Where(m => m.SentAt == null).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Take(_options.BatchSize);
        }

        var entity = db.Model.FindEntityType(typeof(OutboxMessage))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => entity.FindProperty(property)!.GetColumnName(table)!;
        var sql =
            $"""
             SELECT * FROM "{entity.GetSchema()}"."{entity.GetTableName()}"
             WHERE "{Column(nameof(OutboxMessage.SentAt))}" IS NULL
             ORDER BY "{Column(nameof(OutboxMessage.CreatedAt))}", "{Column(nameof(OutboxMessage.Id))}"
             LIMIT {_options.BatchSize}
             FOR UPDATE SKIP LOCKED
             """;
        return db.OutboxMessages.FromSqlRaw(sql);
    }

    private async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var activity = OutboxTelemetry.Source.StartActivity("outbox relay " + message.MessageType, ActivityKind.Producer, message.TraceParent);
        var type = MessageSerialization.ResolveType(message.MessageType);
        var body = MessageSerialization.Deserialize(message.Body, type);
        await bus.Publish(body, type, Pipe.Execute<PublishContext>(context => context.MessageId = message.Id), cancellationToken);
    }

    /// <summary>Deletes sent outbox rows and remembered inbox ids once they are past their retention.</summary>
    private async Task CleanUpWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now + _options.CleanupInterval;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var sentBefore = now - _options.SentRetention;
        var handledBefore = now - _options.InboxRetention;
        var sent = await db.OutboxMessages.Where(m => m.SentAt != null && m.SentAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        var handled = await db.InboxMessages.Where(m => m.ProcessedAt < handledBefore).ExecuteDeleteAsync(cancellationToken);
        if (sent + handled > 0)
        {
            logger.LogInformation("Outbox of {Context}: deleted {Sent} sent rows and {Handled} inbox ids past retention", typeof(TContext).Name, sent, handled);
        }
    }
}
