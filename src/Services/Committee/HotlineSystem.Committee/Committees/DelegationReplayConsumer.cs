using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Registry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Committees;

/// <summary>
/// Answers a directory replay request (docs/adr/0009) with every delegation as it stands, through the
/// outbox: a service that keeps the delegations (Notifications addresses the committee's notices to
/// them) and started late, or was restored from a backup, learns them without waiting for a change.
/// </summary>
public sealed class DelegationReplayConsumer(CommitteeDbContext db, TimeProvider time)
    : InboxConsumer<DirectoryReplayRequested, CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<DirectoryReplayRequested> context)
    {
        var now = Time.GetUtcNow();
        var committees = await Db.Committees.AsNoTracking().OrderBy(c => c.Channel).ToListAsync(context.CancellationToken);
        foreach (var announcement in committees.SelectMany(c => c.ChannelCode.Parties.Select(party => c.Announcement(party, now))).OfType<object>())
        {
            Db.AddToOutbox(announcement, now);
        }
    }
}
