using HotlineSystem.Contracts;

namespace HotlineSystem.BuildingBlocks.Security;

/// <summary>
/// The one rule of who may read a record (domain.md, "Visibility"): a Shared record is read by both
/// parties of its channel, an Internal one only by the party that owns it. Every response, count,
/// list, feed entry, push and export asks this rule, never a copy of it.
/// </summary>
public static class ReadAccess
{
    /// <summary>The parties that may read a record of this channel, owner and visibility.</summary>
    public static IReadOnlyList<string> Readers(ChannelCode channel, string owningParty, Visibility visibility) =>
        visibility == Visibility.Shared ? channel.Parties
        : channel.Includes(owningParty) ? [owningParty]
        : []; // an Internal record of a party that is not on its channel is read by nobody

    public static bool MayRead(string readerParty, ChannelCode channel, string owningParty, Visibility visibility) =>
        Readers(channel, owningParty, visibility).Contains(readerParty);

    /// <summary>The parties that may read an event: its channel's, or only the acting party's when Internal.</summary>
    public static IReadOnlyList<string> Readers(IChannelEvent @event) =>
        ChannelCode.TryParse(@event.Channel, out var channel) ? Readers(channel, @event.ActingParty, @event.Visibility) : [];

    public static bool MayRead(string readerParty, IChannelEvent @event) => Readers(@event).Contains(readerParty);
}
