using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Registry;

/// <summary>
/// Keeps this service's copy of the registry's parties (docs/adr/0009): what the catalogue lists and
/// which working language a filing defaults to. Identity owns them; this service never writes one.
/// </summary>
public sealed class PartyChangedConsumer(IncidentsDbContext db, TimeProvider time, CatalogueCache catalogue)
    : InboxConsumer<PartyChanged, IncidentsDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<PartyChanged> context)
    {
        var changed = context.Message;
        if (await Db.Parties.SingleOrDefaultAsync(p => p.Code == changed.Code, context.CancellationToken) is { } party)
        {
            party.Apply(changed);
        }
        else
        {
            Db.Parties.Add(Party.From(changed));
        }

        catalogue.Invalidate();
    }
}

/// <summary>Keeps this service's copy of the registry's channels: incidents are filed on an Open one only.</summary>
public sealed class ChannelChangedConsumer(IncidentsDbContext db, TimeProvider time, CatalogueCache catalogue)
    : InboxConsumer<ChannelChanged, IncidentsDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<ChannelChanged> context)
    {
        var changed = context.Message;
        if (await Db.Channels.SingleOrDefaultAsync(c => c.Code == changed.Code, context.CancellationToken) is { } channel)
        {
            channel.Apply(changed);
        }
        else
        {
            Db.Channels.Add(Channel.From(changed));
        }

        catalogue.Invalidate();
    }
}
