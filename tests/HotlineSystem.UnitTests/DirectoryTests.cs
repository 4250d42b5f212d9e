using HotlineSystem.Contracts.Identity;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Notifications.Data;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using HotlineSystem.BuildingBlocks.Registry;

namespace HotlineSystem.UnitTests;

/// <summary>
/// The directories of people that services keep from Identity's announcements (one DirectoryPerson)
/// handle them concurrently (and on several replicas). An earlier announcement whose handler saves
/// after a later one's must fail and be retried, not put back a role that was revoked.
/// </summary>
public sealed class DirectoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private const string UserId = "kr-officer-9";

    [Fact]
    public Task Notifications_directory_does_not_let_an_earlier_announcement_overwrite_a_later_one() =>
        AnEarlierAnnouncementCannotOverwriteALaterOneAsync(
            connection => new NotificationsDbContext(new DbContextOptionsBuilder<NotificationsDbContext>().UseSqlite(connection).Options),
            db => db.People);

    [Fact]
    public Task Escalation_directory_does_not_let_an_earlier_announcement_overwrite_a_later_one() =>
        AnEarlierAnnouncementCannotOverwriteALaterOneAsync(
            connection => new EscalationDbContext(new DbContextOptionsBuilder<EscalationDbContext>().UseSqlite(connection).Options),
            db => db.People);

    private static async Task AnEarlierAnnouncementCannotOverwriteALaterOneAsync<TContext>(
        Func<SqliteConnection, TContext> open, Func<TContext, DbSet<DirectoryPerson>> people)
        where TContext : DbContext
    {
        await using var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using (var db = open(connection))
        {
            await db.Database.EnsureCreatedAsync();
            people(db).Add(DirectoryPerson.From(Account(1, active: true)));
            await db.SaveChangesAsync();
        }

        // Two handlers read version 1: one for version 2 (a role granted), one for version 3 (the
        // account disabled). Version 3 commits first.
        await using var early = open(connection);
        await using var late = open(connection);
        var seenByEarly = await people(early).SingleAsync();
        var seenByLate = await people(late).SingleAsync();
        seenByLate.Apply(Account(3, active: false));
        await late.SaveChangesAsync();
        seenByEarly.Apply(Account(2, active: true));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => early.SaveChangesAsync());

        // Its retry reads version 3, and version 2 changes nothing.
        await using var retry = open(connection);
        var again = await people(retry).SingleAsync();
        again.Apply(Account(2, active: true));
        await retry.SaveChangesAsync();
        await using var after = open(connection);
        var person = await people(after).AsNoTracking().SingleAsync();
        Assert.Equal((false, 3), (person.Active, person.Version));
    }

    private static UserAccountChanged Account(int version, bool active) =>
        new(UserId, version, UserId, "Officer Nine", "KR", [HotlineRoles.LiaisonOfficer, HotlineRoles.Official], "DirectorGeneral", active, Now);
}
