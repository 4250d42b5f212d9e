using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Policies;

namespace HotlineSystem.Escalation.Escalations;

public enum EscalationState
{
    /// <summary>Waiting for acknowledgement; <see cref="Escalation.DueAt"/> is when the next tier fires.</summary>
    Running = 1,

    /// <summary>Acknowledged, the policy wants it confirmed; <see cref="Escalation.DueAt"/> is when it reverts unconfirmed.</summary>
    AwaitingConfirmation = 2,

    Stopped = 3,
}

/// <summary>
/// The "hotline call" of one incident: the policy frozen when it started, the next tier and when it
/// is due (stored, never only in memory), and what stopped it. Every change bumps Version, the
/// database's concurrency token, so a tier and an acknowledgement racing each other cannot both win:
/// a tier that loses is never published.
/// </summary>
public sealed class Escalation : AggregateRoot
{
    private Escalation()
    {
    }

    public Guid IncidentId { get; private set; }

    public string Channel { get; private set; } = "";

    public string OwnerParty { get; private set; } = "";

    public string CounterpartParty { get; private set; } = "";

    public Severity Severity { get; private set; }

    public PolicySnapshot Policy { get; private set; } = null!;

    public EscalationState State { get; private set; }

    /// <summary>The index of the tier that fires next.</summary>
    public int NextTier { get; private set; }

    /// <summary>How many times the last tier has been repeated.</summary>
    public int Repeats { get; private set; }

    /// <summary>When the next tier fires (Running) or the acknowledgement reverts (AwaitingConfirmation); null once stopped.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public DateTimeOffset? StoppedAt { get; private set; }

    public EscalationStopReason? StopReason { get; private set; }

    public int TiersFired { get; private set; }

    /// <summary>Every tier that fired, in order, with the visibility it fired with: what each party may be shown.</summary>
    public List<FiredTier> Fired { get; private set; } = [];

    public int Version { get; private set; }

    public static Escalation Start(Guid incidentId, string channel, string ownerParty, string counterpartParty, PolicySnapshot policy, DateTimeOffset reportedAt)
    {
        if (policy.Tiers.Count == 0)
        {
            throw new ArgumentException("A policy without tiers cannot escalate.", nameof(policy));
        }

        var escalation = new Escalation
        {
            IncidentId = incidentId,
            Channel = channel,
            OwnerParty = ownerParty,
            CounterpartParty = counterpartParty,
            Severity = policy.Severity,
            Policy = policy,
            State = EscalationState.Running,
            StartedAt = reportedAt,
            DueAt = reportedAt + policy.Tiers[0].Wait,
            Version = 1,
        };
        escalation.Raise(new EscalationStarted(incidentId, 1, channel, Visibility.Shared, ownerParty, reportedAt, ownerParty,
            policy.PolicyId, policy.PolicyVersion, policy.Severity, escalation.DueAt.Value));
        return escalation;
    }

    public bool IsDue(DateTimeOffset now) => State != EscalationState.Stopped && DueAt <= now;

    /// <summary>The tier that fires next, for resolving its recipients.</summary>
    public EscalationTier CurrentTier => Policy.Tiers[NextTier];

    /// <summary>The timer: fires the due tier, or reverts an acknowledgement not confirmed in time.</summary>
    public void OnDue(IReadOnlyList<EscalationRecipient> recipients, DateTimeOffset now)
    {
        if (!IsDue(now))
        {
            throw new InvalidOperationException($"Escalation {IncidentId} is not due at {now:O}.");
        }

        if (State == EscalationState.AwaitingConfirmation)
        {
            State = EscalationState.Running;
            AcknowledgedAt = null;
            DueAt = now; // the counterpart did not stand by its acknowledgement: the next tier fires now
            Version++;
            Raise(new EscalationAcknowledgementReverted(IncidentId, Version, Channel, Visibility.Shared, OwnerParty, now, now));
            return;
        }

        Fire(recipients, DueAt!.Value, manual: false, reason: null, actingUser: null, now);
    }

    /// <summary>A person escalates to the next tier at once, with a reason (either party of the channel).</summary>
    public void EscalateNow(IReadOnlyList<EscalationRecipient> recipients, string reason, string actingUser, string actingParty, DateTimeOffset now)
    {
        if (State != EscalationState.Running)
        {
            throw RuleViolation.Conflict("escalation-not-running", $"This escalation is {State}: there is no next tier to escalate to.");
        }

        Fire(recipients, now, manual: true, reason, actingUser, now, actingParty);
    }

    /// <summary>The counterpart acknowledged: escalation stops at once, or waits for confirmation if the policy asks for it.</summary>
    public void Acknowledge(DateTimeOffset acknowledgedAt, DateTimeOffset now)
    {
        if (State != EscalationState.Running)
        {
            return;
        }

        AcknowledgedAt = acknowledgedAt;
        if (Policy.ConfirmationWindow is { } window)
        {
            State = EscalationState.AwaitingConfirmation;
            DueAt = acknowledgedAt + window;
            Version++;
            return;
        }

        Stop(EscalationStopReason.Acknowledged, now);
    }

    public void Confirm(DateTimeOffset now)
    {
        if (State != EscalationState.AwaitingConfirmation)
        {
            throw RuleViolation.Conflict("nothing-to-confirm", $"This escalation is {State}: there is no acknowledgement awaiting confirmation.");
        }

        if (DueAt <= now)
        {
            throw RuleViolation.Conflict("confirmation-too-late", "The time to confirm this acknowledgement has passed: it reverts and escalation resumes.");
        }

        Stop(EscalationStopReason.Confirmed, now);
    }

    /// <summary>
    /// Severity changed. Raised: the stricter policy applies and the deadline restarts from its first
    /// tier. Lowered: the gentler policy applies from now, at the same step. No policy for the new
    /// severity: nothing more to escalate.
    /// </summary>
    public void ChangeSeverity(Severity severity, PolicySnapshot? policy, DateTimeOffset now)
    {
        var raised = severity < Severity; // Sev1 is the strictest
        Severity = severity;
        if (State == EscalationState.AwaitingConfirmation && policy is { Tiers.Count: > 0 })
        {
            // Should the acknowledgement revert, the escalation resumes under the new severity's policy.
            Policy = policy;
            NextTier = raised ? 0 : Math.Min(NextTier, policy.Tiers.Count - 1);
            Repeats = raised ? 0 : Math.Min(Repeats, policy.RepeatLastTier);
        }

        if (State != EscalationState.Running)
        {
            Version++;
            return;
        }

        if (policy is null || policy.Tiers.Count == 0)
        {
            Stop(EscalationStopReason.NoPolicyForSeverity, now);
            return;
        }

        Policy = policy;
        if (raised)
        {
            (NextTier, Repeats) = (0, 0);
        }
        else
        {
            NextTier = Math.Min(NextTier, policy.Tiers.Count - 1);
            Repeats = Math.Min(Repeats, policy.RepeatLastTier);
        }

        DueAt = now + CurrentTier.Wait;
        Version++;
    }

    public void Stop(EscalationStopReason reason, DateTimeOffset now)
    {
        if (State == EscalationState.Stopped)
        {
            return;
        }

        State = EscalationState.Stopped;
        DueAt = null;
        StoppedAt = now;
        StopReason = reason;
        Version++;
        Raise(new EscalationStopped(IncidentId, Version, Channel, Visibility.Shared, OwnerParty, now, reason));
    }

    /// <summary>
    /// How people read a tier: numbered from 1 among the tiers of its own visibility, so the counterpart's
    /// numbers have no gaps where the owner's Internal tiers fired. A repeat keeps its tier's number.
    /// </summary>
    private int NumberOf(Visibility visibility, int repeat)
    {
        var earlier = Fired.Where(f => f.Visibility == visibility).ToList();
        return repeat > 0 && earlier.Count > 0 ? earlier[^1].Number : earlier.Count(f => f.Repeat == 0) + 1;
    }

    /// <summary>Whether the tier that fires next reaches <paramref name="party"/> by role, so its due time is theirs to see.</summary>
    public bool NextTierReaches(string party) => State == EscalationState.Running && DueAt is not null && CurrentTier.Party == party;

    private void Fire(IReadOnlyList<EscalationRecipient> recipients, DateTimeOffset dueAt, bool manual, string? reason, string? actingUser, DateTimeOffset now,
        string? actingParty = null)
    {
        var tier = CurrentTier;
        var (firedTier, firedRepeat) = (NextTier, Repeats);
        var last = NextTier == Policy.Tiers.Count - 1;
        DateTimeOffset? next;
        if (!last)
        {
            NextTier++;
            next = dueAt + CurrentTier.Wait; // from when it was due, not when it fired: no drift
        }
        else if (Repeats < Policy.RepeatLastTier)
        {
            Repeats++;
            next = dueAt + tier.Wait;
        }
        else
        {
            next = null;
        }

        TiersFired++;
        Version++;
        DueAt = next;
        // Only the owner party's officials named: the other party does not see the owner's internal climb.
        // An Internal event belongs to its acting party, so it is the owner's even when the counterpart escalated by hand.
        var visibility = recipients.Count > 0 && recipients.All(r => r.Party == OwnerParty) ? Visibility.Internal : Visibility.Shared;
        var number = NumberOf(visibility, firedRepeat);
        Fired.Add(new FiredTier(firedTier, firedRepeat, number, visibility, tier.Important, manual, dueAt, now));
        Raise(new EscalationTierReached(IncidentId, Version, Channel, visibility, visibility == Visibility.Internal ? OwnerParty : actingParty ?? OwnerParty,
            now, firedTier, firedRepeat, tier.Important, dueAt, recipients, manual, reason, actingUser, next, number));

        if (next is null)
        {
            Stop(EscalationStopReason.TiersExhausted, now);
        }
    }
}

/// <summary>A tier that fired: which one, its number as people read it, and who may see it.</summary>
public sealed record FiredTier(int Tier, int Repeat, int Number, Visibility Visibility, bool Important, bool Manual, DateTimeOffset DueAt, DateTimeOffset FiredAt);
