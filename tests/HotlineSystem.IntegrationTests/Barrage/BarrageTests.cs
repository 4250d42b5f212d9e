using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HotlineSystem.Committee.Data;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Identity.Data;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Data;
using HotlineSystem.ServiceDefaults.Identity;
using Xunit.Abstractions;

namespace HotlineSystem.IntegrationTests.Barrage;

/// <summary>
/// Issue 14's generated barrage. Each service's operations come from its own OpenAPI document and
/// endpoint data source, so a new endpoint is covered without a test of its own: for each, a valid
/// request is built (from the schema and <see cref="Samples"/>), and from it every class of bad input
/// — wrong JSON types, null and null elements, missing and unknown fields, out-of-range numbers and
/// dates, enum numbers and combinations, huge texts and lists, control and bidi characters, malformed
/// JSON, wrong content types, bad route and query values, unknown ids and the other party's records.
/// Every answer must be a 4xx problem with a stable code as the document describes it, never a 5xx,
/// and the service's database must read the same after an operation's bad requests as before.
/// </summary>
public sealed class BarrageTests(
    IncidentsAppFixture incidents, MatrixEscalationFixture escalation, MatrixCommitteeFixture committee, NotificationsHostFixture notifications,
    ITestOutputHelper output)
    : IClassFixture<IncidentsAppFixture>, IClassFixture<MatrixEscalationFixture>, IClassFixture<MatrixCommitteeFixture>, IClassFixture<NotificationsHostFixture>
{
    private const string IncidentsScope = "openid profile offline_access incidents";
    private const string IdentityScope = "openid profile identity";
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    private readonly string _run = $"{Guid.NewGuid():N}"[..6];
    private string _officer = "";
    private CommitteeSetup _committee = new("", Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty);

    /// <summary>
    /// Values a schema cannot know, by property (or "Schema.property") name, case-insensitive; the rest
    /// comes from the document. Keep it small and generic: a new field of a known kind needs no row.
    /// </summary>
    private static Dictionary<string, JsonNode?> Samples(string officer, CommitteeSetup committee) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["channel"] = "KR-CN",
        ["type"] = "customs-hold",
        ["severity"] = "Sev2",
        ["visibility"] = "Shared",
        ["language"] = "en",
        ["minerals"] = new JsonArray("Dy"),
        ["hsCodes"] = new JsonArray("8505.11"),
        ["sectors"] = new JsonArray("permanent-magnets"),
        ["startedOn"] = "2026-11-20",
        ["ChangeStatusRequest.status"] = "UnderReview",
        ["AddHsCodeRequest.code"] = "8505.19",
        ["AddHsCodeRequest.validFrom"] = "2026-01-01",
        ["party"] = "KR",
        ["counterpart"] = "CN",
        ["role"] = HotlineRoles.LiaisonOfficer,
        ["roles"] = new JsonArray(HotlineRoles.LiaisonOfficer),
        ["officialTier"] = null,
        ["userIds"] = null,
        ["wait"] = "00:10:00",
        ["repeatLastTier"] = 0,
        ["confirmationWindow"] = null,
        ["timeZone"] = "Asia/Seoul",
        ["members"] = new JsonArray(officer),
        ["firstHandOff"] = "2026-12-01T00:00:00",
        ["shiftLength"] = "1.00:00:00",
        ["validFrom"] = null,
        ["validUntil"] = null,
        ["validTo"] = null,
        ["userId"] = officer,
        ["from"] = "2027-01-01T00:00:00Z",
        ["until"] = "2027-01-02T00:00:00Z",
        ["to"] = "2027-01-02T00:00:00Z",
        ["userName"] = $"barrage-{BadInputs.FreshName}",
        ["email"] = "barrage@example.org",
        ["password"] = IdentityApp.Password,
        ["RegisterPartyRequest.code"] = "VN",
        ["RegisterPartyRequest.timeZone"] = "Asia/Ho_Chi_Minh",
        ["workingLanguage"] = "vi",
        ["upTo"] = 1,
        ["sequences"] = null,
        ["DelegateEntry.userId"] = committee.KrCoChair,
        ["DelegateEntry.role"] = "CoChair",
        ["AttendanceEntry.userId"] = committee.KrCoChair,
        ["presence"] = "Present",
        ["delegatedTo"] = null,
        ["startsAt"] = "2027-06-01T01:00:00Z",
        ["agendaCutoff"] = "2027-05-25T00:00:00Z",
        ["MeetingStatusRequest.status"] = "AgendaAgreed",
        ["AgendaItemStatusRequest.status"] = "Discussed",
        ["ProposeAgendaItemRequest.incidents"] = null,
        ["position"] = 1,
        ["allottedMinutes"] = 30,
        ["CarryOverRequest.meetingId"] = committee.LaterMeeting.ToString(),
        ["ownerUserId"] = committee.KrCoChair,
        ["dueAt"] = "2027-07-01T00:00:00Z",
        ["reviewEndsAt"] = "2027-07-01T00:00:00Z",
        ["AssignActionItemRequest.agendaItemId"] = null,
        ["ActionItemStatusRequest.status"] = "InProgress",
        ["DomesticApprovalRequest.approval"] = "Approved",
        ["DomesticApprovalRequest.on"] = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Every_api_endpoint_of_every_service_has_an_operation_in_its_openapi_document()
    {
        var identity = await SharedIdentity.GetAsync();
        var missing = new List<string>();
        foreach (var (name, host, newClient) in new (string, IServiceProvider, Func<HttpClient>)[]
        {
            ("incidents", incidents.App.Services, incidents.App.CreateClient),
            ("escalation", escalation.App.Services, escalation.App.CreateClient),
            ("committee", committee.App.Services, committee.App.CreateClient),
            ("identity", identity.Services, () => new HttpClient { BaseAddress = identity.BaseAddress }),
            ("notifications", notifications.App.Services, () => new HttpClient { BaseAddress = notifications.App.BaseAddress }),
        })
        {
            var documented = (await Barrage.DocumentAsync(newClient)).Operations.Select(o => o.Key).ToHashSet();
            var endpoints = Barrage.ApiEndpoints(host);
            output.WriteLine($"{name}: {endpoints.Count} API endpoints, {documented.Count} operations");
            missing.AddRange(endpoints.Where(e => !documented.Contains(e.Key)).Select(e => $"{name} {e.Key} ({e.Endpoint.DisplayName}) has no operation in /openapi/v1.json"));
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public async Task Every_bad_input_to_every_operation_gets_a_problem_with_a_stable_code_never_a_5xx_and_changes_nothing()
    {
        var targets = await TargetsAsync();
        var violations = new Violations();
        var barrage = new Barrage(violations, output.WriteLine);
        var clock = Stopwatch.StartNew();
        var valids = new List<(BarrageTarget Target, ValidRequest Valid, string Token)>();

        foreach (var target in targets)
        {
            await target.State.SettledAsync(SettleTimeout); // people and incidents of the setup still arriving over the broker
            valids.AddRange(await barrage.RunAsync(target, Samples(_officer, _committee)));
        }

        // Last, once every service is done: a valid write announces events the other services consume.
        foreach (var (target, valid, token) in valids)
        {
            await barrage.CheckValidAsync(target, valid, token);
        }

        output.WriteLine($"barrage: {barrage.Sent:N0} requests in {clock.Elapsed.TotalSeconds:N0} s, {barrage.ServerErrors:N0} × 5xx, {violations.Count:N0} violations ({barrage.NotCarried} the test server could not carry)");
        Assert.True(violations.Count == 0, violations.Report());
    }

    private async Task<List<BarrageTarget>> TargetsAsync()
    {
        var identity = await SharedIdentity.GetAsync();
        _officer = await escalation.App.PersonAsync($"barrage-officer-{_run}", "KR", HotlineRoles.LiaisonOfficer);

        // Incidents: a CN officer works the CN incident of KR–CN; the KR incident of KR–VN is the other party's record.
        var cnIncident = await FileAsync(await identity.AccessTokenAsync("barrage", "CN", [HotlineRoles.LiaisonOfficer], IncidentsScope), "KR-CN");
        var krVnIncident = await FileAsync(await identity.AccessTokenAsync("barrage", "KR", [HotlineRoles.LiaisonOfficer], IncidentsScope), "KR-VN");

        var krPerson = (await identity.PersonAsync($"barrage-target-{_run}", "KR", HotlineRoles.LiaisonOfficer)).User.Id.ToString();
        _committee = await CommitteeSetupAsync(identity);
        var cnPerson = (await identity.PersonAsync($"barrage-target-{_run}", "CN", HotlineRoles.LiaisonOfficer)).User.Id.ToString();

        return
        [
            new BarrageTarget(
                "incidents", incidents.App.Services, incidents.App.CreateClient, new StateFingerprint(incidents.App.Services, typeof(IncidentsDbContext)), "CN",
                role => identity.AccessTokenAsync("barrage", "CN", [role], IncidentsScope),
                new Dictionary<string, string> { ["id"] = cnIncident.Id.ToString() },
                new Dictionary<string, string> { ["id"] = krVnIncident.Id.ToString() },
                new Dictionary<string, string> { ["If-Match"] = $"\"{cnIncident.Version}\"" },
                SendsValidWrites: true),
            new BarrageTarget(
                "escalation", escalation.App.Services, escalation.App.CreateClient, new StateFingerprint(escalation.App.Services, typeof(EscalationDbContext)), "KR",
                role => identity.AccessTokenAsync("barrage", "KR", [role], EscalationApp.Scope),
                new Dictionary<string, string>
                {
                    ["channel"] = "KR-CN", ["severity"] = "Sev2", ["party"] = "KR", ["role"] = HotlineRoles.LiaisonOfficer,
                    ["overrideId"] = Guid.NewGuid().ToString(), ["incidentId"] = cnIncident.Id.ToString()
                },
                new Dictionary<string, string> { ["party"] = "CN" },
                new Dictionary<string, string>(),
                SendsValidWrites: true),
            new BarrageTarget(
                "committee", committee.App.Services, committee.App.CreateClient, new StateFingerprint(committee.App.Services, typeof(CommitteeDbContext)), "KR",
                role => identity.AccessTokenAsync("barrage", "KR", [role], CommitteeApp.Scope),
                new Dictionary<string, string>
                {
                    ["channel"] = "KR-CN", ["party"] = "KR", ["meetingId"] = _committee.Meeting.ToString(), ["agendaItemId"] = _committee.AgendaItem.ToString(),
                    ["actionItemId"] = _committee.ActionItem.ToString(), ["minutesId"] = _committee.Minutes.ToString(), ["language"] = "ko",
                    ["commentId"] = Guid.NewGuid().ToString(), ["decisionId"] = _committee.Decision.ToString(),
                },
                new Dictionary<string, string> { ["party"] = "CN", ["channel"] = "CN-VN" },
                new Dictionary<string, string> { ["If-Match"] = "\"1\"" },
                SendsValidWrites: true,
                PublicAcrossParties: ["GET /api/parties/{party}/signing-keys"]), // each party verifies the other's signatures
            new BarrageTarget(
                "identity", identity.Services, () => new HttpClient { BaseAddress = identity.BaseAddress },
                new StateFingerprint(identity.Services, typeof(IdentityServiceDbContext)), "KR",
                role => role == HotlineRoles.Operator ? OperatorTokenAsync(identity) : identity.AccessTokenAsync("barrage", "KR", [role], IdentityScope),
                new Dictionary<string, string> { ["id"] = krPerson, ["role"] = HotlineRoles.LiaisonOfficer, ["code"] = "KR-CN" },
                new Dictionary<string, string> { ["id"] = cnPerson },
                new Dictionary<string, string>(),
                SendsValidWrites: false), // one Identity server for the whole run: its registry and people are everyone's
            new BarrageTarget(
                "notifications", notifications.App.Services, () => new HttpClient { BaseAddress = notifications.App.BaseAddress },
                new StateFingerprint(notifications.App.Services, typeof(NotificationsDbContext)), "KR",
                role => identity.AccessTokenAsync("barrage", "KR", [role], NotificationsApp.Scope),
                new Dictionary<string, string>(),
                new Dictionary<string, string>(),
                new Dictionary<string, string>(),
                SendsValidWrites: true),
        ];
    }

    /// <summary>
    /// KR–CN's committee with both delegations (the barrage's own KR member and co-chair on KR's), two
    /// meetings and an item: records the committee's operations can reach.
    /// </summary>
    private async Task<CommitteeSetup> CommitteeSetupAsync(IdentityApp identity)
    {
        var app = committee.App;
        var krCoChair = await app.PersonAsync("barrage", "KR", HotlineRoles.CoChair);
        var krMember = await app.PersonAsync("barrage", "KR", HotlineRoles.CommitteeMember);
        var cnCoChair = await app.PersonAsync("barrage", "CN", HotlineRoles.CoChair);
        async Task<HttpClient> As(string party, string role)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await identity.AccessTokenAsync("barrage", party, [role], CommitteeApp.Scope));
            return client;
        }

        async Task<JsonNode> Send(HttpClient client, HttpMethod method, string path, object body, int? version = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            if (version is not null)
            {
                request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
            }

            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }

        using var krAdmin = await As("KR", HotlineRoles.Administrator);
        using var cnAdmin = await As("CN", HotlineRoles.Administrator);
        var version = (int)(await Send(krAdmin, HttpMethod.Put, "/api/committees/KR-CN/delegations/KR",
            new { delegates = new object[] { new { userId = krCoChair, role = "CoChair" }, new { userId = krMember, role = "Member" } } },
            await CommitteeVersionAsync(krAdmin)))["version"]!;
        await Send(cnAdmin, HttpMethod.Put, "/api/committees/KR-CN/delegations/CN", new { delegates = new object[] { new { userId = cnCoChair, role = "CoChair" } } }, version);

        using var member = await As("KR", HotlineRoles.CommitteeMember);
        var meeting = (Guid)(await Send(member, HttpMethod.Post, "/api/committees/KR-CN/meetings",
            new { requestId = Guid.NewGuid(), startsAt = DateTimeOffset.UtcNow.AddDays(30), agendaCutoff = DateTimeOffset.UtcNow.AddDays(20), place = "Seoul", mode = "InPerson" }))["id"]!;
        var later = (Guid)(await Send(member, HttpMethod.Post, "/api/committees/KR-CN/meetings",
            new { requestId = Guid.NewGuid(), startsAt = DateTimeOffset.UtcNow.AddDays(90), agendaCutoff = DateTimeOffset.UtcNow.AddDays(80), place = "Beijing", mode = "Video" }))["id"]!;
        var item = (Guid)(await Send(member, HttpMethod.Post, $"/api/meetings/{meeting}/agenda-items",
            new { requestId = Guid.NewGuid(), title = "Dysprosium licences", description = "Licences held since November." }))["id"]!;
        using var coChair = await As("KR", HotlineRoles.CoChair);
        var actionItem = (Guid)(await Send(coChair, HttpMethod.Post, $"/api/meetings/{meeting}/action-items",
            new { requestId = Guid.NewGuid(), title = "Licence statistics", ownerUserId = krMember, dueAt = DateTimeOffset.UtcNow.AddDays(20) }))["id"]!;

        // A meeting in session, with its minutes drafted: what the minutes' operations reach.
        var held = await Send(member, HttpMethod.Post, "/api/committees/KR-CN/meetings",
            new { requestId = Guid.NewGuid(), startsAt = DateTimeOffset.UtcNow.AddDays(10), agendaCutoff = DateTimeOffset.UtcNow.AddDays(5), place = "Seoul", mode = "InPerson" });
        foreach (var status in new[] { "AgendaAgreed", "InSession" })
        {
            held = await Send(coChair, HttpMethod.Post, $"/api/meetings/{held["id"]}/status", new { status }, (int)held["version"]!);
        }

        var minutes = (Guid)(await Send(member, HttpMethod.Post, $"/api/meetings/{held["id"]}/minutes", new { }))["id"]!;
        var decision = (Guid)(await Send(coChair, HttpMethod.Post, $"/api/meetings/{held["id"]}/decisions",
            new { requestId = Guid.NewGuid(), title = "Licence processing time", text = "Both sides answer licence applications within ten working days.", needsApprovalOf = new[] { "KR" } }))["id"]!;
        return new CommitteeSetup(krCoChair, meeting, later, item, actionItem, minutes, decision);
    }

    private static async Task<int> CommitteeVersionAsync(HttpClient client) =>
        (int)JsonNode.Parse(await client.GetStringAsync("/api/committees/KR-CN"))!["version"]!;

    private sealed record CommitteeSetup(string KrCoChair, Guid Meeting, Guid LaterMeeting, Guid AgendaItem, Guid ActionItem, Guid Minutes, Guid Decision);

    private async Task<IncidentDetails> FileAsync(string token, string channel)
    {
        using var client = incidents.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = Requests.Incident();
        var json = System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject();
        json["channel"] = channel;
        var response = await client.PostAsJsonAsync("/api/incidents", json);
        Assert.True(response.IsSuccessStatusCode, $"Filing on {channel}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadAsync<IncidentDetails>();
    }

    /// <summary>The deployment's operator is a tool client, never a person: its token is minted with the server's key, in the shape of one.</summary>
    private static async Task<string> OperatorTokenAsync(IdentityApp identity)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "barrage-operator",
            [HotlineClaims.Party] = "KR",
            [HotlineClaims.Role] = HotlineRoles.Operator,
            ["scope"] = "identity",
            ["client_id"] = "barrage-operator",
            ["jti"] = Guid.NewGuid().ToString(),
        };
        return new Minting(identity.Authority, Identity.IdentityModule.Audience, now, now.AddMinutes(30), await Minting.ServerSigningAsync(identity), claims).Token();
    }
}
