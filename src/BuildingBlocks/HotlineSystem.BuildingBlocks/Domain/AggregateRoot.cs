namespace HotlineSystem.BuildingBlocks.Domain;

/// <summary>
/// An aggregate records the events its behaviour raises; the outbox interceptor moves them into
/// the outbox table in the same SaveChanges (one transaction) as the state change.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<object> _events = [];

    public IReadOnlyList<object> Events => _events;

    protected void Raise(object @event) => _events.Add(@event);

    internal List<object> DequeueEvents()
    {
        var events = _events.ToList();
        _events.Clear();
        return events;
    }
}
