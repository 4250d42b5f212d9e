using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks;

/// <summary>
/// How a background worker (an outbox relay, a timer) meets an outage of the database or the broker:
/// it pauses between tries, doubling from <paramref name="firstPause"/> to <paramref name="maxPause"/>,
/// warns once when the outage begins and says when it works again, and never stops trying.
/// </summary>
public sealed class WorkerOutage(string worker, ILogger logger, TimeProvider time, TimeSpan firstPause, TimeSpan maxPause)
{
    private DateTimeOffset? _since;
    private TimeSpan _pause = TimeSpan.Zero;

    /// <summary>Records a failed round; returns how long to pause before the next.</summary>
    public TimeSpan Failed(Exception? exception, string what)
    {
        _pause = _pause == TimeSpan.Zero ? firstPause : TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, maxPause.Ticks));
        if (_since is null)
        {
            _since = time.GetUtcNow();
            logger.LogWarning(exception, "{Worker}: {What}; trying again until it works", worker, what);
        }
        else
        {
            logger.LogDebug("{Worker}: {What}, still ({Fault}); next try in {Pause}", worker, what, exception?.Message, _pause);
        }

        return _pause;
    }

    /// <summary>Records a round that worked: the outage, if there was one, is over.</summary>
    public void Succeeded()
    {
        if (_since is { } since)
        {
            logger.LogInformation("{Worker} works again after {Outage}", worker, time.GetUtcNow() - since);
        }

        _since = null;
        _pause = TimeSpan.Zero;
    }
}
