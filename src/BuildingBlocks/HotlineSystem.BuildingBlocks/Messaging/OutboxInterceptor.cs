using System.Data.Common;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// Moves the events raised by tracked aggregates into outbox rows inside the same SaveChanges,
/// so a state change and its events commit together or not at all; then wakes the relay, only
/// when outbox rows were written (not after the relay's own commits, or changes without events).
/// </summary>
public sealed class OutboxInterceptor<TContext>(OutboxSignal<TContext> signal, TimeProvider timeProvider)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            EnqueueEvents(context);
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            EnqueueEvents(context);
        }

        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyUnlessInTransaction(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyUnlessInTransaction(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => NotifyIfOutboxWritten(eventData.Context);

    // Contexts are pooled: what a rolled-back transaction staged must not wake the relay for the next user.
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetWritten(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => ForgetWritten(eventData.Context);

    private static void ForgetWritten(DbContext? context)
    {
        if (context is IServiceDbContext written)
        {
            written.Outbox.Written = false;
        }
    }

    // Inside an explicit transaction the rows are not visible yet: TransactionCommitted signals then.
    private void NotifyUnlessInTransaction(DbContext? context)
    {
        if (context is IServiceDbContext { Outbox.Written: true } && context.Database.CurrentTransaction is null)
        {
            NotifyIfOutboxWritten(context);
        }
    }

    private void NotifyIfOutboxWritten(DbContext? context)
    {
        if (context is IServiceDbContext { Outbox.Written: true } written)
        {
            written.Outbox.Written = false;
            signal.Notify();
        }
    }

    private void EnqueueEvents(DbContext context)
    {
        var aggregates = context.ChangeTracker.Entries<IEventSource>().Select(e => e.Entity).Where(a => a.Events.Count > 0).ToList();
        foreach (var aggregate in aggregates)
        {
            foreach (var @event in aggregate.DequeueEvents())
            {
                var occurredAt = @event is HotlineSystem.Contracts.IChannelEvent channelEvent ? channelEvent.OccurredAt : timeProvider.GetUtcNow();
                context.Set<OutboxMessage>().Add(OutboxMessage.For(@event, occurredAt));
                if (context is IServiceDbContext serviceContext)
                {
                    serviceContext.Outbox.Written = true; // cleared when the relay has been woken for it
                }
            }
        }
    }
}

public static class OutboxExtensions
{
    /// <summary>
    /// Stages a message that no aggregate raised (e.g. a consumer's own notice to other replicas) in
    /// the outbox: it commits with the next SaveChanges, or not at all.
    /// </summary>
    public static void AddToOutbox<TContext>(this TContext db, object message, DateTimeOffset now)
        where TContext : DbContext, IServiceDbContext
    {
        db.OutboxMessages.Add(OutboxMessage.For(message, now));
        db.Outbox.Written = true;
    }
}
