using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Notifications.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Directory;

/// <summary>
/// A person as the Identity service last announced them (UserAccountChanged): who holds which role
/// of which party, so that "the liaison officers of the channel's parties" can be told.
/// Notifications never reads Identity's tables.
/// </summary>
public sealed class Person
{
    private Person()
    {
    }

    public string UserId { get; private set; } = "";

    public string Party { get; private set; } = "";

    public List<string> Roles { get; private set; } = [];

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

        (Party, Roles, Active, Version) = (account.Party, account.Roles.ToList(), account.Active, account.Version);
    }
}

/// <summary>Keeps the directory of people from the Identity service's announcements.</summary>
public sealed class UserAccountChangedFeedConsumer(NotificationsDbContext db, TimeProvider time)
    : InboxConsumer<UserAccountChanged, NotificationsDbContext>(db, time)
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
