using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Escalation.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Directory;

/// <summary>
/// A person as the Identity service last announced them (UserAccountChanged): whom tiers and rosters
/// may name, and who holds a role of a party. Escalation never reads Identity's tables.
/// </summary>
public sealed class Person
{
    private Person()
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

    public static Person From(UserAccountChanged account)
    {
        var person = new Person { UserId = account.UserId };
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

    public bool Holds(string party, string role, string? tier) =>
        Active && Party == party && Roles.Contains(role) && (tier is null || OfficialTier == tier);
}

/// <summary>Keeps the directory of people from the Identity service's announcements.</summary>
public sealed class UserAccountChangedConsumer(EscalationDbContext db, TimeProvider time)
    : InboxConsumer<UserAccountChanged, EscalationDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<UserAccountChanged> context)
    {
        var account = context.Message;
        var person = await Db.People.SingleOrDefaultAsync(p => p.UserId == account.UserId, context.CancellationToken);
        if (person is null)
        {
            Db.People.Add(Person.From(account));
        }
        else
        {
            person.Apply(account);
        }
    }
}
