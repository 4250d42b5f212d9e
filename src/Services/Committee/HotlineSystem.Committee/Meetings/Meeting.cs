using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee.Meetings;

public enum Presence
{
    Present = 1,
    Absent = 2,
    Delegated = 3,
}

/// <summary>A delegate's attendance at a meeting; delegated to another delegate of the same party.</summary>
public sealed record Attendance(string UserId, string Party, Presence Presence, string? DelegatedTo);

/// <summary>
/// A meeting of a committee, numbered per committee: when (stored in UTC, shown in each party's
/// zone), where and how, the cut-off after which an agenda item needs both parties' agreement anew,
/// attendance per delegation, and its status Planned → AgendaAgreed → InSession → Concluded →
/// MinutesSigned.
/// </summary>
public sealed class Meeting : AggregateRoot, ICommitteeRecord
{
    private static readonly IReadOnlyDictionary<MeetingStatus, MeetingStatus> Next = new Dictionary<MeetingStatus, MeetingStatus>
    {
        [MeetingStatus.Planned] = MeetingStatus.AgendaAgreed,
        [MeetingStatus.AgendaAgreed] = MeetingStatus.InSession,
        [MeetingStatus.InSession] = MeetingStatus.Concluded,
        [MeetingStatus.Concluded] = MeetingStatus.MinutesSigned,
    };

    private Meeting()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The client's id for the scheduling request: a retry finds this meeting instead of scheduling a second.</summary>
    public Guid RequestId { get; private set; }

    public Guid CommitteeId { get; private set; }

    public string Channel { get; private set; } = "";

    public int Number { get; private set; }

    public DateTimeOffset StartsAt { get; private set; }

    public DateTimeOffset AgendaCutoff { get; private set; }

    public string Place { get; private set; } = "";

    public MeetingMode Mode { get; private set; }

    public MeetingStatus Status { get; private set; }

    public List<Attendance> Attendance { get; private set; } = [];

    public int Version { get; private set; }

    public string ScheduledBy { get; private set; } = "";

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Any delegate schedules the committee's next meeting (number: the committee's last plus one).</summary>
    public static Meeting Schedule(
        Guid requestId, JointCommittee committee, int number, DateTimeOffset startsAt, DateTimeOffset agendaCutoff, string place, MeetingMode mode,
        CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        if (startsAt <= now)
        {
            throw RuleViolation.Conflict("meeting-in-past", "A meeting is scheduled in the future.");
        }

        if (agendaCutoff > startsAt)
        {
            throw RuleViolation.Conflict("cutoff-after-start", "The agenda's cut-off is before the meeting starts.");
        }

        var meeting = new Meeting
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            CommitteeId = committee.Id,
            Channel = committee.Channel,
            Number = number,
            StartsAt = startsAt,
            AgendaCutoff = agendaCutoff,
            Place = place,
            Mode = mode,
            Status = MeetingStatus.Planned,
            Version = 1,
            ScheduledBy = actor.UserId,
            UpdatedAt = now,
        };
        meeting.Raise(new MeetingScheduled(meeting.Id, meeting.Version, meeting.Channel, Visibility.Shared, actor.Party, actor.UserId, now,
            number, startsAt, agendaCutoff, place, mode));
        return meeting;
    }

    /// <summary>Whether an item proposed now joins on the other party's agreement alone (before the cut-off).</summary>
    public bool BeforeCutoff(DateTimeOffset now) => now < AgendaCutoff;

    /// <summary>Items are proposed and agreed until the meeting is concluded.</summary>
    public bool TakesAgendaItems => Status is MeetingStatus.Planned or MeetingStatus.AgendaAgreed or MeetingStatus.InSession;

    /// <summary>A co-chair moves the meeting one step on; the last step (minutes signed) is the minutes' own.</summary>
    public void MoveTo(MeetingStatus status, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (status == MeetingStatus.MinutesSigned)
        {
            throw RuleViolation.Conflict("minutes-not-signed", "A meeting's minutes are signed by both co-chairs, not set by hand.");
        }

        Move(status, actor, now);
    }

    /// <summary>Both co-chairs signed the meeting's minutes: the meeting is over, whatever step it had reached.</summary>
    public void MinutesLocked(CommitteeActor actor, DateTimeOffset now)
    {
        if (Status is MeetingStatus.InSession)
        {
            Move(MeetingStatus.Concluded, actor, now);
        }

        if (Status is MeetingStatus.Concluded)
        {
            Move(MeetingStatus.MinutesSigned, actor, now);
        }
    }

    private void Move(MeetingStatus status, CommitteeActor actor, DateTimeOffset now)
    {
        if (!Next.TryGetValue(Status, out var next) || next != status)
        {
            throw RuleViolation.Conflict("invalid-transition", $"A meeting that is {Status} cannot become {status}.");
        }

        var old = Status;
        Status = status;
        Version++;
        UpdatedAt = now;
        Raise(new MeetingStatusChanged(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, Number, old, status));
    }

    /// <summary>
    /// A delegate records their own party's attendance: each entry a delegate of that party, delegated
    /// only to another of them. Replaces what the party recorded before.
    /// </summary>
    public void RecordAttendance(JointCommittee committee, IReadOnlyList<(string UserId, Presence Presence, string? DelegatedTo)> entries, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        if (Status == MeetingStatus.MinutesSigned)
        {
            throw RuleViolation.Conflict("meeting-closed", "The minutes of this meeting are signed; its attendance is part of the record.");
        }

        var party = actor.Party;
        var delegation = committee.DelegationOf(party).Select(d => d.UserId).ToHashSet();
        foreach (var (userId, presence, delegatedTo) in entries)
        {
            if (!delegation.Contains(userId))
            {
                throw RuleViolation.Conflict("not-a-delegate", $"'{userId}' is not on {party}'s delegation.");
            }

            if ((presence == Presence.Delegated) != (delegatedTo is not null) || (delegatedTo is not null && (!delegation.Contains(delegatedTo) || delegatedTo == userId)))
            {
                throw RuleViolation.Conflict("invalid-delegation", $"'{userId}' delegates only to another delegate of {party}, and only when delegated.");
            }
        }

        Attendance = [.. Attendance.Where(a => a.Party != party), .. entries.Select(e => new Attendance(e.UserId, party, e.Presence, e.DelegatedTo))];
        Version++;
        UpdatedAt = now;
    }
}
