using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using MassTransit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Hub;

/// <summary>
/// The live line to every console: each connection joins the groups of its person, party, role and
/// channels; feed entries are pushed to the person's group by <see cref="Push.FeedPushConsumer"/>
/// on whichever replica holds the connection. A client that was away asks for what it missed.
/// </summary>
[Authorize(Policy = NotificationsModule.Policies.Reader)]
public sealed class NotificationHub(NotificationsDbContext db, ChannelDirectory channels, IPublishEndpoint bus, TimeProvider time)
    : Hub<INotificationClient>
{
    /// <summary>The most entries one CatchUp answers; the client asks again while More is true.</summary>
    public const int CatchUpPageSize = 200;

    public static string UserGroup(string userId) => $"user:{userId}";

    public static string PartyGroup(string party) => $"party:{party}";

    public static string RoleGroup(string party, string role) => $"role:{party}:{role}";

    public static string ChannelGroup(string channel) => $"channel:{channel}";

    public override async Task OnConnectedAsync()
    {
        var user = CurrentUser.From(Context.User!);
        var groups = new List<string> { UserGroup(user.UserId), PartyGroup(user.Party) };
        groups.AddRange(Context.User!.FindAll(HotlineClaims.Role).Select(role => RoleGroup(user.Party, role.Value)));
        groups.AddRange((await channels.ChannelsOfAsync(db, user.Party, Context.ConnectionAborted)).Select(ChannelGroup));
        foreach (var group in groups)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>What the caller's own feed holds after <paramref name="afterSequence"/>, oldest first.</summary>
    public async Task<CatchUp> CatchUp(long afterSequence)
    {
        if (afterSequence < 0)
        {
            throw new HubException("invalid-sequence: afterSequence must be 0 or more.");
        }

        var userId = CurrentUser.From(Context.User!).UserId;
        var entries = await db.FeedEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.Sequence > afterSequence)
            .OrderBy(e => e.Sequence)
            .Take(CatchUpPageSize + 1)
            .ToListAsync(Context.ConnectionAborted);
        return new CatchUp(entries.Take(CatchUpPageSize).Select(e => e.ToContract()).ToList(), entries.Count > CatchUpPageSize);
    }

    /// <summary>
    /// An administrator checks the line: every console of the channel, both parties', on every
    /// replica, shows the check (real hotlines are tested on a schedule; an unanswered check is the alarm).
    /// </summary>
    [Authorize(Policy = NotificationsModule.Policies.Administrator)]
    public async Task<LineCheck> CheckLine(string channel)
    {
        var user = CurrentUser.From(Context.User!);
        // A channel this service knows (its consoles are in that group) and of the caller's party: a
        // code that only names the party ("KR", "KR-XX") would be a check nobody sees, a false alarm.
        if (string.IsNullOrEmpty(channel) || channel.Length > 20
            || !(await channels.ChannelsOfAsync(db, user.Party, Context.ConnectionAborted)).Contains(channel, StringComparer.Ordinal))
        {
            throw new HubException("not-your-channel: you can check only a channel of your own party.");
        }

        var check = new LineCheck(NewId.NextGuid(), channel, user.Party, user.Name, time.GetUtcNow());
        await bus.Publish(check, Context.ConnectionAborted);
        return check;
    }
}
