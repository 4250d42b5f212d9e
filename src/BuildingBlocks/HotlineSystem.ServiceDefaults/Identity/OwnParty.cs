using System.Security.Claims;
using HotlineSystem.BuildingBlocks.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineSystem.ServiceDefaults.Identity;

/// <summary>
/// The guards of the security core that read the caller's token: administrators act on their own
/// party only, and people reach only channels of their party. What belongs to another party does not
/// exist for the caller: the answer is 404, never 403 (no existence leak).
/// </summary>
public static class OwnParty
{
    public static bool IsOwn(this ClaimsPrincipal caller, string? party) => party is not null && party == CurrentUser.From(caller).Party;

    /// <summary>Null when <paramref name="party"/> is the caller's own; otherwise the 404 to answer.</summary>
    public static ProblemHttpResult? Refusal(ClaimsPrincipal caller, string? party, string what) =>
        caller.IsOwn(party) ? null : Problems.NotFound(what);

    /// <summary>The channel, when it is a well-formed code naming the caller's party; otherwise the 404 to answer.</summary>
    public static (ChannelCode Channel, ProblemHttpResult? Refusal) Channel(ClaimsPrincipal caller, string? channel)
    {
        var party = CurrentUser.From(caller).Party;
        return ChannelCode.TryParse(channel, out var code) && code.Includes(party)
            ? (code, null)
            : (default, Problems.NotFound("channel of your party"));
    }

    /// <summary>Whether the caller may read a record of this channel, owner and visibility (<see cref="ReadAccess"/>).</summary>
    public static bool MayRead(this ClaimsPrincipal caller, ChannelCode channel, string owningParty, Contracts.Visibility visibility) =>
        ReadAccess.MayRead(CurrentUser.From(caller).Party, channel, owningParty, visibility);
}
