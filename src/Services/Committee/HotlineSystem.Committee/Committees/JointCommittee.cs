using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee.Committees;

/// <summary>A person on a party's delegation to a committee.</summary>
public sealed record Delegate(string UserId, string Party, DelegateRole Role);

/// <summary>A record of a committee (a meeting, an agenda item ...): read by the parties of its channel, changed on its version.</summary>
public interface ICommitteeRecord
{
    Guid Id { get; }

    string Channel { get; }

    int Version { get; }
}

/// <summary>Who acts on the committee's records: a person of one party.</summary>
public sealed record CommitteeActor(string UserId, string Party);

/// <summary>
/// The joint consultative body of one channel (domain.md, "Joint committee"): each party's delegation
/// of members and alternates under exactly one co-chair. Each party sets its own delegation; both
/// parties read both (the delegations are Shared).
/// </summary>
public sealed class JointCommittee : AggregateRoot
{
    private JointCommittee()
    {
    }

    public Guid Id { get; private set; }

    public string Channel { get; private set; } = "";

    public List<Delegate> Delegates { get; private set; } = [];

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public ChannelCode ChannelCode => ChannelCode.Parse(Channel);

    public static JointCommittee For(ChannelCode channel, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), Channel = channel.Value, UpdatedAt = now };

    /// <summary>
    /// Replaces <paramref name="party"/>'s delegation. A delegation has exactly one co-chair, and a
    /// person sits on it once; only the party itself sets it.
    /// </summary>
    public void SetDelegation(string party, IReadOnlyList<(string UserId, DelegateRole Role)> delegates, CommitteeActor actor, DateTimeOffset now)
    {
        if (!ChannelCode.Includes(party) || actor.Party != party)
        {
            throw RuleViolation.Forbidden("not-your-delegation", "A party sets only its own delegation.");
        }

        if (delegates.Count(d => d.Role == DelegateRole.CoChair) != 1)
        {
            throw RuleViolation.Conflict("one-co-chair", "A delegation has exactly one co-chair.");
        }

        if (delegates.Select(d => d.UserId).Distinct().Count() != delegates.Count)
        {
            throw RuleViolation.Conflict("delegate-twice", "A person sits on a delegation once.");
        }

        Delegates = [.. Delegates.Where(d => d.Party != party), .. delegates.Select(d => new Delegate(d.UserId, party, d.Role))];
        Version++;
        UpdatedAt = now;
        Raise(DelegationOf(party, actor, now));
    }

    /// <summary>
    /// The party's delegation as it stands, announced again (docs/adr/0009: a directory replay), or
    /// null when the party has set none yet. Consumers keep the highest version per party.
    /// </summary>
    public CommitteeDelegationChanged? Announcement(string party, DateTimeOffset now) =>
        CoChairOf(party) is null ? null : DelegationOf(party, new CommitteeActor(ReplayActor, party), now);

    /// <summary>Who "acts" in a replayed announcement: no person, the service itself.</summary>
    public const string ReplayActor = "directory-replay";

    private CommitteeDelegationChanged DelegationOf(string party, CommitteeActor actor, DateTimeOffset now) =>
        new(Id, Version, Channel, Visibility.Shared, actor.Party, actor.UserId, now, party, CoChairOf(party)!.UserId, [.. DelegationOf(party).Select(d => d.UserId)]);

    public IEnumerable<Delegate> DelegationOf(string party) => Delegates.Where(d => d.Party == party);

    public Delegate? CoChairOf(string party) => Delegates.SingleOrDefault(d => d.Party == party && d.Role == DelegateRole.CoChair);

    public Delegate? DelegateOf(string userId) => Delegates.SingleOrDefault(d => d.UserId == userId);

    public bool IsCoChair(CommitteeActor actor) => CoChairOf(actor.Party)?.UserId == actor.UserId;

    /// <summary>The actor sits on their party's delegation (any role); otherwise the committee's records are not theirs to change.</summary>
    public void EnsureDelegate(CommitteeActor actor)
    {
        if (DelegateOf(actor.UserId) is not { } seat || seat.Party != actor.Party)
        {
            throw RuleViolation.Forbidden("not-a-delegate", "Only a member of a delegation to this committee may do this.");
        }
    }

    public void EnsureCoChair(CommitteeActor actor)
    {
        if (!IsCoChair(actor))
        {
            throw RuleViolation.Forbidden("not-co-chair", "Only a co-chair of this committee may do this.");
        }
    }
}
