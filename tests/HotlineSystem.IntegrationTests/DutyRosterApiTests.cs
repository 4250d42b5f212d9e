using System.Net;
using System.Net.Http.Json;
using System.Text;
using HotlineSystem.Escalation.Rosters;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// One Escalation host for the roster tests, with people of KR and CN announced by the real Identity
/// service over the broker, and a clock the tests can move.
/// </summary>
public sealed class DutyRosterApiFixture : IAsyncLifetime
{
    private readonly string _suffix = $"{Guid.NewGuid():N}"[..6];
    private TestDatabase _database = null!;

    public EscalationApp App { get; private set; } = null!;

    public MovableClock Clock { get; } = new();

    public string KrOfficer1 { get; private set; } = "";

    public string KrOfficer2 { get; private set; } = "";

    public string KrCommitteeMember { get; private set; } = "";

    public string CnOfficer1 { get; private set; } = "";

    public string CnOfficer2 { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("rosters");
        App = new EscalationApp(_database.ConnectionString, $"r{Guid.NewGuid():N}"[..10], time: Clock).Start();
        KrOfficer1 = await App.PersonAsync($"kr-duty-1-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);
        KrOfficer2 = await App.PersonAsync($"kr-duty-2-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);
        KrCommitteeMember = await App.PersonAsync($"kr-member-{_suffix}", "KR", HotlineRoles.CommitteeMember);
        CnOfficer1 = await App.PersonAsync($"cn-duty-1-{_suffix}", "CN", HotlineRoles.LiaisonOfficer);
        CnOfficer2 = await App.PersonAsync($"cn-duty-2-{_suffix}", "CN", HotlineRoles.LiaisonOfficer);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }

    public HttpClient KrAdministrator() => App.ClientFor($"kr-admin-{_suffix}", "KR", HotlineRoles.Administrator);

    public HttpClient CnAdministrator() => App.ClientFor($"cn-admin-{_suffix}", "CN", HotlineRoles.Administrator);

    public HttpClient KrOfficer() => App.ClientFor($"kr-duty-1-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);

    public HttpClient KrOfficial() => App.ClientFor($"kr-official-{_suffix}", "KR", HotlineRoles.Official);

    public HttpClient KrCommittee() => App.ClientFor($"kr-member-{_suffix}", "KR", HotlineRoles.CommitteeMember);
}

/// <summary>
/// Administrators keep their party's duty rosters through the API; who is on duty follows the
/// hand-offs in each party's own time zone; bad input is refused naming the field; another party's
/// roster does not exist for the caller.
/// </summary>
public sealed class DutyRosterApiTests(DutyRosterApiFixture fixture) : IClassFixture<DutyRosterApiFixture>
{
    private const string KrOfficers = "/api/duty-rosters/KR/LiaisonOfficer";
    private const string CnOfficers = "/api/duty-rosters/CN/LiaisonOfficer";

    private static object Nightly(params string[] members) => new
    {
        rotations = new[] { new { name = "Nights", members, firstHandOff = "2026-12-01T00:00:00", shiftLength = "1.00:00:00" } },
    };

    private async Task<DutyRosterView> PutAsync(HttpClient client, string uri, object body)
    {
        var response = await client.PutAsJsonAsync(uri, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<DutyRosterView>();
    }

    private static async Task<OnDutyView> OnDutyAsync(HttpClient client, string uri, string? at = null)
    {
        var response = await client.GetAsync(at is null ? $"{uri}/on-duty" : $"{uri}/on-duty?at={Uri.EscapeDataString(at)}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<OnDutyView>();
    }

    [Fact]
    public async Task An_administrator_puts_the_roster_of_their_party_and_reads_it_back_in_the_party_s_time_zone()
    {
        var admin = fixture.KrAdministrator();

        var put = await PutAsync(admin, KrOfficers, Nightly(fixture.KrOfficer1, fixture.KrOfficer2));
        var read = await admin.GetFromJsonAsync<DutyRosterView>(KrOfficers, Requests.Json);

        Assert.Equal(("KR", "LiaisonOfficer", "Asia/Seoul"), (read!.Party, read.Role, read.TimeZone));
        Assert.Equal([fixture.KrOfficer1, fixture.KrOfficer2], read.Rotations.Single().Members);
        Assert.Equal(new DateTime(2026, 12, 1, 0, 0, 0), read.Rotations.Single().FirstHandOff);
        Assert.Equal(put.Version, read.Version);
    }

    [Fact]
    public async Task At_15_30_UTC_the_KR_officer_on_duty_has_handed_off_at_midnight_KST_while_the_CN_one_has_not_at_midnight_CST()
    {
        await PutAsync(fixture.KrAdministrator(), KrOfficers, Nightly(fixture.KrOfficer1, fixture.KrOfficer2));
        await PutAsync(fixture.CnAdministrator(), CnOfficers, Nightly(fixture.CnOfficer1, fixture.CnOfficer2));

        var kr = await OnDutyAsync(fixture.KrOfficer(), KrOfficers, "2026-12-01T15:30:00Z");
        var cn = await OnDutyAsync(fixture.App.ClientFor("cn-reader", "CN", HotlineRoles.LiaisonOfficer), CnOfficers, "2026-12-01T15:30:00Z");

        Assert.Equal((fixture.KrOfficer2, DateTimeOffset.Parse("2026-12-02T15:00:00Z")), (kr.UserId, kr.Until));
        Assert.Equal((fixture.CnOfficer1, DateTimeOffset.Parse("2026-12-01T16:00:00Z")), (cn.UserId, cn.Until));
        Assert.False(string.IsNullOrEmpty(kr.DisplayName));
    }

    [Fact]
    public async Task An_override_wins_over_the_rotation_and_the_escalation_timer_s_roster_lookup_agrees()
    {
        var admin = fixture.KrAdministrator();
        await PutAsync(admin, KrOfficers, Nightly(fixture.KrOfficer1, fixture.KrOfficer2));
        var from = DateTimeOffset.Parse("2099-06-01T03:00:00Z");

        var response = await admin.PostAsJsonAsync($"{KrOfficers}/overrides", new { userId = fixture.KrOfficer1, from, until = from.AddHours(6) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var added = await response.ReadAsync<DutyOverride>();
        var rotationOnly = await OnDutyAsync(fixture.KrOfficer(), KrOfficers, from.AddHours(-1).ToString("O"));
        var onDuty = await OnDutyAsync(fixture.KrOfficial(), KrOfficers, from.AddHours(1).ToString("O"));
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var timer = await scope.ServiceProvider.GetRequiredService<IDutyRosters>().OnDutyAsync("KR", HotlineRoles.LiaisonOfficer, from.AddHours(1), CancellationToken.None);

        Assert.Equal((fixture.KrOfficer1, added.Id, from.AddHours(6)), (onDuty.UserId, onDuty.OverrideId, onDuty.Until));
        Assert.Equal([fixture.KrOfficer1], timer);
        Assert.NotNull(rotationOnly.Rotation);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{KrOfficers}/overrides/{added.Id}")).StatusCode);
        Assert.Null((await OnDutyAsync(admin, KrOfficers, from.AddHours(1).ToString("O"))).OverrideId);
    }

    [Fact]
    public async Task Without_a_moment_the_on_duty_question_is_asked_for_now_by_the_service_s_clock()
    {
        // A 1-hour rotation whose first hand-off is two to three minutes ahead: before it, the second member (shift -1); after it, the first.
        var seoul = TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul");
        var handOff = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(3), seoul).DateTime;
        handOff = new DateTime(handOff.Year, handOff.Month, handOff.Day, handOff.Hour, handOff.Minute, 0);
        await PutAsync(fixture.KrAdministrator(), KrOfficers, new
        {
            rotations = new[]
            {
                new { name = "Hourly", members = new[] { fixture.KrOfficer1, fixture.KrOfficer2 }, firstHandOff = handOff.ToString("s"), shiftLength = "01:00:00", validFrom = handOff.AddDays(-1).ToString("s") },
            },
        });

        var before = await OnDutyAsync(fixture.KrOfficer(), KrOfficers);
        fixture.Clock.Offset = TimeSpan.FromMinutes(4); // less than an access token lives (10 minutes)
        try
        {
            var after = await OnDutyAsync(fixture.KrOfficer(), KrOfficers);

            Assert.Equal(fixture.KrOfficer2, before.UserId);
            Assert.Equal(fixture.KrOfficer1, after.UserId);
            Assert.InRange(after.At - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(5));
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    public static TheoryData<string, string, string, string> BadRosters => new()
    {
        { "unknown role", "/api/duty-rosters/KR/DutyOfficer", """{"rotations":[]}""", "role|unknown-role" },
        { "unknown user", KrOfficers, """{"rotations":[{"name":"Nights","members":["{officer1}","no-such-user"],"firstHandOff":"2026-12-01T00:00:00","shiftLength":"1.00:00:00"}]}""", "rotations[0].members[1]|unknown-user" },
        { "other party's person", KrOfficers, """{"rotations":[{"name":"Nights","members":["{cnOfficer}"],"firstHandOff":"2026-12-01T00:00:00","shiftLength":"1.00:00:00"}]}""", "rotations[0].members[0]|unknown-user" },
        { "role not held", KrOfficers, """{"rotations":[{"name":"Nights","members":["{committee}"],"firstHandOff":"2026-12-01T00:00:00","shiftLength":"1.00:00:00"}]}""", "rotations[0].members[0]|role-not-held" },
        { "overlapping rotations", KrOfficers, """{"rotations":[{"name":"Nights","members":["{officer1}"],"firstHandOff":"2026-12-01T00:00:00","shiftLength":"1.00:00:00"},{"name":"Later","members":["{officer1}"],"firstHandOff":"2027-01-01T00:00:00","shiftLength":"1.00:00:00"}]}""", "rotations[1].validFrom|overlapping-rotations" },
        { "no members", KrOfficers, """{"rotations":[{"name":"Nights","members":[],"firstHandOff":"2026-12-01T00:00:00","shiftLength":"1.00:00:00"}]}""", "rotations[0].members|required" },
        { "zero shift", KrOfficers, """{"rotations":[{"name":"Nights","members":["{officer1}"],"firstHandOff":"2026-12-01T00:00:00","shiftLength":"00:00:00"}]}""", "rotations[0].shiftLength|shift-not-positive" },
        { "unknown time zone", KrOfficers, """{"timeZone":"Asia/Atlantis","rotations":[]}""", "timeZone|unknown-time-zone" },
        { "hand-off with an offset", KrOfficers, """{"rotations":[{"name":"Nights","members":["{officer1}"],"firstHandOff":"2026-12-01T00:00:00+09:00","shiftLength":"1.00:00:00"}]}""", "rotations[0].firstHandOff|local-time-expected" },
        { "unknown field", KrOfficers, """{"rotations":[],"handOffTime":"09:00"}""", "handOffTime|unknown-field" },
    };

    [Theory]
    [MemberData(nameof(BadRosters))]
    public async Task A_roster_with_bad_input_is_refused_naming_the_field_and_nothing_changes(string _, string uri, string body, string expected)
    {
        var json = body.Replace("{officer1}", fixture.KrOfficer1).Replace("{cnOfficer}", fixture.CnOfficer1).Replace("{committee}", fixture.KrCommitteeMember);
        var versionsBefore = await RosterVersionsAsync();

        var response = await fixture.KrAdministrator().PutAsync(uri, new StringContent(json, Encoding.UTF8, "application/json"));

        var (field, code) = (expected.Split('|')[0], expected.Split('|')[1]);
        await response.AssertFieldErrorAsync(field, code);
        Assert.Equal(versionsBefore, await RosterVersionsAsync());
    }

    [Theory]
    [InlineData("""{"userId":"no-such-user","from":"2099-12-01T00:00:00Z","until":"2099-12-02T00:00:00Z"}""", "userId", "unknown-user")]
    [InlineData("""{"userId":"{officer1}","from":"2099-12-02T00:00:00Z","until":"2099-12-01T00:00:00Z"}""", "until", "until-not-after-from")]
    [InlineData("""{"userId":"{officer1}","from":"2099-12-01T00:00:00Z"}""", "until", "required")]
    public async Task An_override_with_bad_input_is_refused_naming_the_field(string body, string field, string code)
    {
        await PutAsync(fixture.KrAdministrator(), KrOfficers, Nightly(fixture.KrOfficer1));

        var response = await fixture.KrAdministrator().PostAsync($"{KrOfficers}/overrides",
            new StringContent(body.Replace("{officer1}", fixture.KrOfficer1), Encoding.UTF8, "application/json"));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Fact]
    public async Task An_on_duty_question_for_a_moment_that_is_not_one_is_refused_naming_at() =>
        await (await fixture.KrOfficer().GetAsync($"{KrOfficers}/on-duty?at=yesterday")).AssertFieldErrorAsync("at", "invalid-value");

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1999-12-31T23:59:59Z")]
    public async Task An_on_duty_question_for_a_moment_outside_the_domain_is_refused_as_out_of_range(string at)
    {
        await PutAsync(fixture.KrAdministrator(), KrOfficers, Nightly(fixture.KrOfficer1));

        var response = await fixture.KrOfficer().GetAsync($"{KrOfficers}/on-duty?at={Uri.EscapeDataString(at)}");

        await response.AssertFieldErrorAsync("at", "out-of-range");
    }

    [Fact]
    public async Task A_repeated_on_duty_moment_is_refused_rather_than_one_of_them_chosen() =>
        await (await fixture.KrOfficer().GetAsync($"{KrOfficers}/on-duty?at=2027-01-01T00:00:00Z&at=2027-06-01T00:00:00Z"))
            .AssertFieldErrorAsync("at", "single-value");

    [Theory]
    [InlineData("""{"timeZone":"Asia/Seoul","rotations":[null]}""", "rotations[0]", "null-element")]
    [InlineData("""{"timeZone":"Asia/Seoul","rotations":[{"name":"n","members":["{officer1}",null],"firstHandOff":"2027-01-04T09:00:00","shiftLength":"1.00:00:00"}]}""", "rotations[0].members[1]", "null-element")]
    [InlineData("""{"timeZone":"Asia/Seoul","rotations":[{"name":"n","members":["{officer1}"],"firstHandOff":"9999-12-31T23:59:59","shiftLength":"1.00:00:00"}]}""", "rotations[0].firstHandOff", "out-of-range")]
    [InlineData("""{"timeZone":"Asia/Seoul","rotations":[{"name":"n","members":["{officer1}"],"firstHandOff":"2027-01-04T09:00:00","shiftLength":"1.00:00:00","validUntil":"0001-01-01T00:00:00"}]}""", "rotations[0].validUntil", "out-of-range")]
    public async Task A_roster_with_a_null_element_or_a_date_outside_the_domain_is_refused_and_nothing_is_written(string body, string field, string code)
    {
        var before = await PutAsync(fixture.KrAdministrator(), KrOfficers, Nightly(fixture.KrOfficer1));

        var response = await fixture.KrAdministrator().PutAsync(KrOfficers,
            new StringContent(body.Replace("{officer1}", fixture.KrOfficer1), Encoding.UTF8, "application/json"));

        await response.AssertFieldErrorAsync(field, code);
        Assert.Equal(before.Version, (await fixture.KrAdministrator().GetFromJsonAsync<DutyRosterView>(KrOfficers, Requests.Json))!.Version);
    }

    [Fact]
    public async Task Another_party_s_roster_does_not_exist_for_an_administrator_or_an_officer()
    {
        var cnRoster = await PutAsync(fixture.CnAdministrator(), CnOfficers, Nightly(fixture.CnOfficer1, fixture.CnOfficer2));
        var krAdmin = fixture.KrAdministrator();

        await (await krAdmin.GetAsync(CnOfficers)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await krAdmin.PutAsJsonAsync(CnOfficers, Nightly(fixture.KrOfficer1))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await krAdmin.PostAsJsonAsync($"{CnOfficers}/overrides", new { userId = fixture.KrOfficer1, from = DateTimeOffset.UtcNow, until = DateTimeOffset.UtcNow.AddHours(1) }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await fixture.KrOfficer().GetAsync($"{CnOfficers}/on-duty")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(cnRoster.Version, await fixture.App.InDatabase(db => db.DutyRosters.Where(r => r.Party == "CN").Select(r => r.Version).SingleAsync()));
    }

    [Fact]
    public async Task A_roster_nobody_has_put_is_not_found() =>
        await (await fixture.KrAdministrator().GetAsync("/api/duty-rosters/KR/Official")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

    [Fact]
    public async Task Only_administrators_change_a_roster_and_committee_members_may_not_ask_who_is_on_duty()
    {
        await PutAsync(fixture.KrAdministrator(), KrOfficers, Nightly(fixture.KrOfficer1));

        await (await fixture.KrOfficer().PutAsJsonAsync(KrOfficers, Nightly(fixture.KrOfficer2))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await fixture.KrOfficial().GetAsync(KrOfficers)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await fixture.KrCommittee().GetAsync($"{KrOfficers}/on-duty")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private Task<List<(string, int)>> RosterVersionsAsync() =>
        fixture.App.InDatabase(async db => (await db.DutyRosters.Select(r => new { r.Party, r.Role, r.Version }).ToListAsync())
            .Select(r => ($"{r.Party}/{r.Role}", r.Version)).OrderBy(r => r.Item1).ToList());
}
