using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;
using static HotlineSystem.IntegrationTests.Infrastructure.NotificationHubConnections;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Issue 5: who may connect to the notification hub, call its methods and read a feed. Clients are
/// the .NET SignalR client over real WebSockets to the real host on Kestrel, with tokens of the real
/// Identity service or minted with its key. Every refusal has a control that is let in.
/// </summary>
public sealed class NotificationSecurityTests(IncidentsAppFixture incidents, NotificationsHostFixture notifications, ITestOutputHelper output)
    : IClassFixture<IncidentsAppFixture>, IClassFixture<NotificationsHostFixture>
{
    private const string LiaisonOfficer = HotlineRoles.LiaisonOfficer;
    private const string Administrator = HotlineRoles.Administrator;

    private NotificationsApp App => notifications.App;

    public static TheoryData<string, HttpStatusCode> RefusedTokens => new()
    {
        { "none", HttpStatusCode.Unauthorized },
        { "expired an hour ago", HttpStatusCode.Unauthorized },
        { "for incidents-api only (minted)", HttpStatusCode.Unauthorized },
        { "for incidents-api only (from the Identity service)", HttpStatusCode.Unauthorized },
        { "from another issuer", HttpStatusCode.Unauthorized },
        { "signed by a foreign key under the server's key id", HttpStatusCode.Unauthorized },
        { "unsigned (alg none)", HttpStatusCode.Unauthorized },
        { "without a party", HttpStatusCode.Forbidden },
        { "without a role", HttpStatusCode.Forbidden },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_hub_connection_with_a_bad_token_is_refused_at_negotiation_and_at_the_WebSocket_while_the_valid_one_connects(
        string token, HttpStatusCode status)
    {
        var minted = await MintedAsync("hub-token");
        var refusedToken = await VariantAsync(minted, token);

        await using var control = App.HubConnection(minted.Token());
        await control.StartAsync();
        var controlCatchUp = await control.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);
        await using var refused = App.HubConnection(refusedToken);
        var negotiation = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());

        Assert.NotNull(controlCatchUp);
        Assert.Equal(status, negotiation.StatusCode);
        Assert.Equal(HubConnectionState.Disconnected, refused.State);
        // Without negotiation (a client may open the WebSocket straight away), the upgrade itself is refused.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketUpgradeAsync(minted.Token()));
        Assert.Equal(status, await WebSocketUpgradeAsync(refusedToken));
    }

    [Fact]
    public async Task A_liaison_officer_cannot_check_the_line_and_an_administrator_only_a_known_channel_of_their_party_which_reaches_that_channels_consoles_only()
    {
        await ChannelsKnownAsync();
        await using var krAdministrator = await ConsoleAsync("line-kr-admin", "KR", Administrator);
        await using var krOfficer = await ConsoleAsync("line-kr-officer", "KR", LiaisonOfficer);
        await using var cnOfficer = await ConsoleAsync("line-cn-officer", "CN", LiaisonOfficer);
        await using var vnOfficer = await ConsoleAsync("line-vn-officer", "VN", LiaisonOfficer);
        string?[] notKrsChannels = ["CN-VN", "CN-KR", "kr-cn", "KR", "KR-", "KR-KR", "KR-XX", "KR-CN-VN", "", null, new string('K', 21)];

        var byOfficer = await Assert.ThrowsAsync<HubException>(() => krOfficer.Connection.CheckLineAsync("KR-CN"));
        var refusals = new List<(string? Channel, string Message)>();
        foreach (var channel in notKrsChannels)
        {
            refusals.Add((channel, (await Assert.ThrowsAsync<HubException>(() => krAdministrator.Connection.CheckLineAsync(channel!))).Message));
        }

        var krCn = await krAdministrator.Connection.CheckLineAsync("KR-CN");
        var krVn = await krAdministrator.Connection.CheckLineAsync("KR-VN");
        // The refused calls came first: had any been published, it would have arrived before these two.
        await EventuallyAsync(
            () => Task.FromResult(Received(krAdministrator).Count >= 2 && Received(krOfficer).Count >= 2
                && Received(cnOfficer).Contains(krCn.CheckId) && Received(vnOfficer).Contains(krVn.CheckId)),
            "the two checks at every console of their channels");

        output.WriteLine($"officer: {byOfficer.Message}");
        refusals.ForEach(r => output.WriteLine($"'{r.Channel}': {r.Message}"));
        Assert.Contains("unauthorized", byOfficer.Message, StringComparison.Ordinal);
        Assert.All(refusals, r => Assert.Contains("not-your-channel", r.Message, StringComparison.Ordinal));
        Assert.Equal(("KR-CN", "KR"), (krCn.Channel, krCn.Party));
        Assert.Equal(new[] { krCn.CheckId, krVn.CheckId }.Order(), Received(krAdministrator).Order());
        Assert.Equal(new[] { krCn.CheckId, krVn.CheckId }.Order(), Received(krOfficer).Order());
        Assert.Equal([krCn.CheckId], Received(cnOfficer));
        Assert.Equal([krVn.CheckId], Received(vnOfficer));
    }

    [Fact]
    public async Task A_token_in_the_query_string_is_ignored_by_the_feed_API_and_taken_only_on_the_hub_path()
    {
        var name = notifications.Name("query-cn");
        var userId = await App.PersonAsync(name, "CN", LiaisonOfficer);
        var filed = await incidents.App.ClientFor(notifications.Name("query-kr"), "KR", LiaisonOfficer).FileAsync(Requests.Incident(title: "Query token: Tb held at Qingdao"));
        await EventuallyAsync(() => App.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == userId && e.IncidentId == filed.Id)), "the CN officer's entry");
        var token = await NotificationsApp.TokenAsync(name, "CN", LiaisonOfficer);
        using var client = new HttpClient { BaseAddress = App.BaseAddress };
        var query = $"access_token={Uri.EscapeDataString(token)}";

        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/feed");
        withHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var control = await client.SendAsync(withHeader);
        var list = await client.GetAsync($"/api/feed?{query}");
        var unread = await client.GetAsync($"/api/feed/unread?{query}");
        var markRead = await client.PostAsJsonAsync($"/api/feed/read?{query}", new { upTo = 1000 });
        // No header on the hub path either, only ?access_token= : what SignalR's JavaScript client sends.
        await using var webSocket = App.HubConnection(token: null, HttpTransportType.WebSockets, skipNegotiation: true, queryToken: token);
        await webSocket.StartAsync();
        var overWebSocket = await webSocket.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);
        await using var longPolling = App.HubConnection(token: null, HttpTransportType.LongPolling, queryToken: token);
        await longPolling.StartAsync();
        var overLongPolling = await longPolling.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);
        await using var forged = App.HubConnection(token: null, HttpTransportType.LongPolling, queryToken: token[..^4] + "AAAA");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => forged.StartAsync());

        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        await list.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await unread.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await markRead.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.False(await App.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == userId && e.ReadAt != null)));
        Assert.Contains(overWebSocket.Entries, e => e.IncidentId == filed.Id);
        Assert.Contains(overLongPolling.Entries, e => e.IncidentId == filed.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_connection_is_closed_when_its_access_token_expires_while_one_with_a_longer_token_stays()
    {
        var minted = await MintedAsync("hub-expiry");
        var now = DateTime.UtcNow;
        // exp is whole seconds; long enough ahead for a busy machine to connect and call once before it.
        var expires = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddSeconds(15);
        await using var expiring = App.HubConnection((minted with { IssuedAt = now, Expires = expires }).Token());
        await using var lasting = App.HubConnection(minted.Token());
        var closed = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
        expiring.Closed += _ =>
        {
            closed.TrySetResult(DateTime.UtcNow);
            return Task.CompletedTask;
        };

        await expiring.StartAsync();
        await lasting.StartAsync();
        var beforeExpiry = await expiring.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);
        var calledAt = DateTime.UtcNow;
        var closedAt = await closed.Task.WaitAsync(TimeSpan.FromSeconds(90));
        var afterwards = await lasting.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);

        output.WriteLine($"called {calledAt:HH:mm:ss.fff}, expires {expires:HH:mm:ss}, closed {closedAt:HH:mm:ss.fff}");
        Assert.NotNull(beforeExpiry);
        Assert.True(calledAt < expires, "The machine took too long to connect: the token expired before the first call.");
        Assert.True(closedAt >= expires, $"Closed at {closedAt:O}, before the token expired at {expires:O}");
        Assert.Equal(HubConnectionState.Disconnected, expiring.State);
        Assert.Equal(HubConnectionState.Connected, lasting.State);
        Assert.NotNull(afterwards);
    }

    [Fact]
    public async Task Each_person_reads_only_their_own_feed_through_the_API_and_the_hub_and_marks_only_their_own_entries_read()
    {
        var (krA, krB, cn) = (notifications.Name("own-kr-a"), notifications.Name("own-kr-b"), notifications.Name("own-cn"));
        var people = new[]
        {
            (Name: krA, Party: "KR", UserId: await App.PersonAsync(krA, "KR", LiaisonOfficer)),
            (Name: krB, Party: "KR", UserId: await App.PersonAsync(krB, "KR", LiaisonOfficer)),
            (Name: cn, Party: "CN", UserId: await App.PersonAsync(cn, "CN", LiaisonOfficer)),
        };

        // KR's officer A files; CN acknowledges; KR's officer B comments for KR only.
        var filed = await incidents.App.ClientFor(krA, "KR", LiaisonOfficer).FileAsync(Requests.Incident(title: "Own feeds: NdFeB held at Dalian"));
        var acknowledged = await incidents.App.ClientFor(cn, "CN", LiaisonOfficer)
            .SendAsync(Requests.Post($"/api/incidents/{filed.Id}/acknowledgement").WithIfMatch(filed.Version));
        var commented = await incidents.App.ClientFor(krB, "KR", LiaisonOfficer)
            .PostAsJsonAsync($"/api/incidents/{filed.Id}/comments", new { text = "KR only: our stock lasts three weeks", visibility = "Internal" });
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, commented.StatusCode);
        var expected = new Dictionary<string, FeedEntryKind[]>
        {
            [krA] = [FeedEntryKind.IncidentAcknowledged, FeedEntryKind.IncidentCommentAdded],
            [krB] = [FeedEntryKind.IncidentReported, FeedEntryKind.IncidentAcknowledged],
            [cn] = [FeedEntryKind.IncidentReported],
        };
        await EventuallyAsync(
            async () => (await StoredAsync(people.Select(p => p.UserId))).Count(e => e.IncidentId == filed.Id) == expected.Values.Sum(kinds => kinds.Length),
            "the five entries of the incident");

        foreach (var person in people)
        {
            var stored = (await StoredAsync([person.UserId])).Select(View).ToList();
            using var client = await App.ClientForAsync(person.Name, person.Party, LiaisonOfficer);
            var page = await client.GetFromJsonAsync<FeedPage>("/api/feed?limit=200", Requests.Json);
            await using var hub = App.HubConnection(await NotificationsApp.TokenAsync(person.Name, person.Party, LiaisonOfficer));
            await hub.StartAsync();
            var caughtUp = await hub.InvokeAsync<CatchUp>(NotificationHubProtocol.CatchUpMethod, 0L);

            Assert.Equal(stored.OrderByDescending(e => e.Sequence), page!.Entries.Select(View));
            Assert.Equal(stored.OrderBy(e => e.Sequence), caughtUp.Entries.Select(View));
            Assert.Equal(expected[person.Name].Order(), page.Entries.Where(e => e.IncidentId == filed.Id).Select(e => e.Kind).Order());
        }

        var cnFeed = await StoredAsync([people[2].UserId]);
        Assert.DoesNotContain(cnFeed, e => e.Visibility == Visibility.Internal);

        // B marks everything read: their own entries, numbered 1, 2 ... as everyone's are, and no one else's.
        using var krBClient = await App.ClientForAsync(krB, "KR", LiaisonOfficer);
        var marked = await krBClient.PostAsJsonAsync("/api/feed/read", new { upTo = long.MaxValue });
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        var others = new[] { people[0].UserId, people[2].UserId };
        Assert.Equal(0, (await marked.ReadAsync<UnreadCount>()).Unread);
        Assert.False(await App.InDatabase(db => db.FeedEntries.AnyAsync(e => e.UserId == people[1].UserId && e.ReadAt == null)));
        Assert.False(await App.InDatabase(db => db.FeedEntries.AnyAsync(e => others.Contains(e.UserId) && e.ReadAt != null)));
    }

    private static (long Sequence, FeedEntryKind Kind, Guid? IncidentId, Visibility Visibility, string Title) View(FeedEntry e) =>
        (e.Sequence, e.Kind, e.IncidentId, e.Visibility, e.Title);

    private Task<List<FeedEntry>> StoredAsync(IEnumerable<string> userIds)
    {
        var ids = userIds.ToList();
        return App.InDatabase(async db => (await db.FeedEntries.AsNoTracking().Where(e => ids.Contains(e.UserId)).ToListAsync())
            .Select(e => e.ToContract()).ToList());
    }

    private static List<Guid> Received(RecordingConnection console) => console.LineChecks.Select(c => c.CheckId).ToList();

    /// <summary>A started console of the person (the typed client), recording the line checks it receives.</summary>
    private async Task<RecordingConnection> ConsoleAsync(string name, string party, string role) =>
        await (await App.ConnectionForAsync(notifications.Name(name), party, [role])).StartAsync();

    /// <summary>
    /// KR–CN, KR–VN and CN–VN are channels of the Incidents catalogue, and the Notifications service has
    /// seen an event of each: consoles that connect now join those channels' groups.
    /// </summary>
    private Task ChannelsKnownAsync() => notifications.OnceAsync("channels", async () =>
    {
        await incidents.App.InDatabase(db =>
        {
            db.Channels.Add(new Channel("CN-VN", "CN", "VN", "China–Viet Nam rare-earth partnership"));
            return db.SaveChangesAsync();
        });
        incidents.App.Services.GetRequiredService<CatalogueCache>().Invalidate();
        foreach (var (channel, party) in new[] { ("KR-CN", "KR"), ("KR-VN", "KR"), ("CN-VN", "CN") })
        {
            var incident = JsonSerializer.SerializeToNode(Requests.Incident(title: $"Line check: {channel}"), Requests.Json)!.AsObject();
            incident["channel"] = channel;
            await incidents.App.ClientFor(notifications.Name($"line-{party}"), party, LiaisonOfficer).FileAsync(incident);
        }

        string[] codes = ["KR-CN", "KR-VN", "CN-VN"];
        await EventuallyAsync(() => App.InDatabase(async db => await db.Channels.CountAsync(c => codes.Contains(c.Code)) == codes.Length),
            "the three channels known to the Notifications service");
        return codes;
    });

    /// <summary>A minted token of a KR liaison officer for this API, accepted as it is.</summary>
    private static async Task<Minting> MintedAsync(string name)
    {
        var identity = NotificationsApp.Identity;
        var (person, _) = await identity.PersonAsync(name, "KR", LiaisonOfficer);
        return await Minting.ForAsync(identity, person, NotificationsModule.Audience, NotificationsApp.Scope);
    }

    private static async Task<string?> VariantAsync(Minting minted, string variant)
    {
        var now = DateTime.UtcNow;
        switch (variant)
        {
            case "none":
                return null;
            case "expired an hour ago":
                return (minted with { IssuedAt = now.AddHours(-2), Expires = now.AddHours(-1) }).Token();
            case "for incidents-api only (minted)":
                return (minted with { Audience = "incidents-api" }).Token();
            case "for incidents-api only (from the Identity service)":
                return await NotificationsApp.Identity.AccessTokenAsync("hub-token", "KR", [LiaisonOfficer], "openid profile incidents");
            case "from another issuer":
                return (minted with { Issuer = "https://identity.hotline.example/" }).Token();
            case "signed by a foreign key under the server's key id":
                using (var foreign = RSA.Create(2048))
                {
                    var key = new RsaSecurityKey(foreign) { KeyId = minted.Signing!.Key.KeyId };
                    return (minted with { Signing = new SigningCredentials(key, SecurityAlgorithms.RsaSha256) }).Token();
                }

            case "unsigned (alg none)":
                return (minted with { Signing = null }).Token();
            case "without a party":
                return (minted with { Claims = new(minted.Claims.Where(c => c.Key != HotlineClaims.Party)) }).Token();
            case "without a role":
                return (minted with { Claims = new(minted.Claims.Where(c => c.Key != HotlineClaims.Role)) }).Token();
            default:
                throw new ArgumentOutOfRangeException(nameof(variant), variant, null);
        }
    }

    /// <summary>Opens the hub's WebSocket directly (no negotiation) with the token in the header: the status of the upgrade.</summary>
    private async Task<HttpStatusCode> WebSocketUpgradeAsync(string? token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        try
        {
            await socket.ConnectAsync(new UriBuilder(new Uri(App.BaseAddress, NotificationHubProtocol.Path)) { Scheme = "ws" }.Uri, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols)
        {
            // Refused at the upgrade: the status says by what.
        }

        return socket.HttpStatusCode;
    }
}
