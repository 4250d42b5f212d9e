using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks.Registry;

/// <summary>
/// A bilateral channel as the registry last announced it (ChannelChanged); people work on it only
/// while it is Open. Later versions win.
/// </summary>
public sealed class DirectoryChannel
{
    private DirectoryChannel()
    {
    }

    public string Code { get; private set; } = "";

    public string FirstParty { get; private set; } = "";

    public string SecondParty { get; private set; } = "";

    public string Name { get; private set; } = "";

    public ChannelStatus Status { get; private set; }

    public int Version { get; private set; }

    public bool IsOpen => Status == ChannelStatus.Open;

    public bool Includes(string party) => party == FirstParty || party == SecondParty;

    public static DirectoryChannel From(ChannelChanged changed)
    {
        var channel = new DirectoryChannel { Code = changed.Code, FirstParty = changed.FirstParty, SecondParty = changed.SecondParty };
        channel.Apply(changed);
        return channel;
    }

    public void Apply(ChannelChanged changed)
    {
        if (changed.Version > Version)
        {
            (Name, Status, Version) = (changed.Name, changed.Status, changed.Version);
        }
    }
}

/// <summary>Keeps a service's copy of the registry's channels; each service derives a sealed consumer of its own.</summary>
public abstract class ChannelDirectoryConsumer<TContext>(TContext db, TimeProvider time) : InboxConsumer<ChannelChanged, TContext>(db, time)
    where TContext : DbContext, IServiceDbContext
{
    protected override async Task HandleAsync(ConsumeContext<ChannelChanged> context)
    {
        var changed = context.Message;
        var channels = Db.Set<DirectoryChannel>();
        if (await channels.SingleOrDefaultAsync(c => c.Code == changed.Code, context.CancellationToken) is { } channel)
        {
            channel.Apply(changed);
        }
        else
        {
            channels.Add(DirectoryChannel.From(changed));
        }
    }
}
