using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Identity;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks.Registry;

/// <summary>
/// A person as the Identity service last announced them (UserAccountChanged): who holds which role
/// of which party. Every service that must know people keeps this copy (docs/adr/0009) and never
/// reads Identity's tables.
/// </summary>
public sealed class DirectoryPerson
{
    private DirectoryPerson()
    {
    }

    public string UserId { get; private set; } = "";

    public string UserName { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public string Party { get; private set; } = "";

    public List<string> Roles { get; private set; } = [];

    public string? OfficialTier { get; private set; }

    public bool Active { get; private set; }

    public int Version { get; private set; }

    public static DirectoryPerson From(UserAccountChanged account)
    {
        var person = new DirectoryPerson { UserId = account.UserId };
        person.Apply(account);
        return person;
    }

    /// <summary>Later versions win; an older or repeated announcement changes nothing.</summary>
    public void Apply(UserAccountChanged account)
    {
        if (account.Version <= Version)
        {
            return;
        }

        (UserName, DisplayName, Party, Roles, OfficialTier, Active, Version) =
            (account.UserName, account.DisplayName, account.Party, account.Roles.ToList(), account.OfficialTier, account.Active, account.Version);
    }

    /// <summary>An active holder of the role in the party (and, for officials, at the tier when one is named).</summary>
    public bool Holds(string party, string role, string? tier = null) =>
        Active && Party == party && Roles.Contains(role) && (tier is null || OfficialTier == tier);
}

/// <summary>
/// Keeps a service's directory of people from the Identity service's announcements. Each service
/// derives a sealed consumer of its own, so that its queue and inbox name stay its own.
/// </summary>
public abstract class PeopleDirectoryConsumer<TContext>(TContext db, TimeProvider time) : InboxConsumer<UserAccountChanged, TContext>(db, time)
    where TContext : DbContext, IServiceDbContext
{
    protected sealed override async Task HandleAsync(ConsumeContext<UserAccountChanged> context)
    {
        var account = context.Message;
        var people = Db.Set<DirectoryPerson>();
        if (await people.SingleOrDefaultAsync(p => p.UserId == account.UserId, context.CancellationToken) is { } person)
        {
            person.Apply(account);
        }
        else
        {
            people.Add(DirectoryPerson.From(account));
        }
    }
}
