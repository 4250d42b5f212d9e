using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Registry;
using HotlineSystem.Identity.Registry;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>An Identity host of its own (parties registered here stay here), with the deployment's operator as a tool client.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public IdentityApp Identity { get; private set; } = null!;

    public ProbeService Probe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("registry");
        var prefix = $"r{Guid.NewGuid():N}"[..10];
        Identity = new IdentityApp(_database.ConnectionString, prefix).Start();
        Probe = await ProbeService.StartAsync(prefix);
    }

    public async Task DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Identity.DisposeAsync();
        await _database.DisposeAsync();
    }

    public Task<HttpClient> OperatorAsync() => Identity.OperatorAsync();

    public async Task<HttpClient> PersonAsync(string party, string role) =>
        Client(await Identity.AccessTokenAsync("registry", party, [role], "openid profile identity"));

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Identity.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>
/// The registry of parties and channels through the real Identity host, PostgreSQL and broker: the
/// operator registers a party with its first administrator; a channel opens only when the other
/// party's administrator accepts; a party sees only its own channels and partners; every change is
/// announced through the outbox, and a replay request announces everything again.
/// </summary>
public sealed class RegistryTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private static object NewParty(string code, string administrator) => new
    {
        code,
        englishName = "Socialist Republic of Viet Nam",
        nativeName = "Cộng hòa Xã hội chủ nghĩa Việt Nam",
        timeZone = "Asia/Ho_Chi_Minh",
        workingLanguage = "vi",
        administrator = new { userName = administrator, displayName = "Nguyễn Văn An (MOIT)", password = "lotus-harbour-river-73" },
    };

    [Fact]
    public async Task The_seed_holds_the_configured_parties_and_their_open_channel_announced_through_the_outbox()
    {
        var kr = await fixture.PersonAsync("KR", HotlineRoles.LiaisonOfficer);

        var parties = await (await kr.GetAsync("/api/parties")).ReadAsync<List<PartyView>>();
        var channels = await (await kr.GetAsync("/api/channels")).ReadAsync<List<ChannelView>>();

        Assert.Contains(parties, p => p is { Code: "KR", TimeZone: "Asia/Seoul", WorkingLanguage: "ko", NativeName: "대한민국" });
        Assert.Contains(parties, p => p is { Code: "CN", TimeZone: "Asia/Shanghai", WorkingLanguage: "zh-Hans" });
        Assert.Contains(channels, c => c is { Code: "KR-CN", Status: ChannelStatus.Open });
        Assert.True(await fixture.Identity.InDatabase(db => db.OutboxMessages.AnyAsync(m => m.MessageType == typeof(ChannelChanged).FullName)));
    }

    [Fact]
    public async Task Only_the_operator_registers_a_party_with_its_first_administrator_who_then_manages_that_party_only()
    {
        var code = await UnusedPartyCodeAsync();
        var krAdministrator = await fixture.PersonAsync("KR", HotlineRoles.Administrator);

        var refused = await krAdministrator.PostAsJsonAsync("/api/parties", NewParty(code, $"admin-{code.ToLowerInvariant()}-x"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var response = await (await fixture.OperatorAsync()).PostAsJsonAsync("/api/parties", NewParty(code, $"admin-{code.ToLowerInvariant()}"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var registered = await response.ReadAsync<RegisteredParty>();
        Assert.Equal((code, "Asia/Ho_Chi_Minh", "vi", 1), (registered.Party.Code, registered.Party.TimeZone, registered.Party.WorkingLanguage, registered.Party.Version));
        Assert.Equal(code, registered.Administrator.Party);
        Assert.Equal([HotlineRoles.Administrator], registered.Administrator.Roles);

        var again = await (await fixture.OperatorAsync()).PostAsJsonAsync("/api/parties", NewParty(code, $"admin-{code.ToLowerInvariant()}-2"));
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "party-exists");

        // The new administrator signs in with the password the operator gave, and sees their own party's people only.
        var tokens = await SignInDriver.AuthorizationCodeAsync(fixture.Identity.BaseAddress,
            new Credentials($"admin-{code.ToLowerInvariant()}", "lotus-harbour-river-73"), "openid profile identity");
        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Theory]
    [InlineData("code", "vn", "invalid-party-code")]
    [InlineData("timeZone", "Saigon", "unknown-time-zone")]
    [InlineData("workingLanguage", "xx-Nowhere", "unknown-language")]
    public async Task A_party_with_a_bad_field_is_refused_at_that_field_and_nothing_is_written(string field, string value, string code)
    {
        var party = UnusedCode();
        var body = new Dictionary<string, object>
        {
            ["code"] = party,
            ["englishName"] = "Lao People's Democratic Republic",
            ["nativeName"] = "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ",
            ["timeZone"] = "Asia/Vientiane",
            ["workingLanguage"] = "lo",
            ["administrator"] = new { userName = $"admin-{party.ToLowerInvariant()}", displayName = "Administrator", password = "lotus-harbour-river-73" },
        };
        body[field] = value;
        var before = await fixture.Identity.InDatabase(db => db.Parties.CountAsync());

        var response = await (await fixture.OperatorAsync()).PostAsJsonAsync("/api/parties", body);

        await response.AssertFieldErrorAsync(field, code);
        Assert.Equal(before, await fixture.Identity.InDatabase(db => db.Parties.CountAsync()));
    }

    [Fact]
    public async Task A_channel_opens_only_when_the_other_partys_administrator_accepts_and_the_third_party_never_sees_it()
    {
        var code = await UnusedPartyCodeAsync();
        Assert.Equal(HttpStatusCode.Created, (await (await fixture.OperatorAsync()).PostAsJsonAsync("/api/parties", NewParty(code, $"admin-{code.ToLowerInvariant()}"))).StatusCode);
        var kr = await fixture.PersonAsync("KR", HotlineRoles.Administrator);
        var cn = await fixture.PersonAsync("CN", HotlineRoles.Administrator);
        var partner = await fixture.PersonAsync(code, HotlineRoles.Administrator);
        var channel = $"KR-{code}";

        var proposed = await kr.PostAsJsonAsync("/api/channels", new { counterpart = code, name = "Korea–partner rare-earth diversification channel" });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        Assert.Equal((channel, ChannelStatus.Proposed, "KR"), await proposed.ReadAsync<ChannelView>() is var p ? (p.Code, p.Status, p.ProposedBy) : default);

        await (await kr.PostAsync($"/api/channels/{channel}/acceptance", null)).AssertProblemAsync(HttpStatusCode.Conflict, "own-proposal");
        await (await cn.PostAsync($"/api/channels/{channel}/acceptance", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await partner.PostAsJsonAsync("/api/channels", new { counterpart = "KR", name = "The same pair again" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "channel-exists");

        var accepted = await partner.PostAsync($"/api/channels/{channel}/acceptance", null);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(ChannelStatus.Open, (await accepted.ReadAsync<ChannelView>()).Status);

        // CN sees neither the channel nor that the partner exists.
        var cnOfficer = await fixture.PersonAsync("CN", HotlineRoles.LiaisonOfficer);
        Assert.DoesNotContain(await (await cnOfficer.GetAsync("/api/channels")).ReadAsync<List<ChannelView>>(), c => c.Code == channel);
        Assert.DoesNotContain(await (await cnOfficer.GetAsync("/api/parties")).ReadAsync<List<PartyView>>(), p => p.Code == code);
        Assert.Contains(await (await kr.GetAsync("/api/parties")).ReadAsync<List<PartyView>>(), p => p.Code == code);

        // Either party suspends; reopening needs both again.
        Assert.Equal(ChannelStatus.Suspended, (await (await partner.PostAsync($"/api/channels/{channel}/suspension", null)).ReadAsync<ChannelView>()).Status);
        Assert.Equal(ChannelStatus.Proposed, (await (await partner.PostAsync($"/api/channels/{channel}/proposal", null)).ReadAsync<ChannelView>()).Status);
        await (await partner.PostAsync($"/api/channels/{channel}/acceptance", null)).AssertProblemAsync(HttpStatusCode.Conflict, "own-proposal");
        Assert.Equal(ChannelStatus.Open, (await (await kr.PostAsync($"/api/channels/{channel}/acceptance", null)).ReadAsync<ChannelView>()).Status);

        var announced = await fixture.Identity.InDatabase(db => db.OutboxMessages.Where(m => m.MessageType == typeof(ChannelChanged).FullName).ToListAsync());
        var statuses = announced.Select(m => (ChannelChanged)MessageSerialization.Deserialize(m.Body, typeof(ChannelChanged))).Where(c => c.Code == channel).OrderBy(c => c.Version).Select(c => c.Status);
        Assert.Equal([ChannelStatus.Proposed, ChannelStatus.Open, ChannelStatus.Suspended, ChannelStatus.Proposed, ChannelStatus.Open], statuses);
    }

    [Fact]
    public async Task A_replay_request_announces_every_party_channel_and_person_again_at_their_current_versions()
    {
        await fixture.PersonAsync("CN", HotlineRoles.Official);
        var (parties, channels, people) = await fixture.Identity.InDatabase(async db =>
            (await db.Parties.CountAsync(), await db.Channels.CountAsync(), await db.Users.CountAsync()));
        var since = DateTimeOffset.UtcNow;

        await fixture.Probe.Bus.Publish(new DirectoryReplayRequested(Guid.NewGuid(), "test", since));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> types;
        do
        {
            await Task.Delay(200);
            types = await fixture.Identity.InDatabase(db => db.OutboxMessages.Where(m => m.CreatedAt >= since).Select(m => m.MessageType).ToListAsync());
        }
        while (types.Count < parties + channels + people && DateTime.UtcNow < deadline);

        Assert.Equal(parties, types.Count(t => t == typeof(PartyChanged).FullName));
        Assert.Equal(channels, types.Count(t => t == typeof(ChannelChanged).FullName));
        Assert.True(types.Count(t => t == typeof(HotlineSystem.Contracts.Identity.UserAccountChanged).FullName) >= people);
    }

    private static string UnusedCode() => $"Q{(char)('A' + Random.Shared.Next(26))}";

    private async Task<string> UnusedPartyCodeAsync()
    {
        while (true)
        {
            var code = UnusedCode();
            if (!await fixture.Identity.InDatabase(db => db.Parties.AnyAsync(p => p.Code == code)))
            {
                return code;
            }
        }
    }
}
