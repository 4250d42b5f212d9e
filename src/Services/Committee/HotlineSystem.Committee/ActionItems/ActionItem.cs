using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee.ActionItems;

/// <summary>A note on how an action item stands, by its owner party.</summary>
public sealed record ProgressNote(string Party, string UserId, string Text, DateTimeOffset At);

/// <summary>
/// What a meeting asked one party to do (domain.md, "Action item"): an owner party and person, a due
/// time, a status and progress notes. A reminder goes out <see cref="ReminderLead"/> before the due
/// time and an overdue notice at it, each once, from the durable timer (<see cref="NextTimerAt"/>).
/// The owner changes the status, never the due time; the committee does that, both co-chairs agreeing.
/// </summary>
public sealed class ActionItem : AggregateRoot, ICommitteeRecord
{
    public static readonly TimeSpan ReminderLead = TimeSpan.FromDays(3);

    private ActionItem()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The client's id for the request that created it: a retry finds this item.</summary>
    public Guid RequestId { get; private set; }

    public Guid MeetingId { get; private set; }

    public Guid? AgendaItemId { get; private set; }

    public string Channel { get; private set; } = "";

    public string Title { get; private set; } = "";

    public string OwnerParty { get; private set; } = "";

    public string OwnerUserId { get; private set; } = "";

    public DateTimeOffset DueAt { get; private set; }

    public ActionItemStatus Status { get; private set; }

    public List<ProgressNote> Notes { get; private set; } = [];

    /// <summary>A co-chair's proposal to move the due time, and whose; it takes effect when the other party's co-chair agrees.</summary>
    public DateTimeOffset? ProposedDueAt { get; private set; }

    public string? ProposedBy { get; private set; }

    public bool Reminded { get; private set; }

    public bool OverdueNoticed { get; private set; }

    /// <summary>When the durable timer looks at this item next: the reminder, then the due time; null once both went out or the item is closed.</summary>
    public DateTimeOffset? NextTimerAt { get; private set; }

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsClosed => Status is ActionItemStatus.Done or ActionItemStatus.Cancelled;

    /// <summary>A co-chair records an action item of a meeting for a delegate of either party.</summary>
    public static ActionItem Assign(
        Guid requestId, JointCommittee committee, Meeting meeting, Guid? agendaItemId, string title, string ownerUserId, DateTimeOffset dueAt,
        CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (committee.DelegateOf(ownerUserId) is not { } owner)
        {
            throw RuleViolation.Conflict("owner-not-a-delegate", "An action item's owner sits on a delegation to this committee.");
        }

        if (dueAt <= now)
        {
            throw RuleViolation.Conflict("due-in-past", "An action item falls due in the future.");
        }

        var item = new ActionItem
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            MeetingId = meeting.Id,
            AgendaItemId = agendaItemId,
            Channel = meeting.Channel,
            Title = title,
            OwnerParty = owner.Party,
            OwnerUserId = owner.UserId,
            DueAt = dueAt,
            Status = ActionItemStatus.Open,
            Version = 1,
            UpdatedAt = now,
        };
        item.Reschedule(now);
        item.Raise(new ActionItemAssigned(item.Id, item.Version, item.Channel, Visibility.Shared, actor.Party, actor.UserId, now,
            item.MeetingId, item.Title, item.OwnerParty, item.OwnerUserId, item.DueAt));
        return item;
    }

    /// <summary>The owner party's delegates move the status on; a closed item stays closed.</summary>
    public void ChangeStatus(ActionItemStatus status, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        EnsureOwnerParty(committee, actor);
        if (IsClosed || status == Status || status == ActionItemStatus.Open)
        {
            throw RuleViolation.Conflict("invalid-transition", $"An action item that is {Status} cannot become {status}.");
        }

        var old = Status;
        Status = status;
        Changed(now);
        Reschedule(now);
        Raise(new ActionItemStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, Title, old, status));
    }

    /// <summary>The owner party's delegates note progress.</summary>
    public void AddNote(string text, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        EnsureOwnerParty(committee, actor);
        Notes.Add(new ProgressNote(actor.Party, actor.UserId, text, now));
        Changed(now);
    }

    /// <summary>
    /// A co-chair proposes a new due time, or agrees to the other party's proposal of the same time:
    /// the due time moves only when both co-chairs have. The owner alone never moves it.
    /// </summary>
    public void ChangeDueDate(DateTimeOffset dueAt, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (IsClosed)
        {
            throw RuleViolation.Conflict("action-item-closed", $"This action item is {Status}.");
        }

        if (dueAt <= now)
        {
            throw RuleViolation.Conflict("due-in-past", "An action item falls due in the future.");
        }

        if (ProposedDueAt == dueAt && ProposedBy is { } proposer && proposer != actor.Party)
        {
            var old = DueAt;
            (DueAt, ProposedDueAt, ProposedBy, Reminded, OverdueNoticed) = (dueAt, null, null, false, false);
            Changed(now);
            Reschedule(now);
            Raise(new ActionItemDueDateChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, Title, old, dueAt));
            return;
        }

        (ProposedDueAt, ProposedBy) = (dueAt, actor.Party);
        Changed(now);
    }

    /// <summary>The durable timer's call: the reminder once the lead time has begun, the overdue notice once the due time has passed.</summary>
    public void OnDue(DateTimeOffset now)
    {
        if (!IsClosed && !Reminded && now >= DueAt - ReminderLead)
        {
            Reminded = true;
            if (now < DueAt)
            {
                Raise(new ActionItemDue(Id, Version + 1, Channel, Visibility.Shared, OwnerParty, OwnerUserId, now, Title, OwnerParty, OwnerUserId, DueAt));
            }
        }

        if (!IsClosed && !OverdueNoticed && now >= DueAt)
        {
            OverdueNoticed = true;
            Raise(new ActionItemOverdue(Id, Version + 1, Channel, Visibility.Shared, OwnerParty, OwnerUserId, now, Title, OwnerParty, OwnerUserId, DueAt));
        }

        Changed(now);
        Reschedule(now);
    }

    private void EnsureOwnerParty(JointCommittee committee, CommitteeActor actor)
    {
        committee.EnsureDelegate(actor);
        if (actor.Party != OwnerParty)
        {
            throw RuleViolation.Forbidden("not-owner-party", $"Only {OwnerParty}'s delegates report on this action item.");
        }
    }

    private void Reschedule(DateTimeOffset now) =>
        NextTimerAt = IsClosed ? null
            : !Reminded ? (DueAt - ReminderLead > now ? DueAt - ReminderLead : now)
            : !OverdueNoticed ? DueAt
            : null;

    private void Changed(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
    }
}
