using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Identity.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Identity.Registry;

/// <summary>
/// Answers a directory replay request (docs/adr/0009): every party, channel and person as they stand,
/// announced again through the outbox, in the same transaction that records the request as handled.
/// Every service receives them; each keeps the highest version per code or person, so the answer
/// changes nothing where the state was already known, and fills in what a late service missed.
/// </summary>
public sealed class DirectoryReplayRequestedConsumer(IdentityServiceDbContext db, TimeProvider time)
    : InboxConsumer<DirectoryReplayRequested, IdentityServiceDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<DirectoryReplayRequested> context)
    {
        var now = Time.GetUtcNow();
        var cancellationToken = context.CancellationToken;
        var announcements = new List<object>();
        announcements.AddRange((await Db.Parties.AsNoTracking().OrderBy(p => p.Code).ToListAsync(cancellationToken)).Select(p => p.Announcement(now)));
        announcements.AddRange((await Db.Channels.AsNoTracking().OrderBy(c => c.Code).ToListAsync(cancellationToken)).Select(c => c.Announcement(now)));
        announcements.AddRange((await Db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken)).Select(u => u.Announcement(now)));
        Db.OutboxMessages.AddRange(announcements.Select(a => OutboxMessage.For(a, now)));
    }
}
