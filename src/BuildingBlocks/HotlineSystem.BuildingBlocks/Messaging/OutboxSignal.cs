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
        // Already signalled: the relay will read every pending row anyway. Checked first because
        // under load most commits land while a wake-up is pending, and an exception each is costly.
        if (_semaphore.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another commit signalled between the check and the release.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);
}
