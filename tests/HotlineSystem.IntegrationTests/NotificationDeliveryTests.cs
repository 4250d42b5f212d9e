using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using static HotlineSystem.IntegrationTests.Infrastructure.NotificationHubConnections;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Who is told what, live and in the feed, through the real pipeline: incidents filed and commented
/// at the real Incidents host, escalations fired by the real Escalation host, events over the real
/// broker into the real Notifications host (one or two replicas) on PostgreSQL, and SignalR clients
/// connected over WebSockets with access tokens of the real Identity service.
/// </summary>
public sealed class NotificationDeliveryTests(IncidentsAppFixture incidents) : IClassFixture<IncidentsAppFixture>, IAsyncLifetime
{
    private const string Officer = HotlineRoles.LiaisonOfficer;

    private readonly string _run = $"{Guid.NewGuid():N}"[..6];
    private readonly string _prefix = $"d{Guid.NewGuid():N}"[..10];
    private readonly Stack<IAsyncDisposable> _owned = new();
    private TestDatabase _database = null!;
    private NotificationsApp _notifications = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("delivery");
        _notifications = Replica();
    }

    public async Task DisposeAsync()
    {
        while (_owned.TryPop(out var owned))
        {
            await owned.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_Internal_comment_reaches_the_KR_officers_only_live_and_in_the_feed_while_a_Shared_one_reaches_both_parties()
    {
        var (krFiler, krColleague, cnOfficer) = (Name("kr-filer"), Name("kr-colleague"), Name("cn-officer"));
        await _notifications.PersonAsync(krFiler, "KR", Officer);
        await _notifications.PersonAsync(krColleague, "KR", Officer);
        var cnId = await _notifications.PersonAsync(cnOfficer, "CN", Officer);
        var kr = await Live(krColleague, "KR", Officer);
        var cn = await Live(cnOfficer, "CN", Officer);

        var filer = incidents.App.ClientFor(krFiler, "KR", Officer);
        var filed = await filer.FileAsync(Requests.Incident(title: $"Gadolinium licence delay {_run}"));
        await kr.WaitForAsync(e => e.IncidentId == filed.Id && e.Kind == FeedEntryKind.IncidentReported);
        await cn.WaitForAsync(e => e.IncidentId == filed.Id && e.Kind == FeedEntryKind.IncidentReported);

        await CommentAsync(filer, filed.Id, "KR only: our stockpile covers three weeks", Visibility.Internal);
        await CommentAsync(filer, filed.Id, "Please confirm the licence date", Visibility.Shared);

        var internalComment = await kr.WaitForAsync(e => e.IncidentId == filed.Id && e.Detail == "KR only: our stockpile covers three weeks");
        Assert.Equal((FeedEntryKind.IncidentCommentAdded, Visibility.Internal, "KR"), (internalComment.Kind, internalComment.Visibility, internalComment.ActingParty));
        await kr.WaitForAsync(e => e.IncidentId == filed.Id && e.Detail == "Please confirm the licence date");
        var sharedComment = await cn.WaitForAsync(e => e.IncidentId == filed.Id && e.Detail == "Please confirm the licence date");
        Assert.Equal(Visibility.Shared, sharedComment.Visibility);

        // One event's entries are written in one transaction for all its recipients: the KR colleague
        // has the Internal comment, so whatever CN was going to get of it, CN would have by now.
        Assert.DoesNotContain(cn.Entries, e => e.Visibility == Visibility.Internal || e.Detail.Contains("stockpile", StringComparison.Ordinal));
        var cnFeed = await (await _notifications.ClientForAsync(cnOfficer, "CN", Officer)).GetFromJsonAsync<FeedPage>("/api/feed?limit=200", Requests.Json);
        Assert.Equal([FeedEntryKind.IncidentCommentAdded, FeedEntryKind.IncidentReported], cnFeed!.Entries.Where(e => e.IncidentId == filed.Id).Select(e => e.Kind));
        Assert.DoesNotContain(cnFeed.Entries, e => e.Detail.Contains("stockpile", StringComparison.Ordinal));
        Assert.False(await _notifications.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == cnId && e.Visibility == Visibility.Internal)));

        // The one who acted is not told of their own acts.
        var filerFeed = await (await _notifications.ClientForAsync(krFiler, "KR", Officer)).GetFromJsonAsync<FeedPage>("/api/feed", Requests.Json);
        Assert.DoesNotContain(filerFeed!.Entries, e => e.IncidentId == filed.Id);
    }

    [Fact]
    public async Task An_official_receives_exactly_the_escalation_tiers_that_name_them_marked_important()
    {
        await using var escalationDatabase = await TestInfrastructure.CreateDatabaseAsync("deliveryesc");
        await using var escalation = new EscalationApp(escalationDatabase.ConnectionString, $"e{Guid.NewGuid():N}"[..10]).Start();
        var (krFiler, dgMagnets, dgBatteries, dgOther, cnOfficer) =
            (Name("kr-filer"), Name("dg-magnets"), Name("dg-batteries"), Name("dg-other"), Name("cn-officer"));
        await escalation.PersonAsync(krFiler, "KR", Officer);
        var magnetsId = await escalation.PersonAsync(dgMagnets, "KR", HotlineRoles.Official);
        var batteriesId = await escalation.PersonAsync(dgBatteries, "KR", HotlineRoles.Official);
        await escalation.PersonAsync(dgOther, "KR", HotlineRoles.Official);
        await escalation.PersonAsync(cnOfficer, "CN", Officer);
        foreach (var (name, party, role) in new[] { (krFiler, "KR", Officer), (dgMagnets, "KR", HotlineRoles.Official), (dgBatteries, "KR", HotlineRoles.Official), (dgOther, "KR", HotlineRoles.Official), (cnOfficer, "CN", Officer) })
        {
            await _notifications.PersonAsync(name, party, role);
        }

        // KR's policy: a Sev2 incident goes first to one director-general by name, a Sev3 to another.
        var admin = escalation.ClientFor(Name("kr-admin"), "KR", HotlineRoles.Administrator);
        foreach (var (severity, official) in new[] { ("Sev2", magnetsId), ("Sev3", batteriesId) })
        {
            var policy = await admin.PutAsJsonAsync($"/api/escalation-policies/KR-CN/{severity}", new
            {
                tiers = new object[] { new { userIds = new[] { official }, wait = "02:00:00", important = true } },
                repeatLastTier = 0,
            });
            Assert.True(policy.StatusCode == HttpStatusCode.OK, await policy.Content.ReadAsStringAsync());
        }

        var magnets = await Live(dgMagnets, "KR", HotlineRoles.Official);
        var batteries = await Live(dgBatteries, "KR", HotlineRoles.Official);
        var other = await Live(dgOther, "KR", HotlineRoles.Official);
        var cn = await Live(cnOfficer, "CN", Officer);

        var filer = incidents.App.ClientFor(krFiler, "KR", Officer);
        var sev2 = await filer.FileAsync(Requests.Incident(title: $"Magnet plant stoppage {_run}", severity: "Sev2"));
        var sev3 = await filer.FileAsync(Requests.Incident(title: $"Battery cathode price spike {_run}", severity: "Sev3"));
        var krEscalation = escalation.ClientFor(krFiler, "KR", Officer);
        foreach (var incident in new[] { sev2.Id, sev3.Id })
        {
            await EventuallyAsync(() => escalation.InDatabase(db => db.Escalations.AnyAsync(e => e.IncidentId == incident)), "the escalation started");
            var manual = await krEscalation.PostAsJsonAsync($"/api/escalations/{incident}/manual", new { reason = "The ministry must hear of this today" });
            Assert.True(manual.StatusCode == HttpStatusCode.OK, await manual.Content.ReadAsStringAsync());
        }

        var toMagnets = await magnets.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationTierReached);
        var toBatteries = await batteries.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationTierReached);
        Assert.Equal((sev2.Id, true, $"Magnet plant stoppage {_run}"), (toMagnets.IncidentId, toMagnets.Important, toMagnets.Title));
        Assert.Contains("The ministry must hear of this today", toMagnets.Detail, StringComparison.Ordinal);
        Assert.Equal((sev3.Id, true), (toBatteries.IncidentId, toBatteries.Important));

        // The one tier of each policy has fired, so each escalation also stopped (tiers exhausted), in
        // the same transaction: the stop travels on another queue, and whichever is written first, each
        // official is told of it after their tier, once.
        await magnets.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationStopped && e.IncidentId == sev2.Id);
        await batteries.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationStopped && e.IncidentId == sev3.Id);
        Assert.Equal([FeedEntryKind.EscalationTierReached, FeedEntryKind.EscalationStopped], magnets.Entries.OrderBy(e => e.Sequence).Select(e => e.Kind));
        Assert.Equal([FeedEntryKind.EscalationTierReached, FeedEntryKind.EscalationStopped], batteries.Entries.OrderBy(e => e.Sequence).Select(e => e.Kind));

        // Each official got the one tier that named them, nobody else got either.
        Assert.Single(magnets.Entries, e => e.Kind == FeedEntryKind.EscalationTierReached);
        Assert.Single(batteries.Entries, e => e.Kind == FeedEntryKind.EscalationTierReached);
        Assert.All(magnets.Entries, e => Assert.Equal(sev2.Id, e.IncidentId));
        Assert.All(batteries.Entries, e => Assert.Equal(sev3.Id, e.IncidentId));
        Assert.Empty(other.Entries);
        Assert.DoesNotContain(cn.Entries, e => e.Kind == FeedEntryKind.EscalationTierReached);
        var tierEntries = await _notifications.InDatabase(db => db.FeedEntries
            .Where(e => e.Kind == FeedEntryKind.EscalationTierReached && (e.IncidentId == sev2.Id || e.IncidentId == sev3.Id))
            .Select(e => new { e.UserId, e.IncidentId }).ToListAsync());
        Assert.Equal(
            new[] { (magnetsId, sev2.Id), (batteriesId, sev3.Id) }.OrderBy(t => t.Item1),
            tierEntries.Select(t => (t.UserId, t.IncidentId!.Value)).OrderBy(t => t.UserId));
    }

    [Fact]
    public async Task A_client_that_reconnects_with_the_last_sequence_it_saw_receives_what_it_missed_in_order_without_duplicates()
    {
        var (krFiler, cnOfficer) = (Name("kr-filer"), Name("cn-officer"));
        await _notifications.PersonAsync(krFiler, "KR", Officer);
        var cnId = await _notifications.PersonAsync(cnOfficer, "CN", Officer);
        var filer = incidents.App.ClientFor(krFiler, "KR", Officer);

        var first = await (await _notifications.ConnectionForAsync(cnOfficer, "CN", [Officer])).StartAsync();
        var before = await filer.FileAsync(Requests.Incident(title: $"Before the laptop closed {_run}"));
        await first.WaitForAsync(e => e.IncidentId == before.Id);
        var lastSeen = first.Connection.LastSequence;
        Assert.Equal(1, lastSeen);
        await first.DisposeAsync();

        // While the CN officer is away: two incidents and a comment.
        var away1 = await filer.FileAsync(Requests.Incident(title: $"While away 1 {_run}"));
        var away2 = await filer.FileAsync(Requests.Incident(title: $"While away 2 {_run}"));
        await CommentAsync(filer, before.Id, "Any news from the licensing office?", Visibility.Shared);
        await EventuallyAsync(() => _notifications.InDatabase(db => db.FeedEntries.CountAsync(e => e.UserId == cnId)).ContinueWith(t => t.Result == 4),
            "the three missed entries are in the CN officer's feed");

        var again = await (await _notifications.ConnectionForAsync(cnOfficer, "CN", [Officer], lastSequence: lastSeen)).StartAsync();
        _owned.Push(again);

        // StartAsync returns once the catch-up has been handed over: the missed entries, oldest first.
        Assert.Equal([2L, 3L, 4L], again.Entries.Select(e => e.Sequence));
        Assert.Equal(
            new HashSet<(Guid?, FeedEntryKind)> { (away1.Id, FeedEntryKind.IncidentReported), (away2.Id, FeedEntryKind.IncidentReported), (before.Id, FeedEntryKind.IncidentCommentAdded) },
            again.Entries.Select(e => (e.IncidentId, e.Kind)).ToHashSet());

        // And live again: the next one follows on, nothing is repeated.
        var after = await filer.FileAsync(Requests.Incident(title: $"After reconnecting {_run}"));
        var live = await again.WaitForAsync(e => e.IncidentId == after.Id);
        Assert.Equal(5, live.Sequence);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal([2L, 3L, 4L, 5L], again.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Two_replicas_on_one_broker_and_database_write_each_entry_once_and_every_client_receives_it_exactly_once()
    {
        var second = Replica(); // same database, same queue names: the feed queues are shared, the push queues are each replica's own
        var (krFiler, krColleague, cnOfficer, cnDeputy) = (Name("kr-filer"), Name("kr-colleague"), Name("cn-officer"), Name("cn-deputy"));
        await _notifications.PersonAsync(krFiler, "KR", Officer);
        var people = new Dictionary<string, string>
        {
            [krColleague] = await _notifications.PersonAsync(krColleague, "KR", Officer),
            [cnOfficer] = await _notifications.PersonAsync(cnOfficer, "CN", Officer),
            [cnDeputy] = await _notifications.PersonAsync(cnDeputy, "CN", Officer),
        };

        // The CN officer has two devices, one on each replica; the others one each, on either replica.
        var clients = new (string Person, PushRecorder Recorder)[]
        {
            (cnOfficer, await Pushes(_notifications, cnOfficer, "CN")),
            (cnOfficer, await Pushes(second, cnOfficer, "CN")),
            (cnDeputy, await Pushes(_notifications, cnDeputy, "CN")),
            (krColleague, await Pushes(second, krColleague, "KR")),
        };

        var filer = incidents.App.ClientFor(krFiler, "KR", Officer);
        var filed = new List<Guid>();
        for (var i = 1; i <= 6; i++)
        {
            filed.Add((await filer.FileAsync(Requests.Incident(title: $"Replica test {i} {_run}"))).Id);
        }

        foreach (var (person, recorder) in clients)
        {
            await EventuallyAsync(() => Task.FromResult(filed.All(id => recorder.Pushes.Any(e => e.IncidentId == id))), $"{person} received all six incidents");
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // a second push of any entry would come now
        foreach (var (person, recorder) in clients)
        {
            Assert.Equal(Enumerable.Range(1, 6).Select(s => (long)s), recorder.Pushes.Select(e => e.Sequence).Order());
            Assert.Equal(6, recorder.Pushes.Select(e => e.IncidentId).Distinct().Count());
        }

        var written = await _notifications.InDatabase(db => db.FeedEntries.Where(e => filed.Contains(e.IncidentId!.Value))
            .GroupBy(e => e.UserId).Select(g => new { UserId = g.Key, Count = g.Count() }).ToListAsync());
        // The directory holds every person of the deployment (replayed at start), not only this test's: each
        // of the test's people got each entry once, and nobody got one twice.
        Assert.Subset(written.Select(w => w.UserId).ToHashSet(), people.Values.ToHashSet());
        Assert.All(written, w => Assert.Equal(6, w.Count));
    }

    [Fact]
    public async Task The_feed_pages_newest_first_or_after_a_sequence_and_counts_and_marks_what_is_unread()
    {
        var (krFiler, cnOfficer) = (Name("kr-filer"), Name("cn-officer"));
        await _notifications.PersonAsync(krFiler, "KR", Officer);
        var cnId = await _notifications.PersonAsync(cnOfficer, "CN", Officer);
        var filer = incidents.App.ClientFor(krFiler, "KR", Officer);
        for (var i = 1; i <= 5; i++)
        {
            await filer.FileAsync(Requests.Incident(title: $"Feed page {i} {_run}"));
        }

        await EventuallyAsync(() => _notifications.InDatabase(db => db.FeedEntries.CountAsync(e => e.UserId == cnId)).ContinueWith(t => t.Result == 5), "five entries");
        var cn = await _notifications.ClientForAsync(cnOfficer, "CN", Officer);

        async Task<FeedPage> Page(string query) => (await cn.GetFromJsonAsync<FeedPage>($"/api/feed{query}", Requests.Json))!;
        static string Sequences(FeedPage page) => string.Join(",", page.Entries.Select(e => e.Sequence));

        var newest = await Page("?limit=2");
        Assert.Equal(("5,4", 4L, (long?)null), (Sequences(newest), newest.NextBefore, newest.NextAfter));
        var older = await Page($"?limit=2&before={newest.NextBefore}");
        Assert.Equal(("3,2", 2L), (Sequences(older), older.NextBefore));
        var oldest = await Page($"?limit=2&before={older.NextBefore}");
        Assert.Equal(("1", (long?)null), (Sequences(oldest), oldest.NextBefore));

        var catchUp = await Page("?after=0&limit=3");
        Assert.Equal(("1,2,3", 3L), (Sequences(catchUp), catchUp.NextAfter));
        var rest = await Page($"?after={catchUp.NextAfter}&limit=3");
        Assert.Equal(("4,5", (long?)null), (Sequences(rest), rest.NextAfter));

        Assert.Equal(new UnreadCount(5, 5), await cn.GetFromJsonAsync<UnreadCount>("/api/feed/unread", Requests.Json));
        var afterUpTo = await (await cn.PostAsJsonAsync("/api/feed/read", new { upTo = 3 })).ReadAsync<UnreadCount>();
        Assert.Equal(new UnreadCount(2, 5), afterUpTo);
        var unread = await Page("?unreadOnly=true");
        Assert.Equal("5,4", Sequences(unread));
        var afterOne = await (await cn.PostAsJsonAsync("/api/feed/read", new { sequences = new[] { 5 } })).ReadAsync<UnreadCount>();
        Assert.Equal(new UnreadCount(1, 5), afterOne);
        var readAgain = await (await cn.PostAsJsonAsync("/api/feed/read", new { upTo = 5 })).ReadAsync<UnreadCount>();
        Assert.Equal(new UnreadCount(0, 5), readAgain);
        Assert.All((await Page("")).Entries, e => Assert.NotNull(e.ReadAt));

        // Another person's feed is their own: the KR filer was told nothing of their own filings.
        var krFeed = await (await _notifications.ClientForAsync(krFiler, "KR", Officer)).GetFromJsonAsync<FeedPage>("/api/feed", Requests.Json);
        Assert.Empty(krFeed!.Entries);
    }

    private string Name(string name) => $"{name}-{_run}";

    private NotificationsApp Replica()
    {
        var replica = new NotificationsApp(_database.ConnectionString, _prefix);
        _owned.Push(replica);
        return replica.Start();
    }

    private async Task<RecordingConnection> Live(string name, string party, string role)
    {
        var connection = await (await _notifications.ConnectionForAsync(name, party, [role])).StartAsync();
        _owned.Push(connection);
        return connection;
    }

    private async Task<PushRecorder> Pushes(NotificationsApp replica, string name, string party)
    {
        var recorder = await PushRecorder.ConnectAsync(replica, await NotificationsApp.TokenAsync(name, party, Officer));
        _owned.Push(recorder);
        return recorder;
    }

    private static async Task CommentAsync(HttpClient client, Guid incidentId, string text, Visibility visibility)
    {
        var response = await client.PostAsJsonAsync($"/api/incidents/{incidentId}/comments", new { text, visibility = visibility.ToString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
