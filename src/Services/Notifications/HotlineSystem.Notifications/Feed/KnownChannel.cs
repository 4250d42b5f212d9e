using HotlineSystem.BuildingBlocks.Security;
using System.Collections.Concurrent;
using HotlineSystem.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// A channel this service has seen an event of. Channels are data of the Incidents service; this
/// service learns their codes from the events it consumes, to place connections in channel groups.
/// </summary>
public sealed class KnownChannel(string code, DateTimeOffset firstSeenAt)
{
    public string Code { get; private set; } = code;

    public DateTimeOffset FirstSeenAt { get; private set; } = firstSeenAt;

    public bool Includes(string party) => ChannelCode.TryParse(Code, out var channel) && channel.Includes(party);
}

/// <summary>The known channels, remembered in memory once stored so that each event costs no extra query.</summary>
public sealed class ChannelDirectory
{
    private readonly ConcurrentDictionary<string, bool> stored = new(StringComparer.Ordinal);

    public async Task RememberAsync(NotificationsDbContext db, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stored.ContainsKey(code))
        {
            return;
        }

        if (await db.Channels.AnyAsync(c => c.Code == code, cancellationToken))
        {
            stored.TryAdd(code, true);
            return;
        }

        if (db.Channels.Local.All(c => c.Code != code))
        {
            db.Channels.Add(new KnownChannel(code, now)); // a concurrent first sighting collides on the key; the retry finds it
        }
    }

    public async Task<IReadOnlyList<string>> ChannelsOfAsync(NotificationsDbContext db, string party, CancellationToken cancellationToken)
    {
        var channels = await db.Channels.AsNoTracking().ToListAsync(cancellationToken);
        return channels.Where(c => c.Includes(party)).Select(c => c.Code).ToList();
    }
}
