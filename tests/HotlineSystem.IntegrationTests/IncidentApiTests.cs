using HotlineSystem.ServiceDefaults.Input;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The incident API's behaviour through the real HTTP pipeline: who may do what, the lifecycle
/// with If-Match, optimistic concurrency, Internal visibility, and the anonymous endpoints.
/// </summary>
public sealed class IncidentApiTests(IncidentsAppFixture fixture) : IClassFixture<IncidentsAppFixture>
{
    private readonly IncidentsApp _app = fixture.App;
    private readonly HttpClient _kr = fixture.App.KrOfficerClient();
    private readonly HttpClient _cn = fixture.App.CnOfficerClient();

    [Theory]
    [InlineData("GET", "/api/incidents")]
    [InlineData("GET", "/api/incidents/{id}")]
    [InlineData("POST", "/api/incidents")]
    [InlineData("POST", "/api/incidents/{id}/comments")]
    [InlineData("POST", "/api/incidents/{id}/acknowledgement")]
    public async Task An_anonymous_request_gets_401(string method, string uri)
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var anonymous = _app.CreateClient();

        var response = await WritesNothing(() => anonymous.SendAsync(Request(method, uri.Replace("{id}", incident.Id.ToString()), 1)));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData(HotlineRoles.CommitteeMember)]
    [InlineData(HotlineRoles.Administrator)]
    public async Task A_user_neither_LiaisonOfficer_nor_Official_gets_403(string role)
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var member = _app.ClientFor("kr-someone", "KR", role);

        foreach (var (method, uri) in new[]
                 {
                     ("GET", "/api/incidents"), ("GET", $"/api/incidents/{incident.Id}"), ("POST", "/api/incidents"),
                     ("POST", $"/api/incidents/{incident.Id}/comments"), ("PUT", $"/api/incidents/{incident.Id}/severity"),
                 })
        {
            var response = await WritesNothing(() => member.SendAsync(Request(method, uri, 1)));
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task An_official_reads_incidents_but_cannot_file_comment_or_change_severity()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var official = _app.ClientFor("cn-official", "CN", HotlineRoles.Official);

        foreach (var uri in new[] { "/api/incidents", $"/api/incidents/{incident.Id}" })
        {
            var read = await official.SendAsync(Request("GET", uri, 1));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        foreach (var (method, uri) in new[]
                 {
                     ("POST", "/api/incidents"), ("POST", $"/api/incidents/{incident.Id}/comments"),
                     ("PUT", $"/api/incidents/{incident.Id}/severity"),
                 })
        {
            var response = await WritesNothing(() => official.SendAsync(Request(method, uri, 1)));
            await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }
    }

    [Fact]
    public async Task An_officer_of_a_party_not_on_the_channel_cannot_file_on_it()
    {
        var vn = fixture.VnOfficerClient();

        var refused = await WritesNothing(() => vn.PostAsJsonAsync("/api/incidents", Requests.Incident()));
        var onItsOwnChannel = await vn.PostAsJsonAsync("/api/incidents", IncidentOn("KR-VN"));

        await refused.AssertFieldErrorAsync("channel", "unknown-channel");
        Assert.Equal(HttpStatusCode.Created, onItsOwnChannel.StatusCode);
    }

    [Fact]
    public async Task An_officer_of_a_party_not_on_the_channel_finds_none_of_its_incidents()
    {
        var incident = await _kr.FileAsync(Requests.Incident(title: "Seen by KR and CN only"));
        var vn = fixture.VnOfficerClient();
        var uri = $"/api/incidents/{incident.Id}";

        var get = await vn.GetAsync(uri);
        var comment = await WritesNothing(() => vn.PostAsJsonAsync($"{uri}/comments", new { text = "hello", visibility = "Shared" }));
        var acknowledge = await WritesNothing(() => vn.SendAsync(Request("POST", $"{uri}/acknowledgement", 1)));
        var list = await vn.GetStringAsync("/api/incidents?pageSize=100");

        foreach (var response in new[] { get, comment, acknowledge })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
            Assert.DoesNotContain("Seen by KR and CN only", problem.GetRawText());
        }

        Assert.DoesNotContain(incident.Id.ToString(), list);
        Assert.Equal(HttpStatusCode.OK, (await _cn.GetAsync(uri)).StatusCode); // the counterpart does find it
    }

    [Fact]
    public async Task Get_returns_the_incident_with_its_timeline_and_its_version_as_ETag()
    {
        var requestId = Guid.NewGuid();
        var filed = await _kr.PostAsJsonAsync("/api/incidents", Requests.Incident(requestId, "Customs hold at Dalian"));
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        Assert.Equal("\"1\"", filed.Headers.ETag?.Tag);
        var id = (await filed.ReadAsync<IncidentDetails>()).Id;
        Assert.Equal($"/api/incidents/{id}", filed.Headers.Location?.OriginalString);

        var response = await _cn.GetAsync($"/api/incidents/{id}");

        var incident = await ExpectOkAsync(response);
        Assert.Equal(1, incident.Version);
        Assert.Equal(requestId, incident.RequestId);
        Assert.Equal(("KR-CN", "KR", "CN", IncidentsApp.KrOfficerId), (incident.Channel, incident.ReportingParty, incident.CounterpartParty, incident.ReportedBy));
        Assert.Equal(("customs-hold", Severity.Sev2, IncidentStatus.Reported), (incident.Type, incident.Severity, incident.Status));
        Assert.Equal("Customs hold at Dalian", incident.Title);
        Assert.Equal(["Nd", "Dy"], incident.Minerals);
        Assert.Equal(["8505.11", "2805.30.1000"], incident.HsCodes);
        Assert.Equal(new DateOnly(2026, 11, 20), incident.StartedOn);
        var reported = Assert.Single(incident.Timeline);
        Assert.Equal(TimelineEntryKind.Reported, reported.Kind);
        Assert.Equal((IncidentsApp.KrOfficerId, "KR", ChangeSource.Web), (reported.ActorUserId, reported.ActorParty, reported.Source));
        Assert.Equal((Visibility.Shared, "Reported"), (reported.Visibility, reported.NewValue));
        Assert.Equal(incident.ReportedAt, reported.OccurredAt);
    }

    [Fact]
    public async Task The_whole_lifecycle_runs_over_http_with_If_Match_and_each_ETag_is_the_new_version()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var id = incident.Id;
        Assert.Equal(1, incident.Version);

        incident = await ExpectOkAsync(await Acknowledge(_cn, id, incident.Version));
        Assert.Equal((IncidentStatus.Acknowledged, 2), (incident.Status, incident.Version));
        Assert.Equal(IncidentsApp.CnOfficerId, incident.AcknowledgedBy);
        Assert.NotNull(incident.AcknowledgedAt);

        incident = await ExpectOkAsync(await MoveTo(_cn, id, "UnderReview", incident.Version));
        Assert.Equal((IncidentStatus.UnderReview, 3), (incident.Status, incident.Version));

        incident = await ExpectOkAsync(await MoveTo(_kr, id, "Mitigating", incident.Version));
        Assert.Equal((IncidentStatus.Mitigating, 4), (incident.Status, incident.Version));

        incident = await ExpectOkAsync(await MoveTo(_cn, id, "Resolved", incident.Version));
        Assert.Equal((IncidentStatus.Resolved, 5), (incident.Status, incident.Version));
        Assert.NotNull(incident.ResolvedAt);

        incident = await ExpectOkAsync(await Reopen(_kr, id, incident.Version));
        Assert.Equal((IncidentStatus.UnderReview, 6), (incident.Status, incident.Version));
        Assert.Null(incident.ResolvedAt);

        incident = await ExpectOkAsync(await MoveTo(_cn, id, "Resolved", incident.Version));
        Assert.Equal((IncidentStatus.Resolved, 7), (incident.Status, incident.Version));

        incident = await ExpectOkAsync(await MoveTo(_kr, id, "Closed", incident.Version));
        Assert.Equal((IncidentStatus.Closed, 8), (incident.Status, incident.Version));

        var read = await ExpectOkAsync(await _kr.GetAsync($"/api/incidents/{id}"));
        Assert.Equal(8, read.Version);
        Assert.Equal(
            [
                (TimelineEntryKind.Reported, "KR", null, "Reported"),
                (TimelineEntryKind.Acknowledged, "CN", "Reported", "Acknowledged"),
                (TimelineEntryKind.StatusChanged, "CN", "Acknowledged", "UnderReview"),
                (TimelineEntryKind.StatusChanged, "KR", "UnderReview", "Mitigating"),
                (TimelineEntryKind.StatusChanged, "CN", "Mitigating", "Resolved"),
                (TimelineEntryKind.Reopened, "KR", "Resolved", "UnderReview"),
                (TimelineEntryKind.StatusChanged, "CN", "UnderReview", "Resolved"),
                (TimelineEntryKind.StatusChanged, "KR", "Resolved", "Closed"),
            ],
            read.Timeline.Select(e => (e.Kind, e.ActorParty, e.OldValue, e.NewValue)).ToList());
        Assert.Equal("Reopened: the quota cut came back", read.Timeline.Single(e => e.Kind == TimelineEntryKind.Reopened).Text);
    }

    [Fact]
    public async Task Changing_the_severity_takes_If_Match_and_records_old_and_new()
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var changed = await ExpectOkAsync(await Send(_kr, HttpMethod.Put, $"/api/incidents/{incident.Id}/severity",
            new { severity = "Sev1", reason = "Two more plants affected" }, incident.Version));

        Assert.Equal((Severity.Sev1, 2), (changed.Severity, changed.Version));
        var entry = changed.Timeline.Last();
        Assert.Equal((TimelineEntryKind.SeverityChanged, "Sev2", "Sev1", "Two more plants affected"), (entry.Kind, entry.OldValue, entry.NewValue, entry.Text));
    }

    [Fact]
    public async Task The_reporter_acknowledging_its_own_incident_gets_403_and_nothing_changes()
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var response = await WritesNothing(() => Acknowledge(_kr, incident.Id, incident.Version));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "only-counterpart-may-acknowledge");
        await AssertUnchangedAsync(incident);
    }

    [Theory]
    [InlineData("Closed")]
    [InlineData("Resolved")]
    [InlineData("UnderReview")]
    [InlineData("Mitigating")]
    public async Task Moving_a_Reported_incident_past_acknowledgement_gets_409_invalid_transition_and_nothing_changes(string status)
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var response = await WritesNothing(() => MoveTo(_cn, incident.Id, status, incident.Version));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        await AssertUnchangedAsync(incident);
    }

    [Fact]
    public async Task Reopening_an_incident_that_is_not_Resolved_gets_409_invalid_transition()
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var response = await WritesNothing(() => Reopen(_kr, incident.Id, incident.Version));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        await AssertUnchangedAsync(incident);
    }

    [Theory]
    [InlineData("Reported")]
    [InlineData("Acknowledged")]
    [InlineData("Withdrawn")]
    public async Task Moving_to_a_status_that_has_its_own_endpoint_gets_400(string status)
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var response = await WritesNothing(() => MoveTo(_cn, incident.Id, status, incident.Version));

        await response.AssertFieldErrorAsync("status", "invalid-value");
        await AssertUnchangedAsync(incident);
    }

    [Fact]
    public async Task The_reporter_may_withdraw_an_incident_before_it_is_acknowledged()
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var withdrawn = await ExpectOkAsync(await Withdraw(_kr, incident.Id, incident.Version));

        Assert.Equal((IncidentStatus.Withdrawn, 2), (withdrawn.Status, withdrawn.Version));
        var entry = withdrawn.Timeline.Last();
        Assert.Equal((TimelineEntryKind.Withdrawn, "KR", "Reported", "Withdrawn"), (entry.Kind, entry.ActorParty, entry.OldValue, entry.NewValue));
        Assert.Equal("Filed in error", entry.Text);
        var acknowledge = await WritesNothing(() => Acknowledge(_cn, incident.Id, withdrawn.Version));
        await acknowledge.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
    }

    [Fact]
    public async Task The_counterpart_withdrawing_gets_403_and_nothing_changes()
    {
        var incident = await _kr.FileAsync(Requests.Incident());

        var response = await WritesNothing(() => Withdraw(_cn, incident.Id, incident.Version));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "only-reporter-may-withdraw");
        await AssertUnchangedAsync(incident);
    }

    [Fact]
    public async Task An_acknowledged_incident_can_no_longer_be_withdrawn()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var acknowledged = await ExpectOkAsync(await Acknowledge(_cn, incident.Id, incident.Version));

        var response = await WritesNothing(() => Withdraw(_kr, incident.Id, acknowledged.Version));

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        await AssertUnchangedAsync(acknowledged);
    }

    [Fact]
    public async Task A_stale_If_Match_gets_412_stale_version_and_nothing_changes()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var acknowledged = await ExpectOkAsync(await Acknowledge(_cn, incident.Id, incident.Version));

        var response = await WritesNothing(() => Send(_kr, HttpMethod.Put, $"/api/incidents/{incident.Id}/severity",
            new { severity = "Sev1", reason = "read before the acknowledgement" }, incident.Version));

        var problem = await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "stale-version");
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt32());
        await AssertUnchangedAsync(acknowledged);
    }

    [Theory]
    [InlineData("POST", "acknowledgement")]
    [InlineData("PUT", "severity")]
    [InlineData("POST", "status")]
    [InlineData("POST", "withdrawal")]
    [InlineData("POST", "reopening")]
    public async Task A_change_without_If_Match_gets_428_and_nothing_changes(string method, string change)
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var client = change == "acknowledgement" ? _cn : _kr;
        object? body = change switch
        {
            "severity" => new { severity = "Sev1" },
            "status" => new { status = "UnderReview" },
            "acknowledgement" => null,
            _ => new { reason = "because" },
        };

        var response = await WritesNothing(() => Send(client, new HttpMethod(method), $"/api/incidents/{incident.Id}/{change}", body, ifMatch: null));

        await response.AssertProblemAsync(HttpStatusCode.PreconditionRequired, "if-match-required");
        await AssertUnchangedAsync(incident);
    }

    [Fact]
    public async Task Of_two_concurrent_changes_with_the_same_If_Match_exactly_one_succeeds_and_the_other_gets_412()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var current = incident;

        for (var round = 0; round < 5; round++)
        {
            var targets = Enum.GetValues<Severity>().Where(s => s != current.Severity).Take(2).ToArray();
            var responses = await Task.WhenAll(targets.Select(target => Send(
                target == targets[0] ? _kr : _cn, HttpMethod.Put, $"/api/incidents/{incident.Id}/severity",
                new { severity = target.ToString(), reason = $"round {round}" }, current.Version)));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.OK);
            var problem = await loser.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "stale-version");
            var winner = await ExpectOkAsync(responses.Single(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(current.Version + 1, winner.Version);
            Assert.Equal(winner.Version, problem.GetProperty("currentVersion").GetInt32());
            current = winner;
        }

        var read = await ExpectOkAsync(await _kr.GetAsync($"/api/incidents/{incident.Id}"));
        Assert.Equal(6, read.Version);
        Assert.Equal(current.Severity, read.Severity);
        Assert.Equal(5, read.Timeline.Count(e => e.Kind == TimelineEntryKind.SeverityChanged));
    }

    [Fact]
    public async Task An_Internal_comment_is_seen_by_its_authors_party_and_leaves_no_trace_for_the_other()
    {
        const string secret = "Company names given in confidence: Hanil Magnetics";
        var incident = await _kr.FileAsync(Requests.Incident());
        var uri = $"/api/incidents/{incident.Id}";

        var posted = await _kr.PostAsJsonAsync($"{uri}/comments", new { text = secret, visibility = "Internal" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var entry = await posted.ReadAsync<TimelineEntryView>();
        Assert.Equal((TimelineEntryKind.Commented, Visibility.Internal, secret), (entry.Kind, entry.Visibility, entry.Text));

        var krView = await ExpectOkAsync(await _kr.GetAsync(uri));
        Assert.Contains(krView.Timeline, e => e.Id == entry.Id && e.Text == secret && e.Visibility == Visibility.Internal);
        Assert.Equal(1, krView.Version); // a comment is not a change of state

        var cnGet = await _cn.GetAsync(uri);
        var cnRaw = await cnGet.Content.ReadAsStringAsync();
        var cnView = await ExpectOkAsync(cnGet);
        Assert.DoesNotContain(cnView.Timeline, e => e.Kind == TimelineEntryKind.Commented);
        Assert.Single(cnView.Timeline);
        Assert.DoesNotContain(entry.Id.ToString(), cnRaw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Hanil", cnRaw);

        // Nor in what CN gets back from a change it makes.
        var acknowledged = await Acknowledge(_cn, incident.Id, cnView.Version);
        var acknowledgedRaw = await acknowledged.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.DoesNotContain(entry.Id.ToString(), acknowledgedRaw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Hanil", acknowledgedRaw);
        Assert.DoesNotContain("Hanil", await _cn.GetStringAsync("/api/incidents?pageSize=100"));
    }

    [Fact]
    public async Task An_Internal_comment_by_the_counterpart_is_hidden_from_the_reporter()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var uri = $"/api/incidents/{incident.Id}";

        var posted = await _cn.PostAsJsonAsync($"{uri}/comments", new { text = "Our position: no quota change before Q2", visibility = "Internal" });
        var entry = await posted.ReadAsync<TimelineEntryView>();

        var krRaw = await _kr.GetStringAsync(uri);
        var cnView = await ExpectOkAsync(await _cn.GetAsync(uri));
        Assert.DoesNotContain(entry.Id.ToString(), krRaw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("quota change", krRaw);
        Assert.Contains(cnView.Timeline, e => e.Id == entry.Id);
    }

    [Fact]
    public async Task A_Shared_comment_is_seen_by_both_parties()
    {
        var incident = await _kr.FileAsync(Requests.Incident());
        var uri = $"/api/incidents/{incident.Id}";

        var posted = await _kr.PostAsJsonAsync($"{uri}/comments", new { text = "Documents sent to Tianjin Customs", visibility = "Shared" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var entry = await posted.ReadAsync<TimelineEntryView>();

        foreach (var client in new[] { _kr, _cn })
        {
            var view = await ExpectOkAsync(await client.GetAsync(uri));
            var seen = Assert.Single(view.Timeline, e => e.Kind == TimelineEntryKind.Commented);
            Assert.Equal((entry.Id, "Documents sent to Tianjin Customs", Visibility.Shared, "KR"), (seen.Id, seen.Text, seen.Visibility, seen.ActorParty));
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served_anonymously_and_lists_the_incident_endpoints()
    {
        var response = await _app.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!.AsObject();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).ToHashSet();
        Assert.Superset(
            new HashSet<string>
            {
                "GET /api/incidents", "POST /api/incidents", "GET /api/incidents/{id}", "POST /api/incidents/{id}/comments",
                "POST /api/incidents/{id}/acknowledgement", "PUT /api/incidents/{id}/severity", "POST /api/incidents/{id}/status",
                "POST /api/incidents/{id}/withdrawal", "POST /api/incidents/{id}/reopening",
            },
            operations);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task A_health_endpoint_answers_200_anonymously(string uri)
    {
        var response = await _app.CreateClient().GetAsync(uri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body == "Healthy" || body.StartsWith("{\"status\":\"Healthy\"", StringComparison.Ordinal), body);
    }

    /// <summary>Runs the request and asserts it wrote nothing: no incident, no timeline entry, no event.</summary>
    private async Task<HttpResponseMessage> WritesNothing(Func<Task<HttpResponseMessage>> send)
    {
        var before = await fixture.RecordCountsAsync();
        var response = await send();
        Assert.Equal(before, await fixture.RecordCountsAsync());
        return response;
    }

    private async Task AssertUnchangedAsync(IncidentDetails before)
    {
        var now = await ExpectOkAsync(await _kr.GetAsync($"/api/incidents/{before.Id}"));
        Assert.Equal((before.Version, before.Status, before.Severity), (now.Version, now.Status, now.Severity));
        Assert.Equal(before.Timeline.Select(e => e.Id), now.Timeline.Select(e => e.Id));
    }

    /// <summary>Asserts 200 with an ETag that is the version in the body.</summary>
    private static async Task<IncidentDetails> ExpectOkAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var incident = await response.ReadAsync<IncidentDetails>();
        Assert.Equal($"\"{incident.Version}\"", response.Headers.ETag?.Tag);
        return incident;
    }

    private static HttpRequestMessage Request(string method, string uri, int? ifMatch)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (method != "GET")
        {
            request.Content = JsonContent.Create(uri.EndsWith("/api/incidents", StringComparison.Ordinal) ? Requests.Incident() : new { text = "x", visibility = "Shared", severity = "Sev1" });
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        return request;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string uri, object? body, int? ifMatch)
    {
        var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        return client.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Acknowledge(HttpClient client, Guid id, int ifMatch) =>
        Send(client, HttpMethod.Post, $"/api/incidents/{id}/acknowledgement", null, ifMatch);

    private static Task<HttpResponseMessage> MoveTo(HttpClient client, Guid id, string status, int ifMatch) =>
        Send(client, HttpMethod.Post, $"/api/incidents/{id}/status", new { status, reason = $"Moving to {status}" }, ifMatch);

    private static Task<HttpResponseMessage> Withdraw(HttpClient client, Guid id, int ifMatch) =>
        Send(client, HttpMethod.Post, $"/api/incidents/{id}/withdrawal", new { reason = "Filed in error" }, ifMatch);

    private static Task<HttpResponseMessage> Reopen(HttpClient client, Guid id, int ifMatch) =>
        Send(client, HttpMethod.Post, $"/api/incidents/{id}/reopening", new { reason = "Reopened: the quota cut came back" }, ifMatch);

    private static JsonObject IncidentOn(string channel)
    {
        var incident = JsonSerializer.SerializeToNode(Requests.Incident(), Requests.Json)!.AsObject();
        incident["channel"] = channel;
        return incident;
    }
}

/// <summary>
/// Six incidents, filed in this order on a database of their own, so that every filter has an
/// exact answer: #1 KR on KR–CN Sev2 Nd+Dy 8505.11 + national 2805.30.1000 · #2 KR on KR–CN Sev3 Ce
/// 2846.10 · #3 CN on KR–CN Sev1 Y 2805.30 · #4 KR on KR–VN Sev4 La · #5 KR on KR–CN Sev2 Tb 2846.90,
/// acknowledged by CN · #6 VN on KR–VN Sev3 Sm. Marks: after #2 and after #4.
/// </summary>
public sealed class IncidentListFixture : IncidentsAppFixture
{
    public Dictionary<int, IncidentDetails> Incidents { get; } = [];

    public DateTimeOffset AfterSecond { get; private set; }

    public DateTimeOffset AfterFourth { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var kr = App.KrOfficerClient();
        var cn = App.CnOfficerClient();
        var vn = VnOfficerClient();

        Incidents[1] = await FileAsync(kr, 1, "KR-CN", "Sev2", ["Nd", "Dy"], ["8505.11", "2805.30.1000"]);
        Incidents[2] = await FileAsync(kr, 2, "KR-CN", "Sev3", ["Ce"], ["2846.10"]);
        AfterSecond = await MarkAsync();
        Incidents[3] = await FileAsync(cn, 3, "KR-CN", "Sev1", ["Y"], ["2805.30"]);
        Incidents[4] = await FileAsync(kr, 4, "KR-VN", "Sev4", ["La"], []);
        AfterFourth = await MarkAsync();
        Incidents[5] = await FileAsync(kr, 5, "KR-CN", "Sev2", ["Tb"], ["2846.90"]);
        Incidents[6] = await FileAsync(vn, 6, "KR-VN", "Sev3", ["Sm"], []);

        var acknowledge = new HttpRequestMessage(HttpMethod.Post, $"/api/incidents/{Incidents[5].Id}/acknowledgement");
        acknowledge.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await cn.SendAsync(acknowledge)).StatusCode);
    }

    private static async Task<DateTimeOffset> MarkAsync()
    {
        await Task.Delay(20);
        var mark = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        return mark;
    }

    private static async Task<IncidentDetails> FileAsync(HttpClient client, int number, string channel, string severity, string[] minerals, string[] hsCodes)
    {
        var incident = JsonSerializer.SerializeToNode(Requests.Incident(title: $"#{number}"), Requests.Json)!.AsObject();
        incident["channel"] = channel;
        incident["severity"] = severity;
        incident["minerals"] = new JsonArray([.. minerals.Select(m => JsonValue.Create(m))]);
        incident["hsCodes"] = new JsonArray([.. hsCodes.Select(c => JsonValue.Create(c))]);
        return await client.FileAsync(incident);
    }
}

/// <summary>The incident list: each filter, pagination and ordering, as each party may see it.</summary>
public sealed class IncidentListTests(IncidentListFixture fixture) : IClassFixture<IncidentListFixture>
{
    [Theory]
    [InlineData("KR", "", "6,5,4,3,2,1")]
    [InlineData("CN", "", "5,3,2,1")]
    [InlineData("VN", "", "6,4")]
    [InlineData("KR", "channel=KR-CN", "5,3,2,1")]
    [InlineData("KR", "channel=KR-VN", "6,4")]
    [InlineData("CN", "channel=KR-VN", "")]
    [InlineData("KR", "status=Acknowledged", "5")]
    [InlineData("KR", "status=Reported", "6,4,3,2,1")]
    [InlineData("KR", "severity=Sev2", "5,1")]
    [InlineData("KR", "severity=Sev1", "3")]
    [InlineData("KR", "mineral=Nd", "1")]
    [InlineData("KR", "mineral=Y", "3")]
    [InlineData("KR", "mineral=Lu", "")]
    [InlineData("KR", "hsCode=2805.30", "3,1")]
    [InlineData("KR", "hsCode=280530", "3,1")]
    [InlineData("KR", "hsCode=2805.30.1000", "1")]
    [InlineData("KR", "hsCode=8505.11", "1")]
    [InlineData("KR", "hsCode=2846.90", "5")]
    [InlineData("KR", "reportingParty=CN", "3")]
    [InlineData("KR", "reportingParty=VN", "6")]
    [InlineData("CN", "reportingParty=VN", "")]
    [InlineData("KR", "reportingParty=KR&channel=KR-CN&severity=Sev2", "5,1")]
    [InlineData("KR", "from={afterSecond}", "6,5,4,3")]
    [InlineData("KR", "to={afterSecond}", "2,1")]
    [InlineData("KR", "from={afterSecond}&to={afterFourth}", "4,3")]
    [InlineData("CN", "from={afterSecond}&to={afterFourth}", "3")]
    public async Task A_filter_finds_exactly_the_matching_incidents_the_reader_may_see_newest_first(string party, string query, string expected)
    {
        query = query.Replace("{afterSecond}", Uri.EscapeDataString(fixture.AfterSecond.ToString("O")))
            .Replace("{afterFourth}", Uri.EscapeDataString(fixture.AfterFourth.ToString("O")));

        var page = await ListAsync(party, query);

        var numbers = Numbers(expected);
        Assert.Equal(numbers, page.Items.Select(Number).ToList());
        Assert.Equal(numbers.Count, page.TotalCount);
        Assert.Equal((1, 20), (page.Page, page.PageSize));
    }

    [Fact]
    public async Task Pages_split_the_list_newest_first_and_each_tells_the_total()
    {
        var pages = new List<PagedList<IncidentSummary>>();
        for (var number = 1; number <= 4; number++)
        {
            pages.Add(await ListAsync("KR", $"page={number}&pageSize=2"));
        }

        Assert.Equal([[6, 5], [4, 3], [2, 1], []], pages.Select(p => p.Items.Select(Number).ToList()).ToList());
        Assert.All(pages, p => Assert.Equal((6, 2), (p.TotalCount, p.PageSize)));
        Assert.Equal([1, 2, 3, 4], pages.Select(p => p.Page));

        var all = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(all.OrderByDescending(i => i.ReportedAt).Select(i => i.Id), all.Select(i => i.Id));
        Assert.Equal(6, all.Select(i => i.ReportedAt).Distinct().Count());
    }

    [Fact]
    public async Task A_filtered_list_is_paged_over_its_own_total()
    {
        var second = await ListAsync("KR", "channel=KR-CN&pageSize=3&page=2");

        Assert.Equal([1], second.Items.Select(Number));
        Assert.Equal((4, 2, 3), (second.TotalCount, second.Page, second.PageSize));
    }

    [Fact]
    public async Task A_summary_carries_the_facts_of_its_incident()
    {
        var page = await ListAsync("CN", "mineral=Tb");

        var summary = Assert.Single(page.Items);
        var filed = fixture.Incidents[5];
        Assert.Equal((filed.Id, "KR-CN", "KR", "CN", "customs-hold"), (summary.Id, summary.Channel, summary.ReportingParty, summary.CounterpartParty, summary.Type));
        Assert.Equal((Severity.Sev2, IncidentStatus.Acknowledged, 2), (summary.Severity, summary.Status, summary.Version));
        Assert.Equal(["2846.90"], summary.HsCodes);
        Assert.NotNull(summary.AcknowledgedAt);
    }

    private async Task<PagedList<IncidentSummary>> ListAsync(string party, string query)
    {
        var client = fixture.App.ClientFor($"{party.ToLowerInvariant()}-officer", party, HotlineRoles.LiaisonOfficer);
        var response = await client.GetAsync($"/api/incidents?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<PagedList<IncidentSummary>>();
    }

    private int Number(IncidentSummary summary) => fixture.Incidents.Single(i => i.Value.Id == summary.Id).Key;

    private static List<int> Numbers(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
}
