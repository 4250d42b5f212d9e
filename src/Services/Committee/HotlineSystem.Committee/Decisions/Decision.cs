using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee.Decisions;

/// <summary>Where one party stands at home on a decision, who recorded it and the day its government decided.</summary>
public sealed record PartyApproval(string Party, DomesticApproval Approval, DateOnly? On, string? RecordedBy);

/// <summary>
/// What a meeting agreed (domain.md, "Decision"), numbered per committee and year — KR-CN/2027/3 —
/// and linked to the agenda items it settles. Measures "subject to the subsequent approval of their
/// respective governments" carry each party's domestic approval apart: Needed, then Approved or
/// Refused on a day, recorded by that party's co-chair only.
/// </summary>
public sealed class Decision : AggregateRoot, ICommitteeRecord
{
    private Decision()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The client's id for the request that recorded it: a retry finds this decision.</summary>
    public Guid RequestId { get; private set; }

    public Guid CommitteeId { get; private set; }

    public Guid MeetingId { get; private set; }

    public string Channel { get; private set; } = "";

    /// <summary>The year of the meeting (UTC) the decision was taken at; numbers start again at 1 each year.</summary>
    public int Year { get; private set; }

    public int Sequence { get; private set; }

    public string Title { get; private set; } = "";

    public string Text { get; private set; } = "";

    public List<Guid> AgendaItems { get; private set; } = [];

    public List<PartyApproval> Approvals { get; private set; } = [];

    public string RecordedBy { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The decision's number as people cite it: channel, year, sequence.</summary>
    public string Number => NumberOf(Channel, Year, Sequence);

    public static string NumberOf(string channel, int year, int sequence) => $"{channel}/{year}/{sequence}";

    /// <summary>
    /// A co-chair records a decision of a meeting in session or concluded, with the parties whose
    /// governments must still approve it; the other parties need no approval.
    /// </summary>
    public static Decision Record(
        Guid requestId, JointCommittee committee, Meeting meeting, int sequence, string title, string text, IReadOnlyList<Guid> agendaItems,
        IReadOnlyCollection<string> needsApprovalOf, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (meeting.Status is not (MeetingStatus.InSession or MeetingStatus.Concluded))
        {
            throw RuleViolation.Conflict("meeting-not-held", $"Decisions are recorded at a meeting in session or concluded; this one is {meeting.Status}.");
        }

        var parties = ChannelCode.Parse(committee.Channel).Parties;
        if (needsApprovalOf.FirstOrDefault(p => !parties.Contains(p)) is { } stranger)
        {
            throw RuleViolation.Conflict("not-a-party", $"{stranger} is not a party to this committee.");
        }

        var decision = new Decision
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            CommitteeId = committee.Id,
            MeetingId = meeting.Id,
            Channel = committee.Channel,
            Year = meeting.StartsAt.UtcDateTime.Year,
            Sequence = sequence,
            Title = title,
            Text = text,
            AgendaItems = [.. agendaItems.Distinct()],
            Approvals = [.. parties.Select(p => new PartyApproval(p, needsApprovalOf.Contains(p) ? DomesticApproval.Needed : DomesticApproval.NotNeeded, On: null, RecordedBy: null))],
            RecordedBy = actor.UserId,
            RecordedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        decision.Raise(new DecisionRecorded(decision.Id, decision.Version, decision.Channel, Visibility.Shared, actor.Party, actor.UserId, now,
            decision.MeetingId, decision.Number, decision.Title, [.. needsApprovalOf.Distinct().Order(StringComparer.Ordinal)]));
        return decision;
    }

    /// <summary>
    /// A party's co-chair records that its own government approved or refused the decision, on a day
    /// no later than today; only a pending approval can be settled, and only once.
    /// </summary>
    public void RecordDomesticApproval(DomesticApproval outcome, DateOnly on, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (outcome is not (DomesticApproval.Approved or DomesticApproval.Refused))
        {
            throw RuleViolation.Conflict("invalid-approval", "A government approves or refuses a decision.");
        }

        var index = Approvals.FindIndex(a => a.Party == actor.Party);
        if (Approvals[index].Approval != DomesticApproval.Needed)
        {
            throw RuleViolation.Conflict("approval-not-pending", $"{actor.Party}'s approval of {Number} is {Approvals[index].Approval}.");
        }

        if (on > DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)) || on < DateOnly.FromDateTime(RecordedAt.UtcDateTime.AddDays(-1)))
        {
            throw RuleViolation.Conflict("approval-date-out-of-range", "A government decides after the decision was taken and no later than today.");
        }

        // A new list, so EF Core sees the JSON column change.
        Approvals = [.. Approvals.Select((a, i) => i == index ? new PartyApproval(a.Party, outcome, on, actor.UserId) : a)];
        Version++;
        UpdatedAt = now;
        Raise(new DomesticApprovalRecorded(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, Number, Title, actor.Party, outcome, on));
    }
}
