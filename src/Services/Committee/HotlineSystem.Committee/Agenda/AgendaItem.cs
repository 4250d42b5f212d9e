using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee.Agenda;

/// <summary>A party's agreement to put an item on a meeting's agenda.</summary>
public sealed record Agreement(string Party, string UserId, DateTimeOffset At);

/// <summary>A party's position on an item, apart from the joint status; Internal unless the party shares it.</summary>
public sealed record PartyPosition(string Party, string Text, Visibility Visibility, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>What a party proposes: title and description in its language, optionally supply incidents of the channel.</summary>
public sealed record AgendaItemText(string Title, string Description, string Language, IReadOnlyList<Guid> Incidents);

/// <summary>
/// An item proposed by either party for a meeting. It is on the meeting's agenda only when both
/// parties agree: before the meeting's cut-off the proposal is its party's agreement and the other
/// party's completes it; once the cut-off has passed, an item not yet on the agenda needs both
/// parties to agree anew. Carried over to a later meeting, it becomes a new item that names the one
/// it came from, so its history across meetings can be read.
/// </summary>
public sealed class AgendaItem : AggregateRoot, ICommitteeRecord
{
    private AgendaItem()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The client's id for the proposal: a retry finds this item instead of proposing a second.</summary>
    public Guid RequestId { get; private set; }

    public Guid MeetingId { get; private set; }

    public string Channel { get; private set; } = "";

    public string ProposingParty { get; private set; } = "";

    public string ProposedBy { get; private set; } = "";

    public DateTimeOffset ProposedAt { get; private set; }

    public string Title { get; private set; } = "";

    public string Description { get; private set; } = "";

    public string Language { get; private set; } = "";

    public List<Guid> Incidents { get; private set; } = [];

    public List<Agreement> Agreements { get; private set; } = [];

    public AgendaItemStatus Status { get; private set; }

    /// <summary>Place in the agenda (1 first) and the minutes allotted, set by a co-chair.</summary>
    public int? Position { get; private set; }

    public int? AllottedMinutes { get; private set; }

    public Guid? CarriedOverFrom { get; private set; }

    public Guid? CarriedOverTo { get; private set; }

    public List<PartyPosition> Positions { get; private set; } = [];

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public ChannelCode ChannelCode => ChannelCode.Parse(Channel);

    public bool OnAgenda => ChannelCode.Parties.All(party => Agreements.Any(a => a.Party == party));

    public static AgendaItem Propose(Guid requestId, JointCommittee committee, Meeting meeting, AgendaItemText text, CommitteeActor actor, DateTimeOffset now) =>
        Propose(requestId, committee, meeting, text, carriedOverFrom: null, actor, now);

    private static AgendaItem Propose(
        Guid requestId, JointCommittee committee, Meeting meeting, AgendaItemText text, Guid? carriedOverFrom, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        EnsureTakesItems(meeting);
        var item = new AgendaItem
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            MeetingId = meeting.Id,
            Channel = meeting.Channel,
            ProposingParty = actor.Party,
            ProposedBy = actor.UserId,
            ProposedAt = now,
            Title = text.Title,
            Description = text.Description,
            Language = text.Language,
            Incidents = [.. text.Incidents],
            Status = AgendaItemStatus.Open,
            CarriedOverFrom = carriedOverFrom,
            Version = 1,
            UpdatedAt = now,
        };
        // Before the cut-off, proposing is the proposing party's agreement; after it, both agree anew.
        if (meeting.BeforeCutoff(now))
        {
            item.Agreements.Add(new Agreement(actor.Party, actor.UserId, now));
        }

        item.Raise(new AgendaItemProposed(item.Id, item.Version, item.Channel, Visibility.Shared, actor.Party, actor.UserId, now,
            meeting.Id, item.Title, item.Incidents, carriedOverFrom));
        return item;
    }

    /// <summary>
    /// A delegate agrees for their party. After the cut-off, agreements given before it no longer
    /// count for an item not yet on the agenda: late items need both parties' agreement after it.
    /// </summary>
    public void Agree(JointCommittee committee, Meeting meeting, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        EnsureTakesItems(meeting);
        EnsureOpen();
        if (OnAgenda)
        {
            throw RuleViolation.Conflict("already-on-agenda", "This item is on the agenda already.");
        }

        var standing = meeting.BeforeCutoff(now) ? Agreements : Agreements.Where(a => a.At >= meeting.AgendaCutoff).ToList();
        if (standing.Any(a => a.Party == actor.Party))
        {
            throw RuleViolation.Conflict("already-agreed", $"{actor.Party} has agreed to this item already; it waits for the other party.");
        }

        Agreements = [.. standing, new Agreement(actor.Party, actor.UserId, now)];
        Changed(now);
        Raise(new AgendaItemAgreed(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, MeetingId, OnAgenda, Title));
    }

    /// <summary>The proposing party withdraws its item while it is open.</summary>
    public void Withdraw(JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        if (actor.Party != ProposingParty)
        {
            throw RuleViolation.Forbidden("not-your-item", "Only the party that proposed an item withdraws it.");
        }

        MoveTo(AgendaItemStatus.Withdrawn, actor, now);
    }

    /// <summary>A co-chair records the joint status of an item on the agenda: discussed, resolved or deferred.</summary>
    public void Record(AgendaItemStatus status, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (status is not (AgendaItemStatus.Discussed or AgendaItemStatus.Resolved or AgendaItemStatus.Deferred))
        {
            throw RuleViolation.Conflict("invalid-status", $"A co-chair records an item as Discussed, Resolved or Deferred, not {status}.");
        }

        if (!OnAgenda)
        {
            throw RuleViolation.Conflict("not-on-agenda", "Only an item both parties agreed to is discussed.");
        }

        MoveTo(status, actor, now);
    }

    /// <summary>A co-chair sets the item's place in the agenda and the minutes allotted to it.</summary>
    public void Arrange(int position, int? allottedMinutes, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        (Position, AllottedMinutes) = (position, allottedMinutes);
        Changed(now);
    }

    /// <summary>
    /// A co-chair carries an unresolved item over to a later meeting: this item is Deferred and names
    /// the new one, which names it back and is proposed afresh by the co-chair's party.
    /// </summary>
    public AgendaItem CarryOver(JointCommittee committee, Meeting from, Meeting to, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (to.CommitteeId != from.CommitteeId || to.Number <= from.Number)
        {
            throw RuleViolation.Conflict("not-a-later-meeting", "An item is carried over to a later meeting of the same committee.");
        }

        if (CarriedOverTo is not null || Status is AgendaItemStatus.Resolved or AgendaItemStatus.Withdrawn)
        {
            throw RuleViolation.Conflict("not-carried-over", $"An item that is {Status}{(CarriedOverTo is null ? "" : " and carried over already")} is not carried over.");
        }

        var next = Propose(Guid.CreateVersion7(now), committee, to, new AgendaItemText(Title, Description, Language, Incidents), Id, actor, now);
        CarriedOverTo = next.Id;
        if (Status != AgendaItemStatus.Deferred)
        {
            MoveTo(AgendaItemStatus.Deferred, actor, now);
        }
        else
        {
            Changed(now);
        }

        return next;
    }

    /// <summary>A delegate records their own party's position; Internal unless the party chooses to share it.</summary>
    public void RecordPosition(string text, Visibility visibility, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        Positions.RemoveAll(p => p.Party == actor.Party);
        Positions.Add(new PartyPosition(actor.Party, text, visibility, actor.UserId, now));
        Changed(now);
        Raise(new AgendaPositionRecorded(Id, Version, Channel, visibility, actor.Party, actor.UserId, now, Title));
    }

    /// <summary>The positions a party may read: its own, and the other's only when shared.</summary>
    public IEnumerable<PartyPosition> PositionsReadBy(string party) =>
        Positions.Where(p => ReadAccess.MayRead(party, ChannelCode, p.Party, p.Visibility));

    private static void EnsureTakesItems(Meeting meeting)
    {
        if (!meeting.TakesAgendaItems)
        {
            throw RuleViolation.Conflict("meeting-concluded", $"Meeting {meeting.Number} is {meeting.Status}: its agenda is closed.");
        }
    }

    private void EnsureOpen()
    {
        if (Status != AgendaItemStatus.Open)
        {
            throw RuleViolation.Conflict("item-not-open", $"This item is {Status}.");
        }
    }

    private void MoveTo(AgendaItemStatus status, CommitteeActor actor, DateTimeOffset now)
    {
        if (Status is AgendaItemStatus.Resolved or AgendaItemStatus.Withdrawn || Status == status)
        {
            throw RuleViolation.Conflict("invalid-transition", $"An item that is {Status} cannot become {status}.");
        }

        var old = Status;
        Status = status;
        Changed(now);
        Raise(new AgendaItemStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, old, status, Title));
    }

    private void Changed(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
    }
}
