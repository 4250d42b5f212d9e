using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Escalation.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Directory;

/// <summary>
/// A party as the registry (the Identity service) last announced it (PartyChanged): its time zone
/// is the default of its duty rosters (domain.md). Later versions win.
/// </summary>
public sealed class Party
{
    private Party()
    {
    }

    public string Code { get; private set; } = "";

    public string TimeZone { get; private set; } = "";

    public int Version { get; private set; }

    public static Party From(PartyChanged changed)
    {
        var party = new Party { Code = changed.Code };
        party.Apply(changed);
        return party;
    }

    public void Apply(PartyChanged changed)
    {
        if (changed.Version > Version)
        {
            (TimeZone, Version) = (changed.TimeZone, changed.Version);
        }
    }
}

/// <summary>Keeps this service's copy of the registry's parties.</summary>
public sealed class PartyChangedConsumer(EscalationDbContext db, TimeProvider time) : InboxConsumer<PartyChanged, EscalationDbContext>(db, time)
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
    }
}
