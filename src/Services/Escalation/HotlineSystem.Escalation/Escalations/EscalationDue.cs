using HotlineSystem.BuildingBlocks.Timers;

namespace HotlineSystem.Escalation.Escalations;

/// <summary>
/// An escalation whose deadline came (the building blocks' durable timer finds it): the next tier
/// fires, reaching whoever is on duty for it now, or an unconfirmed acknowledgement reverts.
/// </summary>
public sealed class EscalationDue(RecipientResolver recipients) : IDueHandler<Escalation>
{
    /// <summary>Configuration of the escalation timer (<see cref="DueTimerOptions"/>).</summary>
    public const string Section = "Escalation:Timer";

    public async Task OnDueAsync(IReadOnlyList<Escalation> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var escalation in due)
        {
            var tierRecipients = escalation.State == EscalationState.Running
                ? await recipients.ResolveAsync(escalation.CurrentTier, now, cancellationToken)
                : [];
            escalation.OnDue(tierRecipients, now);
        }
    }
}
