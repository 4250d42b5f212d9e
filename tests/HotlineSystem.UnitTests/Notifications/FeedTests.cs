using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace HotlineSystem.UnitTests.Notifications;

/// <summary>Who is told what, and how a feed numbers its entries: on the service's model, in SQLite in memory.</summary>
public sealed class FeedTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly FakeTimeProvider _time = new(Now);
    private NotificationsDbContext _db = null!;

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = NewContext();
        await _db.Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task Each_person_numbers_their_entries_one_two_three_and_one_push_carries_every_new_entry()
    {
        await AppendAsync(["kr-1", "cn-1"], "first");
        await AppendAsync(["cn-1", "cn-2", "cn-1"], "second");
        await AppendAsync(["cn-1"], "third");

        var entries = await _db.FeedEntries.AsNoTracking().OrderBy(e => e.UserId).ThenBy(e => e.Sequence).ToListAsync();
        Assert.Equal(
            [("cn-1", 1L, "first"), ("cn-1", 2L, "second"), ("cn-1", 3L, "third"), ("cn-2", 1L, "second"), ("kr-1", 1L, "first")],
            entries.Select(e => (e.UserId, e.Sequence, e.Title)).ToList());

        var pushes = await _db.OutboxMessages.AsNoTracking().OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync();
        Assert.Equal(3, pushes.Count);
        Assert.All(pushes, m => Assert.Equal(typeof(FeedEntriesAdded).FullName, m.MessageType));
        var second = pushes.Select(m => (FeedEntriesAdded)MessageSerialization.Deserialize(m.Body, typeof(FeedEntriesAdded)))
            .Single(p => p.Entries[0].Entry.Title == "second");
        Assert.Equal([("cn-1", 2L), ("cn-2", 1L)], second.Entries.Select(e => (e.UserId, e.Entry.Sequence)).ToList());
    }

    [Fact]
    public async Task A_batch_of_notices_is_written_in_the_order_added_and_pushed_once()
    {
        await AppendAsync(["cn-1"], "before");
        await using (var db = NewContext())
        {
            var writer = new FeedWriter(db, _time);
            writer.Add(["kr-1", "cn-1"], Notice("first"));
            writer.Add([], Notice("nobody"));
            writer.Add(["cn-1"], Notice("second"));
            writer.Add(["cn-2", "cn-1"], Notice("third"));
            await writer.WriteAsync(default);
            await db.SaveChangesAsync();
        }

        var entries = await _db.FeedEntries.AsNoTracking().OrderBy(e => e.UserId).ThenBy(e => e.Sequence).ToListAsync();
        Assert.Equal(
            [("cn-1", 1L, "before"), ("cn-1", 2L, "first"), ("cn-1", 3L, "second"), ("cn-1", 4L, "third"), ("cn-2", 1L, "third"), ("kr-1", 1L, "first")],
            entries.Select(e => (e.UserId, e.Sequence, e.Title)).ToList());
        var pushes = await _db.OutboxMessages.AsNoTracking().OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync();
        Assert.Equal(2, pushes.Count);
        var batch = (FeedEntriesAdded)MessageSerialization.Deserialize(pushes[1].Body, typeof(FeedEntriesAdded));
        Assert.Equal(
            [("kr-1", 1L, "first"), ("cn-1", 2L, "first"), ("cn-1", 3L, "second"), ("cn-2", 1L, "third"), ("cn-1", 4L, "third")],
            batch.Entries.Select(e => (e.UserId, e.Entry.Sequence, e.Entry.Title)).ToList());
    }

    [Fact]
    public async Task A_notice_for_nobody_writes_nothing()
    {
        await AppendAsync([], "nobody");

        Assert.Equal(0, await _db.FeedEntries.CountAsync());
        Assert.Equal(0, await _db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task Long_titles_and_details_are_shortened_to_what_the_feed_keeps()
    {
        await using (var db = NewContext())
        {
            var writer = new FeedWriter(db, _time);
            writer.Add(["cn-1"], Notice("t") with { Title = new string('T', 400), Detail = new string('D', 3000) });
            await writer.WriteAsync(default);
            await db.SaveChangesAsync();
        }

        var entry = await _db.FeedEntries.AsNoTracking().SingleAsync();
        Assert.Equal(UserFeedEntry.MaxTitleLength, entry.Title.Length);
        Assert.Equal(UserFeedEntry.MaxDetailLength, entry.Detail.Length);
        Assert.EndsWith("…", entry.Title);
    }

    [Theory]
    [InlineData(2)] // the cut would fall between the two halves of 𠮷: it goes before it
    [InlineData(3)] // 𠮷 fits whole before the cut: it stays
    public void Shortening_never_splits_a_character_outside_the_basic_plane(int before)
    {
        var detail = new string('D', UserFeedEntry.MaxDetailLength - before) + "𠮷 (CJK Extension B) and more";

        var entry = UserFeed.For("cn-1").Append(Notice("t") with { Detail = detail }, Now);

        // Encoded strictly, as Npgsql sends text to PostgreSQL: a lone half would throw here.
        new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(entry.Detail);
        Assert.True(entry.Detail.Length <= UserFeedEntry.MaxDetailLength);
        Assert.EndsWith("…", entry.Detail);
        Assert.Equal(before == 3, entry.Detail.Contains("𠮷", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_shared_incident_change_reaches_the_liaison_officers_of_both_parties_except_the_one_who_acted()
    {
        await PeopleAsync();

        var told = await new Recipients(_db).LiaisonOfficersAsync(Event(Visibility.Shared), "kr-officer-1", default);

        Assert.Equal(["cn-officer-1", "cn-officer-2", "kr-officer-2"], told.Order().ToList());
    }

    [Fact]
    public async Task Recipients_asked_again_in_one_batch_leave_out_each_events_own_actor()
    {
        await PeopleAsync();
        var recipients = new Recipients(_db);

        var first = await recipients.LiaisonOfficersAsync(Event(Visibility.Shared), "kr-officer-1", default);
        var second = await recipients.LiaisonOfficersAsync(Event(Visibility.Shared), "cn-officer-2", default);
        var internalOne = await recipients.LiaisonOfficersAsync(Event(Visibility.Internal), "kr-officer-1", default);

        Assert.Equal(["cn-officer-1", "cn-officer-2", "kr-officer-2"], first.Order().ToList());
        Assert.Equal(["cn-officer-1", "kr-officer-1", "kr-officer-2"], second.Order().ToList());
        Assert.Equal(["kr-officer-2"], internalOne.ToList());
    }

    [Fact]
    public async Task An_internal_incident_change_reaches_the_acting_partys_liaison_officers_only()
    {
        await PeopleAsync();

        var told = await new Recipients(_db).LiaisonOfficersAsync(Event(Visibility.Internal), "kr-officer-1", default);

        Assert.Equal(["kr-officer-2"], told.ToList());
    }

    [Fact]
    public void A_tier_reaches_exactly_the_people_it_names_of_the_channels_parties()
    {
        var tier = Tier(Visibility.Shared, ("kr-dg", "KR"), ("cn-officer-1", "CN"), ("vn-officer", "VN"));

        Assert.Equal(["kr-dg", "cn-officer-1"], Recipients.Named(tier).ToList());
    }

    [Fact]
    public void An_internal_tier_reaches_only_people_of_the_party_it_belongs_to_whoever_else_it_names()
    {
        Assert.Equal(["kr-dg", "kr-vm"], Recipients.Named(Tier(Visibility.Internal, ("kr-dg", "KR"), ("kr-vm", "KR"))).ToList());
        Assert.Equal(["kr-dg"], Recipients.Named(Tier(Visibility.Internal, ("kr-dg", "KR"), ("cn-officer-1", "CN"))).ToList());
    }

    [Fact]
    public void A_known_stop_follows_the_tiers_raised_before_it_by_version_not_those_after()
    {
        var escalation = KnownEscalation.Of(Guid.NewGuid());
        Assert.Null(escalation.StopAfter(Tier(Visibility.Shared, ("kr-dg", "KR")) with { Version = 3 }));

        escalation.Stopped(Stopped(escalation.IncidentId, version: 5));
        escalation.Stopped(Stopped(escalation.IncidentId, version: 4)); // an older stop does not replace a newer one

        Assert.Equal(Stopped(escalation.IncidentId, version: 5), escalation.StopAfter(Tier(Visibility.Shared, ("kr-dg", "KR")) with { Version = 4 }));
        Assert.Null(escalation.StopAfter(Tier(Visibility.Shared, ("kr-dg", "KR")) with { Version = 6 }));
    }

    [Fact]
    public async Task Of_a_tiers_people_only_those_of_the_channel_not_yet_told_of_the_stop_are_told_of_it()
    {
        var tier = Tier(Visibility.Shared, ("kr-dg", "KR"), ("cn-officer-1", "CN"), ("vn-officer", "VN"));
        var stopped = Stopped(tier.IncidentId, version: 5);
        await using (var db = NewContext())
        {
            var writer = new FeedWriter(db, _time);
            writer.Add(["kr-dg"], new Notice(FeedEntryKind.EscalationStopped, "KR-CN", tier.IncidentId, "KR", null, Visibility.Shared, false, "t", "stopped", Now));
            await writer.WriteAsync(default);
            await db.SaveChangesAsync();
        }

        Assert.Equal(["cn-officer-1"], await new Recipients(_db).NotToldOfStopAsync(stopped, tier, default));
    }

    [Fact]
    public async Task A_shared_stop_reaches_everyone_its_tiers_reached_even_before_the_directory_knows_them_and_an_internal_one_only_the_acting_partys()
    {
        await PeopleAsync();
        var incident = Guid.NewGuid();
        await using (var db = NewContext())
        {
            var writer = new FeedWriter(db, _time);
            writer.Add(["kr-officer-1", "cn-officer-1", "kr-dg-not-yet-known"],
                new Notice(FeedEntryKind.EscalationTierReached, "KR-CN", incident, "KR", null, Visibility.Shared, true, "t", "tier 0", Now));
            await writer.WriteAsync(default);
            await db.SaveChangesAsync();
        }

        var recipients = new Recipients(_db);
        var shared = await recipients.ReachedByEscalationAsync(Stopped(incident, version: 3), incident, default);
        var @internal = await recipients.ReachedByEscalationAsync(Stopped(incident, version: 3) with { Visibility = Visibility.Internal }, incident, default);

        Assert.Equal(["cn-officer-1", "kr-dg-not-yet-known", "kr-officer-1"], shared.Order());
        Assert.Equal(["kr-officer-1"], @internal);
    }

    private async Task AppendAsync(string[] userIds, string title)
    {
        // One context per event, as one consumer scope per message.
        await using var db = NewContext();
        var writer = new FeedWriter(db, _time);
        writer.Add(userIds, Notice(title));
        await writer.WriteAsync(default);
        await db.SaveChangesAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
    }

    private async Task PeopleAsync()
    {
        foreach (var (id, party, roles, active) in new[]
                 {
                     ("kr-officer-1", "KR", new[] { HotlineRoles.LiaisonOfficer }, true),
                     ("kr-officer-2", "KR", new[] { HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember }, true),
                     ("kr-member", "KR", new[] { HotlineRoles.CommitteeMember }, true),
                     ("cn-officer-1", "CN", new[] { HotlineRoles.LiaisonOfficer }, true),
                     ("cn-officer-2", "CN", new[] { HotlineRoles.LiaisonOfficer }, true),
                     ("cn-officer-gone", "CN", new[] { HotlineRoles.LiaisonOfficer }, false),
                     ("vn-officer", "VN", new[] { HotlineRoles.LiaisonOfficer }, true),
                 })
        {
            _db.People.Add(DirectoryPerson.From(new UserAccountChanged(id, 1, id, id, party, roles, null, active, Now)));
        }

        await _db.SaveChangesAsync();
    }

    private static Notice Notice(string title) =>
        new(FeedEntryKind.IncidentReported, "KR-CN", Guid.NewGuid(), "KR", "kr-officer-1", Visibility.Shared, false, title, "detail", Now);

    private static IncidentCommentAdded Event(Visibility visibility) =>
        new(Guid.NewGuid(), 2, "KR-CN", visibility, "KR", "kr-officer-1", Now, Guid.NewGuid(), "Our stock covers 12 days.");

    private static EscalationTierReached Tier(Visibility visibility, params (string UserId, string Party)[] recipients) =>
        new(Guid.NewGuid(), 3, "KR-CN", visibility, "KR", Now, 1, 0, true, Now,
            recipients.Select(r => new EscalationRecipient(r.UserId, r.Party, HotlineRoles.Official, OfficialTiers.DirectorGeneral)).ToList(),
            false, null, null, null);

    private static EscalationStopped Stopped(Guid incidentId, int version) =>
        new(incidentId, version, "KR-CN", Visibility.Shared, "KR", Now, EscalationStopReason.TiersExhausted);

    private NotificationsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<NotificationsDbContext>().UseSqlite(_connection).Options);
}
