using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts.Registry;

namespace HotlineSystem.Identity.Registry;

/// <summary>
/// A bilateral channel between two parties. It opens only with both parties' consent: an
/// administrator of one proposes, an administrator of the other accepts. Either may suspend it, and
/// reopening it needs both again (one proposes, the other accepts). The code names the party that
/// first proposed it ("KR-VN"); one pair of parties has one channel.
/// </summary>
public sealed class Channel : AggregateRoot
{
    private Channel()
    {
    }

    public string Code { get; private set; } = "";

    public string FirstParty { get; private set; } = "";

    public string SecondParty { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>The two parties in alphabetical order ("CN-KR"): unique, so a pair has one channel whoever proposed it.</summary>
    public string PairKey { get; private set; } = "";

    public ChannelStatus Status { get; private set; }

    /// <summary>The party whose proposal awaits the other's acceptance (Proposed only).</summary>
    public string? ProposedBy { get; private set; }

    /// <summary>Who made the last change: a user id, or "operator" for the deployment's seed.</summary>
    public string ChangedBy { get; private set; } = "";

    public DateTimeOffset ChangedAt { get; private set; }

    public int Version { get; private set; }

    public ChannelCode ChannelCode => ChannelCode.Of(FirstParty, SecondParty);

    public static Channel Propose(string proposingParty, string counterpart, string name, string userId, DateTimeOffset now)
    {
        var code = ChannelCode.Of(proposingParty, counterpart);
        var channel = New(code, name);
        channel.Move(ChannelStatus.Proposed, proposingParty, userId, now);
        return channel;
    }

    /// <summary>A channel both parties agreed to outside the system, written by the deployment's operator as seed data.</summary>
    public static Channel Agreed(ChannelCode code, string name, DateTimeOffset now)
    {
        var channel = New(code, name);
        channel.Move(ChannelStatus.Open, proposedBy: null, "operator", now);
        return channel;
    }

    private static Channel New(ChannelCode code, string name) => new()
    {
        Code = code.Value,
        FirstParty = code.First,
        SecondParty = code.Second,
        PairKey = string.Join('-', code.Parties.Order(StringComparer.Ordinal)),
        Name = name,
    };

    public bool Includes(string party) => party == FirstParty || party == SecondParty;

    /// <summary>The other party accepts a proposal: the channel opens.</summary>
    public void Accept(string party, string userId, DateTimeOffset now)
    {
        if (Status != ChannelStatus.Proposed)
        {
            throw RuleViolation.Conflict("channel-not-proposed", $"Channel {Code} is {Status}: there is no proposal to accept.");
        }

        if (party == ProposedBy)
        {
            throw RuleViolation.Conflict("own-proposal", $"{party} proposed this channel: only the other party's administrator can accept it.");
        }

        Move(ChannelStatus.Open, proposedBy: null, userId, now);
    }

    /// <summary>Either party suspends an open channel (or withdraws a proposal): nobody works on it until both consent again.</summary>
    public void Suspend(string userId, DateTimeOffset now)
    {
        if (Status == ChannelStatus.Suspended)
        {
            throw RuleViolation.Conflict("channel-suspended", $"Channel {Code} is already suspended.");
        }

        Move(ChannelStatus.Suspended, proposedBy: null, userId, now);
    }

    /// <summary>A party proposes to reopen a suspended channel; the other must accept.</summary>
    public void ProposeAgain(string party, string userId, DateTimeOffset now)
    {
        if (Status != ChannelStatus.Suspended)
        {
            throw RuleViolation.Conflict("channel-not-suspended", $"Channel {Code} is {Status}: only a suspended channel is proposed again.");
        }

        Move(ChannelStatus.Proposed, party, userId, now);
    }

    /// <summary>The channel as it stands, for a directory replay.</summary>
    public ChannelChanged Announcement(DateTimeOffset now) => new(Code, Version, FirstParty, SecondParty, Name, Status, ChangedBy, now);

    private void Move(ChannelStatus status, string? proposedBy, string userId, DateTimeOffset now)
    {
        (Status, ProposedBy, ChangedBy, ChangedAt) = (status, proposedBy, userId, now);
        Version++;
        Raise(Announcement(now));
    }
}
