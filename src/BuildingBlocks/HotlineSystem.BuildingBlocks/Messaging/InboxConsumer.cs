using HotlineSystem.BuildingBlocks.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// A consumer whose effect happens once per message, however often the broker delivers it: the
/// message id is recorded in the inbox in the same SaveChanges (one transaction) as the effect,
/// and a message already in the inbox is acknowledged without effect. Two deliveries racing each
/// other collide on the inbox key; the loser's transaction rolls back and its retry finds the row.
/// Derived consumers stage their changes on <see cref="Db"/> and must not call SaveChanges.
/// </summary>
public abstract class InboxConsumer<TMessage, TContext>(TContext db, TimeProvider timeProvider) : IConsumer<TMessage>
    where TMessage : class
    where TContext : DbContext, IServiceDbContext
{
    protected TContext Db => db;

    protected TimeProvider Time => timeProvider;

    /// <summary>The name this consumer's handled messages are recorded under; stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    /// <summary>
    /// Whether the handler needs one explicit transaction around its reads and the save, e.g. because
    /// it locks rows (SELECT ... FOR UPDATE) that must stay locked until its effect commits.
    /// </summary>
    protected virtual bool NeedsTransaction => false;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TMessage).Name} arrived without a MessageId; it cannot be de-duplicated.");

        await using var transaction = NeedsTransaction ? await db.Database.BeginTransactionAsync(context.CancellationToken) : null;
        var alreadyHandled = await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == ConsumerName, context.CancellationToken);
        if (alreadyHandled)
        {
            return;
        }

        await HandleAsync(context);
        db.InboxMessages.Add(new InboxMessage(messageId, ConsumerName, timeProvider.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Another delivery of this message committed first (its inbox row collided with ours): the
            // effect is there once, so this one is done too; a retry would only find the row.
            if (transaction is not null)
            {
                await transaction.RollbackAsync(context.CancellationToken);
            }

            db.ChangeTracker.Clear();
            if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == ConsumerName, context.CancellationToken))
            {
                return;
            }

            throw;
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(context.CancellationToken);
        }
    }

    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);
}
