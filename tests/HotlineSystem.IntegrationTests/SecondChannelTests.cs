using HotlineSystem.ServiceDefaults.Input;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Identity.Registry;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>Incidents, Escalation and Notifications hosts of their own beside the shared Identity server, on PostgreSQL and RabbitMQ.</summary>
public sealed class SecondChannelFixture : IAsyncLifetime
{
    private readonly List<TestDatabase> _databases = [];

    public IncidentsApp Incidents { get; private set; } = null!;

    public EscalationApp Escalation { get; private set; } = null!;

    public NotificationsApp Notifications { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prefix = $"{Guid.NewGuid():N}"[..8];
        _databases.Add(await TestInfrastructure.CreateDatabaseAsync("second_incidents"));
        _databases.Add(await TestInfrastructure.CreateDatabaseAsync("second_escalation"));
        _databases.Add(await TestInfrastructure.CreateDatabaseAsync("second_notify"));
        Incidents = new IncidentsApp(_databases[0].ConnectionString, $"a{prefix}");
        Incidents.CreateClient().Dispose();
        Escalation = new EscalationApp(_databases[1].ConnectionString, $"b{prefix}").Start();
        Notifications = new NotificationsApp(_databases[2].ConnectionString, $"c{prefix}");
        Notifications.Start();
    }

    public async Task DisposeAsync()
    {
        await Notifications.DisposeAsync();
        await Escalation.DisposeAsync();
        await Incidents.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue 14, item 6: a second channel with no code change. The operator registers a new party; KR's
/// administrator proposes a channel with it and the party's administrator accepts; every service
/// learns it from the registry's events. A KR officer then works incidents on both channels, and CN
/// sees nothing of the new channel by any route: a 404, lists, counts, measures, the feed and the hub.
/// </summary>
public sealed class SecondChannelTests(SecondChannelFixture fixture) : IClassFixture<SecondChannelFixture>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);
    private static IdentityApp Identity => IncidentsApp.Identity;

    [Fact]
    public async Task A_new_party_s_channel_opens_by_consent_and_its_incidents_never_reach_the_third_party()
    {
        var run = $"{Guid.NewGuid():N}"[..6];
        var party = await UnusedPartyCodeAsync();
        var channel = $"KR-{party}";

        // The operator registers the party with its first administrator; KR proposes, the new party accepts.
        var registered = await (await Identity.OperatorAsync()).PostAsJsonAsync("/api/parties", new
        {
            code = party,
            englishName = "Socialist Republic of Viet Nam",
            nativeName = "Cộng hòa Xã hội chủ nghĩa Việt Nam",
            timeZone = "Asia/Ho_Chi_Minh",
            workingLanguage = "vi",
            administrator = new { userName = $"first-admin-{run}", displayName = "Nguyễn Văn An", password = "lotus-harbour-river-73" },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var krAdministrator = await IdentityClientAsync($"kr-admin-{run}", "KR", HotlineRoles.Administrator);
        var partnerAdministrator = await IdentityClientAsync($"admin-{run}", party, HotlineRoles.Administrator);
        Assert.Equal(HttpStatusCode.Created, (await krAdministrator.PostAsJsonAsync("/api/channels", new { counterpart = party, name = "Korea–partner rare-earth channel" })).StatusCode);
        Assert.Equal(ChannelStatus.Open, (await (await partnerAdministrator.PostAsync($"/api/channels/{channel}/acceptance", null)).ReadAsync<ChannelView>()).Status);

        // People: each service's directory learns them from Identity's events.
        var krOfficer = $"kr-officer-{run}";
        var cnOfficer = $"cn-officer-{run}";
        var partnerOfficer = $"officer-{run}";
        await fixture.Notifications.PersonAsync(krOfficer, "KR", HotlineRoles.LiaisonOfficer);
        await fixture.Notifications.PersonAsync(cnOfficer, "CN", HotlineRoles.LiaisonOfficer);
        await fixture.Notifications.PersonAsync(partnerOfficer, party, HotlineRoles.LiaisonOfficer);
        await using var cnHub = await (await fixture.Notifications.ConnectionForAsync(cnOfficer, "CN", [HotlineRoles.LiaisonOfficer])).StartAsync();

        // A KR officer works on both channels: the Incidents service learned the new channel from ChannelChanged.
        var kr = fixture.Incidents.ClientFor(krOfficer, "KR", HotlineRoles.LiaisonOfficer);
        var onNewChannel = await FiledWhenOpenAsync(kr, channel);
        var onKrCn = await kr.FileAsync(Requests.Incident(title: $"Dysprosium export licences delayed {run}"));
        var krList = await (await kr.GetAsync("/api/incidents?pageSize=100")).ReadAsync<PagedList<IncidentSummary>>();
        Assert.Contains(krList.Items, i => i.Id == onNewChannel.Id);
        Assert.Contains(krList.Items, i => i.Id == onKrCn.Id);

        // The partner's officer sees and acknowledges it; CN sees nothing of it.
        var partner = fixture.Incidents.ClientFor(partnerOfficer, party, HotlineRoles.LiaisonOfficer);
        var seen = await (await partner.GetAsync($"/api/incidents/{onNewChannel.Id}")).ReadAsync<IncidentDetails>();
        var acknowledged = await partner.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{onNewChannel.Id}/acknowledgement").WithIfMatch(seen.Version));
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var cn = fixture.Incidents.ClientFor(cnOfficer, "CN", HotlineRoles.LiaisonOfficer);
        await (await cn.GetAsync($"/api/incidents/{onNewChannel.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var cnList = await (await cn.GetAsync("/api/incidents?pageSize=100")).ReadAsync<PagedList<IncidentSummary>>();
        Assert.Contains(cnList.Items, i => i.Id == onKrCn.Id);
        Assert.DoesNotContain(cnList.Items, i => i.Channel == channel);
        var cnFiltered = await cn.GetAsync($"/api/incidents?channel={channel}");
        Assert.True(cnFiltered.StatusCode == HttpStatusCode.NotFound
            || (cnFiltered.StatusCode == HttpStatusCode.OK && (await cnFiltered.ReadAsync<PagedList<IncidentSummary>>()).TotalCount == 0));
        var cnCatalogue = await (await cn.GetAsync("/api/catalogue")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(channel, cnCatalogue.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{party}\"", cnCatalogue.GetRawText(), StringComparison.Ordinal);

        // Escalation: the escalation and the measures of the new channel are not there for CN; policies and rosters are per channel and party.
        var cnEscalation = fixture.Escalation.ClientFor(cnOfficer, "CN", HotlineRoles.LiaisonOfficer);
        await (await cnEscalation.GetAsync($"/api/escalations/{onNewChannel.Id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await cnEscalation.GetAsync($"/api/escalation-measures?channel={channel}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Escalation.ClientFor(krOfficer, "KR", HotlineRoles.LiaisonOfficer).GetAsync($"/api/escalation-measures?channel={channel}")).StatusCode);
        var krPolicies = fixture.Escalation.ClientFor($"kr-admin-{run}", "KR", HotlineRoles.Administrator);
        var policy = await krPolicies.PutAsJsonAsync($"/api/escalation-policies/{channel}/Sev1", new
        {
            tiers = new object[] { new { party, role = "LiaisonOfficer", wait = "00:30:00", important = true } },
            repeatLastTier = 1,
        });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var cnAdministrator = fixture.Escalation.ClientFor($"cn-admin-{run}", "CN", HotlineRoles.Administrator);
        await (await cnAdministrator.GetAsync($"/api/escalation-policies/{channel}/Sev1")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.DoesNotContain(channel, await (await cnAdministrator.GetAsync("/api/escalation-policies")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The new party's roster takes its time zone from the registry, not from code.
        var partnerEscalationAdmin = fixture.Escalation.ClientFor($"admin-{run}", party, HotlineRoles.Administrator);
        var partnerOfficerId = (await Identity.PersonAsync(partnerOfficer, party, HotlineRoles.LiaisonOfficer)).User.Id.ToString();
        var roster = await partnerEscalationAdmin.PutAsJsonAsync($"/api/duty-rosters/{party}/LiaisonOfficer", new
        {
            rotations = new[] { new { name = "weekdays", members = new[] { partnerOfficerId }, firstHandOff = "2027-01-04T09:00:00", shiftLength = "7.00:00:00" } },
        });
        Assert.Equal(HttpStatusCode.OK, roster.StatusCode);
        Assert.Equal("Asia/Ho_Chi_Minh", (await roster.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("timeZone").GetString());
        await (await cnAdministrator.GetAsync($"/api/duty-rosters/{party}/LiaisonOfficer")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        // Notifications: the partner's officer is told of the new channel's incident; CN's officer of KR-CN's only, in the feed, its count and the hub.
        var partnerFeed = await fixture.Notifications.ClientForAsync(partnerOfficer, party, HotlineRoles.LiaisonOfficer);
        await EventuallyAsync(async () => (await FeedAsync(partnerFeed)).Any(e => e.IncidentId == onNewChannel.Id));
        var cnFeedClient = await fixture.Notifications.ClientForAsync(cnOfficer, "CN", HotlineRoles.LiaisonOfficer);
        await EventuallyAsync(async () => (await FeedAsync(cnFeedClient)).Any(e => e.IncidentId == onKrCn.Id));
        await cnHub.WaitForAsync(e => e.IncidentId == onKrCn.Id, Delivery);
        var cnFeed = await FeedAsync(cnFeedClient);
        Assert.DoesNotContain(cnFeed, e => e.IncidentId == onNewChannel.Id || e.Channel == channel);
        Assert.DoesNotContain(cnHub.Entries, e => e.IncidentId == onNewChannel.Id || e.Channel == channel);
        var unread = await (await cnFeedClient.GetAsync("/api/feed/unread")).ReadAsync<UnreadCount>();
        Assert.Equal(cnFeed.Count, unread.Unread);

        // The new party's administrator manages the new party's people only.
        var partnerUsers = await partnerAdministrator.GetFromJsonAsync<JsonElement>("/api/users?pageSize=200");
        Assert.All(partnerUsers.GetProperty("items").EnumerateArray(), u => Assert.Equal(party, u.GetProperty("party").GetString()));
        var krOfficerId = (await Identity.PersonAsync(krOfficer, "KR", HotlineRoles.LiaisonOfficer)).User.Id;
        await (await partnerAdministrator.GetAsync($"/api/users/{krOfficerId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    private static async Task<HttpClient> IdentityClientAsync(string name, string party, string role)
    {
        var client = new HttpClient { BaseAddress = Identity.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", await Identity.AccessTokenAsync(name, party, [role], "openid profile identity"));
        return client;
    }

    /// <summary>Files on the channel once the Incidents service has heard it opened (ChannelChanged over the broker).</summary>
    private static async Task<IncidentDetails> FiledWhenOpenAsync(HttpClient officer, string channel)
    {
        var requestId = Guid.NewGuid();
        var deadline = DateTimeOffset.UtcNow + Delivery;
        while (true)
        {
            var response = await officer.PostAsJsonAsync("/api/incidents", Requests.Incident(requestId, title: "Terbium oxide shipment held at Hai Phong", channel: channel));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return await response.ReadAsync<IncidentDetails>();
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Filing on {channel} still refused after {Delivery.TotalSeconds} s: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }

    private static async Task<List<FeedEntry>> FeedAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/feed?limit=200")).ReadAsync<FeedPage>()).Entries];

    private static async Task EventuallyAsync(Func<Task<bool>> holds)
    {
        var deadline = DateTimeOffset.UtcNow + Delivery;
        while (!await holds())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "not delivered in time");
            await Task.Delay(200);
        }
    }

    private static async Task<string> UnusedPartyCodeAsync()
    {
        var taken = await Identity.InDatabase(db => db.Parties.Select(p => p.Code).ToListAsync());
        var random = new Random();
        while (true)
        {
            var code = $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}";
            if (!taken.Contains(code))
            {
                return code;
            }
        }
    }
}
