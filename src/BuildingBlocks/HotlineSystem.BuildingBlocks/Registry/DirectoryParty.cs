using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks.Registry;

/// <summary>
/// A party (a government) as the registry (the Identity service) last announced it (PartyChanged):
/// its names, time zone and working language. Later versions win.
/// </summary>
public sealed class DirectoryParty
{
    private DirectoryParty()
    {
    }

    public string Code { get; private set; } = "";

    public string EnglishName { get; private set; } = "";

    public string NativeName { get; private set; } = "";

    public string TimeZone { get; private set; } = "";

    public string WorkingLanguage { get; private set; } = "";

    public int Version { get; private set; }

    public static DirectoryParty From(PartyChanged changed)
    {
        var party = new DirectoryParty { Code = changed.Code };
        party.Apply(changed);
        return party;
    }

    public void Apply(PartyChanged changed)
    {
        if (changed.Version > Version)
        {
            (EnglishName, NativeName, TimeZone, WorkingLanguage, Version) =
                (changed.EnglishName, changed.NativeName, changed.TimeZone, changed.WorkingLanguage, changed.Version);
        }
    }
}

/// <summary>Keeps a service's copy of the registry's parties; each service derives a sealed consumer of its own.</summary>
public abstract class PartyDirectoryConsumer<TContext>(TContext db, TimeProvider time) : InboxConsumer<PartyChanged, TContext>(db, time)
    where TContext : DbContext, IServiceDbContext
{
    protected sealed override async Task HandleAsync(ConsumeContext<PartyChanged> context)
    {
        var changed = context.Message;
        var parties = Db.Set<DirectoryParty>();
        if (await parties.SingleOrDefaultAsync(p => p.Code == changed.Code, context.CancellationToken) is { } party)
        {
            party.Apply(changed);
        }
        else
        {
            parties.Add(DirectoryParty.From(changed));
        }
    }
}
