namespace HotlineSystem.BuildingBlocks.Domain;

/// <summary>
/// An entity that records the events its behaviour raises; the outbox interceptor moves them into
/// the outbox table in the same SaveChanges (one transaction) as the state change.
/// </summary>
public interface IEventSource
{
    IReadOnlyList<object> Events { get; }

    /// <summary>Hands the raised events over (to the outbox) and forgets them.</summary>
    IReadOnlyList<object> DequeueEvents();
}

/// <summary>The usual base of an aggregate; an entity that must derive from another base implements <see cref="IEventSource"/>.</summary>
public abstract class AggregateRoot : IEventSource
{
    private readonly List<object> _events = [];

    public IReadOnlyList<object> Events => _events;

    protected void Raise(object @event) => _events.Add(@event);

    IReadOnlyList<object> IEventSource.DequeueEvents()
    {
        var events = _events.ToList();
        _events.Clear();
        return events;
    }
}
