using System.Reflection;
using System.Runtime.ExceptionServices;
using HotlineSystem.BuildingBlocks.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// The batch form of <see cref="InboxConsumer{TMessage,TContext}"/>: MassTransit hands over the
/// messages that queued up while the previous batch was being handled (one at a time per replica),
/// and their effects commit in one transaction together with their inbox rows. Under load that is
/// one transaction, one set of row locks and one outbox row for many messages instead of one each;
/// when the queue is empty a message waits at most <see cref="InboxBatchConsumerDefinition{TConsumer}.TimeLimit"/>.
/// A message already in the inbox is skipped. If the batch fails, each of its messages is tried
/// alone, so one that cannot be handled does not hold back the others. Derived consumers stage their changes on <see cref="Db"/> and must not call SaveChanges.
/// </summary>
public abstract class InboxBatchConsumer<TMessage, TContext>(TContext db, TimeProvider timeProvider) : IConsumer<Batch<TMessage>>
    where TMessage : class
    where TContext : DbContext, IServiceDbContext
{
    protected TContext Db => db;

    protected TimeProvider Time => timeProvider;

    /// <summary>The name this consumer's handled messages are recorded under; stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<Batch<TMessage>> context)
    {
        var batch = context.Message.ToList();
        if (batch.Count == 1)
        {
            await HandleOnceAsync(batch, context.CancellationToken);
            return;
        }

        try
        {
            await HandleOnceAsync(batch, context.CancellationToken);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            // One message must not hold back the others: MassTransit retries and faults a batch as a
            // whole, so each message is tried on its own, in order. What fails alone fails the batch:
            // an outage or a race first, so the batch is tried again (OutageRetryPolicy) rather than
            // faulted to the _error queue with the others (which the inbox would then skip on replay).
            db.ChangeTracker.Clear();
            ExceptionDispatchInfo? failure = null;
            foreach (var message in batch)
            {
                try
                {
                    await HandleOnceAsync([message], context.CancellationToken);
                }
                catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
                {
                    db.ChangeTracker.Clear();
                    if (failure is null || (Retryable(exception) && !Retryable(failure.SourceException)))
                    {
                        failure = ExceptionDispatchInfo.Capture(exception);
                    }
                }
            }

            failure?.Throw();
        }

        static bool Retryable(Exception exception) => TransientFaults.IsTransient(exception) || TransientFaults.IsRace(exception);
    }

    private async Task HandleOnceAsync(IReadOnlyList<ConsumeContext<TMessage>> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Select(m => m.MessageId
                ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; it cannot be de-duplicated."))
            .Distinct()
            .ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var handled = await db.InboxMessages
            .Where(m => m.Consumer == ConsumerName && ids.Contains(m.MessageId))
            .Select(m => m.MessageId)
            .ToListAsync(cancellationToken);
        var fresh = batch.Where(m => !handled.Contains(m.MessageId!.Value)).DistinctBy(m => m.MessageId).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        await HandleAsync(fresh, cancellationToken);
        var now = timeProvider.GetUtcNow();
        db.InboxMessages.AddRange(fresh.Select(m => new InboxMessage(m.MessageId!.Value, ConsumerName, now)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            // Other deliveries of these messages committed first: if they took every one, nothing is left to do.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var freshIds = fresh.Select(m => m.MessageId!.Value).ToList();
            var taken = await db.InboxMessages.CountAsync(m => m.Consumer == ConsumerName && freshIds.Contains(m.MessageId), cancellationToken);
            if (taken == freshIds.Count)
            {
                return;
            }

            throw;
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stages the effects of the batch's new messages, in the order they were queued.</summary>
    protected abstract Task HandleAsync(IReadOnlyList<ConsumeContext<TMessage>> messages, CancellationToken cancellationToken);
}

/// <summary>
/// How every <see cref="InboxBatchConsumer{TMessage,TContext}"/> batches (applied by
/// <see cref="BusSetup.AddServiceBus"/>): one batch at a time per replica, so that batches of one
/// replica never wait on each other's locks, of at most <see cref="MessageLimit"/> messages.
/// </summary>
public sealed class InboxBatchConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const int MessageLimit = 50;

    /// <summary>
    /// How long the first message of a batch waits for others unless the consumer says otherwise
    /// (<see cref="BatchWindowAttribute"/>); the latency a lone message pays.
    /// </summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(5);

    /// <summary>This consumer's batch window.</summary>
    public static TimeSpan Window => typeof(TConsumer).GetCustomAttribute<BatchWindowAttribute>()?.Window ?? TimeLimit;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(batch => batch.SetMessageLimit(MessageLimit).SetTimeLimit(Window).SetConcurrencyLimit(1));
}

/// <summary>
/// A batch window longer than the default, for a consumer that is on nobody's clock: the longer the
/// first message waits, the more arrive with it, and a batch costs about one transaction however many
/// it holds. Under steady load the window, not a backlog, is what makes the batches.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class BatchWindowAttribute(int milliseconds) : Attribute
{
    public TimeSpan Window { get; } = TimeSpan.FromMilliseconds(milliseconds);
}
