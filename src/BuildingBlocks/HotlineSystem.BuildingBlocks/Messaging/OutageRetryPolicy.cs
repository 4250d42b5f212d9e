using MassTransit;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// How a consumer meets a failure (docs/adr/0008):
/// - an outage (<see cref="TransientFaults.IsTransient"/>): the message is kept where it is and tried
///   again, with back-off up to <see cref="MessagingOptions.OutageRetryMaxDelay"/>, for as long as the
///   outage lasts: never to the error queue, and the queue behind it keeps its order;
/// - a race (<see cref="TransientFaults.IsRace"/>): tried again a few times at once, which settles it;
/// - anything else (a rule, a defect, a message that cannot be read): no retry, so it reaches the
///   error queue on its first failure and does not hold the queue up.
/// While a message waits out an outage its consumer counts as paused in <see cref="ConsumerOutages"/>.
/// </summary>
public sealed class OutageRetryPolicy(ConsumerOutages outages, TimeProvider time, TimeSpan maxDelay, ILogger logger) : IRetryPolicy
{
    /// <summary>A race that has not settled after this many tries is a defect, not a race.</summary>
    public const int RaceRetryLimit = 10;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);

    internal ConsumerOutages Outages => outages;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    public void Probe(ProbeContext context) => context.Set(new { Policy = "Outage", MaxDelay = maxDelay, RaceRetryLimit });

    public RetryPolicyContext<T> CreatePolicyContext<T>(T context) where T : class, PipeContext => new OutagePolicyContext<T>(this, context);

    public bool IsHandled(Exception exception) => TransientFaults.IsTransient(exception) || TransientFaults.IsRace(exception);

    /// <summary>Whether another attempt follows the <paramref name="retryAttempt"/>-th failure.</summary>
    public static bool CanRetry(Exception exception, int retryAttempt) =>
        TransientFaults.IsTransient(exception) || (TransientFaults.IsRace(exception) && retryAttempt <= RaceRetryLimit);

    /// <summary>The wait before the next attempt: doubling from 200 ms up to the maximum for an outage, short and spread for a race.</summary>
    public TimeSpan Delay(Exception exception, int retryCount)
    {
        if (!TransientFaults.IsTransient(exception))
        {
            return TimeSpan.FromMilliseconds(Random.Shared.Next(10, 100));
        }

        var doubled = FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retryCount, 20));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(doubled, maxDelay.TotalMilliseconds) * jitter);
    }
}

internal sealed class OutagePolicyContext<TContext>(OutageRetryPolicy policy, TContext context) : RetryPolicyContext<TContext>
    where TContext : class, PipeContext
{
    private readonly CancellationTokenSource _cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
    private bool _waiting;

    public TContext Context => context;

    public bool CanRetry(Exception exception, out RetryContext<TContext> retryContext)
    {
        retryContext = new OutageRetryContext<TContext>(policy, this, context, exception, 0, _cancellation.Token);
        var canRetry = OutageRetryPolicy.CanRetry(exception, retryAttempt: 1) && !_cancellation.IsCancellationRequested;
        if (canRetry)
        {
            Waiting(exception);
        }

        return canRetry;
    }

    /// <summary>Marks the consumer paused (once per message) while the message waits out an outage.</summary>
    internal void Waiting(Exception exception)
    {
        if (_waiting || !TransientFaults.IsTransient(exception))
        {
            return;
        }

        _waiting = true;
        var queue = (context as ConsumeContext)?.ReceiveContext.InputAddress?.AbsolutePath.Trim('/') ?? typeof(TContext).Name;
        policy.Outages.Paused(this, queue, exception, policy.Time.GetUtcNow());
        policy.Logger.LogWarning("Consumer of {Queue} waits out an outage ({Fault}: {Message}); message {MessageId} is kept and tried again",
            queue, exception.GetType().Name, exception.Message, (context as ConsumeContext)?.MessageId);
    }

    public Task RetryFaulted(Exception exception) => Task.CompletedTask;

    public void Cancel() => _cancellation.Cancel();

    public void Dispose()
    {
        // Handled, faulted or abandoned (the endpoint stopped): either way this message no longer waits.
        if (_waiting)
        {
            policy.Outages.Resumed(this);
        }

        _cancellation.Dispose();
    }
}

internal sealed class OutageRetryContext<TContext>(
    OutageRetryPolicy policy,
    OutagePolicyContext<TContext> policyContext,
    TContext context,
    Exception exception,
    int retryCount,
    CancellationToken cancellationToken) : RetryContext<TContext>
    where TContext : class, PipeContext
{
    public TContext Context => context;

    public CancellationToken CancellationToken => cancellationToken;

    public Exception Exception => exception;

    public int RetryAttempt => retryCount + 1;

    public int RetryCount => retryCount;

    public TimeSpan? Delay => policy.Delay(exception, retryCount);

    public Type ContextType => typeof(TContext);

    public Task PreRetry() => Task.CompletedTask;

    public Task RetryFaulted(Exception fault) => Task.CompletedTask;

    public bool CanRetry(Exception fault, out RetryContext<TContext> retryContext)
    {
        retryContext = new OutageRetryContext<TContext>(policy, policyContext, context, fault, retryCount + 1, cancellationToken);
        var canRetry = OutageRetryPolicy.CanRetry(fault, RetryAttempt + 1) && !cancellationToken.IsCancellationRequested;
        if (canRetry)
        {
            policyContext.Waiting(fault);
        }

        return canRetry;
    }
}
