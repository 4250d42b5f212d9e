using HotlineSystem.BuildingBlocks.Timers;

namespace HotlineSystem.Committee.ActionItems;

/// <summary>Action items whose reminder or due time came (the building blocks' durable timer finds them).</summary>
public sealed class ActionItemTimer : IDueHandler<ActionItem>
{
    /// <summary>Configuration of the action items' timer (<see cref="DueTimerOptions"/>).</summary>
    public const string Section = "Committee:Timer";

    public Task OnDueAsync(IReadOnlyList<ActionItem> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var item in due)
        {
            item.OnDue(now);
        }

        return Task.CompletedTask;
    }
}
