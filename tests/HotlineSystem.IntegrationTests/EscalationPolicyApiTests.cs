using System.Net;
using System.Net.Http.Json;
using System.Text;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>One Escalation host for the policy API, with a KR and a CN liaison officer in its directory.</summary>
public sealed class EscalationPolicyApiFixture : IAsyncLifetime
{
    private readonly string _suffix = $"{Guid.NewGuid():N}"[..6];
    private TestDatabase _database = null!;

    public EscalationApp App { get; private set; } = null!;

    public string KrOfficer { get; private set; } = "";

    public string CnOfficer { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("policies");
        App = new EscalationApp(_database.ConnectionString, $"p{Guid.NewGuid():N}"[..10]).Start();
        KrOfficer = await App.PersonAsync($"kr-policy-officer-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);
        CnOfficer = await App.PersonAsync($"cn-policy-officer-{_suffix}", "CN", HotlineRoles.LiaisonOfficer);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }

    public HttpClient KrAdministrator() => App.ClientFor($"kr-policy-admin-{_suffix}", "KR", HotlineRoles.Administrator);

    public HttpClient CnAdministrator() => App.ClientFor($"cn-policy-admin-{_suffix}", "CN", HotlineRoles.Administrator);

    public HttpClient KrOfficerClient() => App.ClientFor($"kr-policy-officer-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);
}

/// <summary>
/// Administrators define how their party's incidents escalate per channel and severity; bad input is
/// refused naming the field and writes nothing; another party's policies do not exist for them.
/// </summary>
public sealed class EscalationPolicyApiTests(EscalationPolicyApiFixture fixture) : IClassFixture<EscalationPolicyApiFixture>
{
    private const string KrCnSev2 = "/api/escalation-policies/KR-CN/Sev2";

    private const string GoodPolicy = """
        {"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00","important":false},
                  {"party":"KR","role":"Official","officialTier":"DirectorGeneral","wait":"00:20:00","important":true}],
         "repeatLastTier":1,"confirmationWindow":null}
        """;

    [Fact]
    public async Task An_administrator_defines_a_policy_of_their_party_and_each_change_is_a_new_version()
    {
        var admin = fixture.KrAdministrator();
        var first = await PutAsync(admin, "/api/escalation-policies/KR-CN/Sev1", GoodPolicy);
        var named = $$"""{"tiers":[{"userIds":["{{fixture.KrOfficer}}","{{fixture.CnOfficer}}"],"wait":"1.12:30:00","important":true}],"repeatLastTier":0,"confirmationWindow":"00:05:00"}""";

        var second = await PutAsync(admin, "/api/escalation-policies/KR-CN/Sev1", named);
        var read = await admin.GetFromJsonAsync<PolicyView>("/api/escalation-policies/KR-CN/Sev1", Requests.Json);
        var list = await admin.GetFromJsonAsync<List<PolicyView>>("/api/escalation-policies", Requests.Json);

        Assert.Equal((first.Id, first.Version + 1), (second.Id, second.Version));
        Assert.Equal(("KR-CN", "KR", second.Version, TimeSpan.FromMinutes(5)), (read!.Channel, read.OwnerParty, read.Version, read.ConfirmationWindow));
        Assert.Equal([fixture.KrOfficer, fixture.CnOfficer], read.Tiers.Single().UserIds);
        Assert.Equal(new TimeSpan(1, 12, 30, 0), read.Tiers.Single().Wait);
        Assert.Contains(list!, p => p.Id == first.Id);
        Assert.All(list!, p => Assert.Equal("KR", p.OwnerParty));
    }

    public static TheoryData<string, string, string> BadPolicies => new()
    {
        { "no tiers", """{"tiers":[],"repeatLastTier":0}""", "tiers|tiers-required" },
        { "tiers missing", """{"repeatLastTier":0}""", "tiers|tiers-required" },
        { "zero wait", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"},{"party":"KR","role":"Official","wait":"00:00:00"}],"repeatLastTier":0}""", "tiers[1].wait|wait-not-positive" },
        { "negative wait", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"-00:10:00"}],"repeatLastTier":0}""", "tiers[0].wait|wait-not-positive" },
        { "no wait", """{"tiers":[{"party":"CN","role":"LiaisonOfficer"}],"repeatLastTier":0}""", "tiers[0].wait|required" },
        { "wait over 30 days", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"30.00:00:01"}],"repeatLastTier":0}""", "tiers[0].wait|wait-too-long" },
        { "role and people", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","userIds":["{cnOfficer}"],"wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[0].target|one-target" },
        { "neither role nor people", """{"tiers":[{"wait":"00:10:00","important":true}],"repeatLastTier":0}""", "tiers[0].target|one-target" },
        { "unknown role", """{"tiers":[{"party":"CN","role":"DutyOfficer","wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[0].role|unknown-role" },
        { "unknown official tier", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"},{"party":"KR","role":"Official","officialTier":"Emperor","wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[1].officialTier|unknown-official-tier" },
        { "official tier of a non-official", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","officialTier":"Minister","wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[0].officialTier|official-tier-without-official" },
        { "party not on the channel", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"},{"party":"JP","role":"Official","wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[1].party|party-not-on-channel" },
        { "unknown user", """{"tiers":[{"userIds":["{krOfficer}","no-such-user"],"wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[0].userIds[1]|unknown-user" },
        { "repeat 11 times", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"}],"repeatLastTier":11}""", "repeatLastTier|out-of-range" },
        { "negative repeat", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"}],"repeatLastTier":-1}""", "repeatLastTier|out-of-range" },
        { "zero confirmation window", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"}],"repeatLastTier":0,"confirmationWindow":"00:00:00"}""", "confirmationWindow|invalid-confirmation-window" },
        { "unknown field", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"}],"repeatLastTier":0,"escalateTo":"Minister"}""", "escalateTo|unknown-field" },
        { "unknown tier field", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00","delay":"00:05:00"}],"repeatLastTier":0}""", "tiers[0].delay|unknown-field" },
        { "wait not a duration", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"ten minutes"}],"repeatLastTier":0}""", "tiers[0].wait|invalid-value" },
        { "a null tier", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00"},null],"repeatLastTier":0}""", "tiers[1]|null-element" },
        { "a null user id", """{"tiers":[{"userIds":["{krOfficer}",null],"wait":"00:10:00"}],"repeatLastTier":0}""", "tiers[0].userIds[1]|null-element" },
        { "tiers null", """{"tiers":null,"repeatLastTier":0}""", "tiers|tiers-required" },
        { "important as a number", """{"tiers":[{"party":"CN","role":"LiaisonOfficer","wait":"00:10:00","important":1}],"repeatLastTier":0}""", "tiers[0].important|invalid-value" },
    };

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("-1")]
    [InlineData("1")]
    [InlineData("Sev1,Sev2")]
    [InlineData("Sev1, Sev2")]
    [InlineData("Critical")]
    public async Task A_severity_in_the_route_is_one_of_its_names_or_nothing_is_written(string severity)
    {
        var admin = fixture.KrAdministrator();
        await EnsureGoodPolicyAsync(admin);
        var before = await PolicyVersionsAsync();

        var put = await admin.PutAsync($"/api/escalation-policies/KR-CN/{Uri.EscapeDataString(severity)}", new StringContent(GoodPolicy, Encoding.UTF8, "application/json"));
        var get = await admin.GetAsync($"/api/escalation-policies/KR-CN/{Uri.EscapeDataString(severity)}");

        await put.AssertFieldErrorAsync("severity", "invalid-value");
        await get.AssertFieldErrorAsync("severity", "invalid-value");
        Assert.Equal(before, await PolicyVersionsAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/escalation-policies")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public async Task A_policy_with_bad_input_is_refused_naming_the_field_and_nothing_is_written(string _, string body, string expected)
    {
        var admin = fixture.KrAdministrator();
        await EnsureGoodPolicyAsync(admin);
        var before = await PolicyVersionsAsync();
        var json = body.Replace("{krOfficer}", fixture.KrOfficer).Replace("{cnOfficer}", fixture.CnOfficer);

        var response = await admin.PutAsync(KrCnSev2, new StringContent(json, Encoding.UTF8, "application/json"));

        await response.AssertFieldErrorAsync(expected.Split('|')[0], expected.Split('|')[1]);
        Assert.Equal(before, await PolicyVersionsAsync());
    }

    [Fact]
    public async Task A_policy_for_a_channel_not_of_the_administrator_s_party_does_not_exist()
    {
        var before = await PolicyVersionsAsync();

        var response = await fixture.KrAdministrator().PutAsync("/api/escalation-policies/CN-JP/Sev2", new StringContent(GoodPolicy.Replace("\"KR\"", "\"JP\""), Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(before, await PolicyVersionsAsync());
    }

    [Fact]
    public async Task Another_party_s_administrator_reads_only_their_own_policies_and_defining_theirs_leaves_KR_s_unchanged()
    {
        var krPolicy = await EnsureGoodPolicyAsync(fixture.KrAdministrator());
        var cnAdmin = fixture.CnAdministrator();

        await (await cnAdmin.GetAsync("/api/escalation-policies/KR-CN/Sev4")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var cnPolicy = await PutAsync(cnAdmin, "/api/escalation-policies/KR-CN/Sev2", GoodPolicy);
        var cnList = await cnAdmin.GetFromJsonAsync<List<PolicyView>>("/api/escalation-policies", Requests.Json);
        var cnRead = await cnAdmin.GetFromJsonAsync<PolicyView>(KrCnSev2, Requests.Json);

        Assert.NotEqual(krPolicy.Id, cnPolicy.Id);
        Assert.Equal(cnPolicy.Id, cnRead!.Id);
        Assert.All(cnList!, p => Assert.Equal("CN", p.OwnerParty));
        Assert.DoesNotContain(cnList!, p => p.Id == krPolicy.Id);
        Assert.Equal(krPolicy.Version, await fixture.App.InDatabase(db => db.Policies.Where(p => p.Id == krPolicy.Id).Select(p => p.Version).SingleAsync()));
    }

    [Fact]
    public async Task Only_administrators_read_or_define_policies()
    {
        var officer = fixture.KrOfficerClient();

        await (await officer.GetAsync("/api/escalation-policies")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await officer.GetAsync(KrCnSev2)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await officer.PutAsync(KrCnSev2, new StringContent(GoodPolicy, Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private static async Task<PolicyView> PutAsync(HttpClient client, string uri, string body)
    {
        var response = await client.PutAsync(uri, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<PolicyView>();
    }

    private async Task<PolicyView> EnsureGoodPolicyAsync(HttpClient admin)
    {
        var existing = await admin.GetAsync(KrCnSev2);
        return existing.StatusCode == HttpStatusCode.OK ? await existing.ReadAsync<PolicyView>() : await PutAsync(admin, KrCnSev2, GoodPolicy);
    }

    private Task<List<string>> PolicyVersionsAsync() =>
        fixture.App.InDatabase(async db => (await db.Policies.AsNoTracking().ToListAsync())
            .Select(p => $"{p.Channel}/{p.OwnerParty}/{p.Severity}/{p.Version}").Order().ToList());
}
