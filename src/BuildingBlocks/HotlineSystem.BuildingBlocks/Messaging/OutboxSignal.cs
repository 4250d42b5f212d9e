namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// Wakes the outbox relay as soon as a transaction with new outbox rows has committed, so an
/// event does not wait for the next poll. Polling remains the safety net (other replicas, restarts).
/// </summary>
public sealed class OutboxSignal<TContext>
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the relay will read every pending row anyway.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);
}
