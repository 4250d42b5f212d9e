using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Registry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Registry;

/// <summary>Keeps the directory of people: who may sit on a delegation, and as what (CommitteeMember, CoChair).</summary>
public sealed class CommitteePeopleConsumer(CommitteeDbContext db, TimeProvider time) : PeopleDirectoryConsumer<CommitteeDbContext>(db, time);

/// <summary>Keeps the registry's parties: a meeting's time is shown in each party's zone, its texts in each party's language.</summary>
public sealed class CommitteePartyConsumer(CommitteeDbContext db, TimeProvider time) : PartyDirectoryConsumer<CommitteeDbContext>(db, time);

/// <summary>
/// Keeps the registry's channels, and gives a channel its joint committee when it first opens: a
/// committee per channel (domain.md). A channel suspended or closed later keeps its committee and records.
/// </summary>
public sealed class CommitteeChannelConsumer(CommitteeDbContext db, TimeProvider time) : ChannelDirectoryConsumer<CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<ChannelChanged> context)
    {
        await base.HandleAsync(context);
        var changed = context.Message;
        if (changed.Status == ChannelStatus.Open && ChannelCode.TryParse(changed.Code, out var channel)
            && !await Db.Committees.AnyAsync(c => c.Channel == channel.Value, context.CancellationToken))
        {
            Db.Committees.Add(JointCommittee.For(channel, Time.GetUtcNow()));
        }
    }
}
