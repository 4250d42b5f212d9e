using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Barrage;

/// <summary>
/// A service under the barrage: its host (endpoints, policies, database), how to call it, who calls
/// it (a person of <see cref="Party"/> in the role an endpoint's policy lets in), the records its
/// routes name (the caller's own, and the other party's), and headers its writes need.
/// <see cref="PublicAcrossParties"/> names the reads whose subject is public to every party by design
/// (a party's published signing keys): there the other party's value is no other party's record.
/// </summary>
public sealed record BarrageTarget(
    string Name,
    IServiceProvider Host,
    Func<HttpClient> NewClient,
    StateFingerprint State,
    string Party,
    Func<string, Task<string>> TokenForRole,
    IReadOnlyDictionary<string, string> RouteValues,
    IReadOnlyDictionary<string, string> ForeignRouteValues,
    IReadOnlyDictionary<string, string> WriteHeaders,
    bool SendsValidWrites,
    IReadOnlyList<string>? PublicAcrossParties = null);

/// <summary>What went wrong, grouped: one line per operation and kind of failure, with a count and the first example.</summary>
public sealed class Violations
{
    private readonly ConcurrentDictionary<string, (int Count, string Example)> _groups = new();

    public int Count => _groups.Values.Sum(g => g.Count);

    public void Add(string operation, string cause, string example) =>
        _groups.AddOrUpdate($"{operation} — {cause}", _ => (1, example), (_, g) => (g.Count + 1, g.Example));

    public string Report(int lines = 100)
    {
        var groups = _groups.OrderBy(g => Rank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var text = new StringBuilder($"{Count:N0} violations in {groups.Count} groups:{Environment.NewLine}");
        foreach (var (key, (count, example)) in groups.Take(lines))
        {
            text.AppendLine($"{count,5} × {key}{Environment.NewLine}        e.g. {example}");
        }

        if (groups.Count > lines)
        {
            text.AppendLine($"… and {groups.Count - lines} more groups");
        }

        return text.ToString();
    }

    /// <summary>Server faults first, then what was let in or written, then the shape of refusals, then the document's disagreements.</summary>
    private static int Rank(string key) =>
        key.Contains(" — 5", StringComparison.Ordinal) || key.Contains("no answer", StringComparison.Ordinal) ? 0
        : key.Contains("state changed", StringComparison.Ordinal) ? 1
        : key.Contains("accepted", StringComparison.Ordinal) ? 2
        : key.Contains("valid request", StringComparison.Ordinal) ? 3
        : key.Contains("document", StringComparison.Ordinal) ? 5
        : 4;
}

/// <summary>
/// The generated barrage (issue 14, item 4): reads a service's OpenAPI document and endpoint data source,
/// derives the classes of bad input for every operation from a valid request, sends them, and checks
/// every answer: a 4xx problem with a stable code (never 5xx, never a success for what must be refused),
/// as the document describes it, and nothing stored.
/// </summary>
public sealed partial class Barrage(Violations violations, Action<string> log)
{
    private const int Parallelism = 6;

    /// <summary>
    /// Routes that are not the JSON API the document describes, with why they are skipped here:
    /// health probes and the document itself take no input; the OpenID Connect protocol endpoints answer
    /// protocol errors (RFC 6749), not problem details, and the sign-in pages are HTML forms — both have
    /// IdentityBadInputTests; the notification hub speaks SignalR, whose bad input FeedBadInputTests sends.
    /// </summary>
    public static readonly string[] NotApi = ["/health/", "/openapi/", "/connect/", "/account/", "/hubs/"];

    /// <summary>
    /// Statuses the framework or an endpoint answers that today's documents do not list (they list only
    /// success and 400). When the OpenAPI branch documents every answer, empty this set: then any
    /// status the document does not give for an operation is a violation.
    /// </summary>
    public static readonly HashSet<int> UndocumentedToday = [];

    public int Sent { get; private set; }

    public int ServerErrors { get; private set; }

    /// <summary>Requests the in-memory test server could not carry (Incidents and Escalation run on it), so never sent.</summary>
    public int NotCarried { get; private set; }

    /// <summary>The service's API endpoints (method and route with constraints dropped), as the document would name them.</summary>
    public static IReadOnlyList<(string Key, Endpoint Endpoint)> ApiEndpoints(IServiceProvider host) =>
        host.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Key: $"{m} {DocumentPath(e)}", Endpoint: (Endpoint)e)))
            .Where(e => !NotApi.Any(prefix => e.Key.Split(' ')[1].StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

    public static async Task<ApiDocument> DocumentAsync(Func<HttpClient> newClient)
    {
        using var client = newClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return new ApiDocument(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Sends every bad input to every operation of the service; returns the valid requests, to be checked once all services are done.</summary>
    public async Task<List<(BarrageTarget Target, ValidRequest Valid, string Token)>> RunAsync(BarrageTarget target, IReadOnlyDictionary<string, JsonNode?> samples)
    {
        var document = await DocumentAsync(target.NewClient);
        var inputs = new BadInputs(document, samples);
        var endpoints = ApiEndpoints(target.Host).ToDictionary(e => e.Key, e => e.Endpoint);
        var valids = new List<(BarrageTarget, ValidRequest, string)>();
        using var client = target.NewClient();
        var sentBefore = Sent;
        var started = DateTimeOffset.UtcNow;

        foreach (var operation in document.Operations)
        {
            if (!endpoints.TryGetValue(operation.Key, out var endpoint))
            {
                continue; // an operation without an endpoint: the coverage test names what the document and the host disagree on
            }

            var token = await target.TokenForRole(await CallerRoleAsync(target.Host, endpoint));
            var valid = inputs.Valid(operation, target.RouteValues);
            var foreign = target.PublicAcrossParties?.Contains(operation.Key) == true ? new Dictionary<string, string>() : target.ForeignRouteValues;
            var probes = inputs.From(valid, foreign).ToList();
            var statuses = new ConcurrentDictionary<int, int>();
            async Task SendAllAsync(IEnumerable<Probe> batch) =>
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (probe, _) =>
                {
                    var status = await SendAndCheckAsync(client, target, document, operation, probe, token);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                });

            // What must be refused, between two readings of the database; then what the document allows, which may write.
            var before = await target.State.ReadAsync();
            await SendAllAsync(probes.Where(p => p.MustRefuse));
            var after = await target.State.ReadAsync();
            if (before != after)
            {
                violations.Add($"{target.Name} {operation.Key}", "state changed by bad requests",
                    $"tables changed: {StateFingerprint.Difference(before, after)}");
            }

            await SendAllAsync(probes.Where(p => !p.MustRefuse));

            log($"  {target.Name} {operation.Key}: {probes.Count} requests → {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}×{s.Key}"))}");
            valids.Add((target, valid, token));
        }

        log($"barrage {target.Name}: {Sent - sentBefore:N0} requests in {(DateTimeOffset.UtcNow - started).TotalSeconds:N0} s");
        return valids;
    }

    /// <summary>
    /// The other side: the valid request each bad one was derived from must not be refused as invalid,
    /// or the barrage tested the sample table instead of the server. GETs always; writes where the
    /// service's state is the test's own.
    /// </summary>
    public async Task CheckValidAsync(BarrageTarget target, ValidRequest valid, string token)
    {
        if (valid.Operation.Method != "GET" && !target.SendsValidWrites)
        {
            return;
        }

        using var client = target.NewClient();
        using var request = Request(target, valid.Operation, valid.AsProbe("the valid request"), token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        Sent++;
        log($"  valid {target.Name} {valid.Operation.Key}: {status}");
        if (status >= 500 || status == 400)
        {
            violations.Add($"{target.Name} {valid.Operation.Key}", $"the valid request (document + sample table) got {status}",
                $"{valid.Url()} {BadInputs.Excerpt(valid.Body?.ToJsonString())} → {BadInputs.Excerpt(body, 300)}");
        }
    }

    private async Task<int> SendAndCheckAsync(HttpClient client, BarrageTarget target, ApiDocument document, ApiOperation operation, Probe probe, string token)
    {
        string body;
        int status;
        string? mediaType;
        try
        {
            using var request = Request(target, operation, probe, token);
            using var response = await client.SendAsync(request);
            body = await response.Content.ReadAsStringAsync();
            status = (int)response.StatusCode;
            mediaType = response.Content.Headers.ContentType?.MediaType;
        }
        catch (InvalidOperationException exception) when (exception.Source == "Microsoft.AspNetCore.TestHost" || exception.StackTrace?.Contains("TestHost", StringComparison.Ordinal) == true)
        {
            // The in-memory test server will not carry some URLs (a NUL in the path); Kestrel would: not sent.
            lock (violations)
            {
                NotCarried++;
            }

            return 0;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            // The connection dropped or the server never answered: as bad as a 500.
            Count(500);
            violations.Add($"{target.Name} {operation.Key}", $"no answer ({exception.GetType().Name}) ← {probe.Class}", Example(probe, 0, exception.Message));
            return 0;
        }

        Count(status);
        var key = $"{target.Name} {operation.Key}";
        foreach (var failure in Check(probe, status, mediaType, body))
        {
            violations.Add(key, failure, Example(probe, status, body));
        }

        foreach (var failure in ResponseMatchesDocument(document, operation, status, mediaType, body))
        {
            violations.Add(key, failure, Example(probe, status, body));
        }

        return status;
    }

    private void Count(int status)
    {
        lock (violations)
        {
            Sent++;
            if (status >= 500)
            {
                ServerErrors++;
            }
        }
    }

    /// <summary>What every answer to a bad request must be: never 5xx; a 4xx for what must be refused; any 4xx a problem with a stable code.</summary>
    private static IEnumerable<string> Check(Probe probe, int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            yield return $"{status} ← {probe.Class}";
            yield break;
        }

        if (status < 400)
        {
            if (probe.MustRefuse)
            {
                yield return $"accepted ({status}) ← {probe.Class}";
            }

            yield break;
        }

        if (mediaType != "application/problem+json")
        {
            yield return $"{status} not problem+json but {mediaType ?? "no body"} ← {probe.Class}";
            yield break;
        }

        if (Parse(body) is not { } problem)
        {
            yield return $"{status} problem that is not JSON ← {probe.Class}";
            yield break;
        }

        var code = problem.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (string.IsNullOrWhiteSpace(code) || !KebabCase().IsMatch(code))
        {
            yield return $"{status} without a kebab-case code (code: {code ?? "none"})";
        }

        if (!problem.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(title.GetString()))
        {
            yield return $"{status} without a title";
        }

        if (status == 400 && problem.TryGetProperty("errors", out var errors))
        {
            if (errors.ValueKind != JsonValueKind.Array)
            {
                yield return "400 errors not a list of {field, code, message}";
            }
            else if (errors.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object || !NonEmpty(e, "field") || !NonEmpty(e, "code")))
            {
                yield return "400 with an error that names no field or no code";
            }
        }
    }

    /// <summary>
    /// The answer as the document describes it: a status it lists for the operation (or, until the
    /// documents list every answer, one of <see cref="UndocumentedToday"/>), and where it gives a schema
    /// for that status, a body with the schema's required properties in the right JSON types.
    /// </summary>
    public static IEnumerable<string> ResponseMatchesDocument(ApiDocument document, ApiOperation operation, int status, string? mediaType, string body)
    {
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(code, out var schema) && !operation.Responses.TryGetValue($"{code[0]}XX", out schema)
            && !operation.Responses.TryGetValue("default", out schema))
        {
            if (!UndocumentedToday.Contains(status))
            {
                yield return $"status {status} not in the document";
            }

            yield break;
        }

        if (schema is null || mediaType?.Contains("json", StringComparison.Ordinal) != true)
        {
            yield break;
        }

        if (Parse(body) is not { } value)
        {
            yield break; // Check has said so
        }

        foreach (var mismatch in SchemaMismatches(document, schema.Value, value, "body", depth: 0))
        {
            yield return $"{status} body differs from the document: {mismatch}";
        }
    }

    private static IEnumerable<string> SchemaMismatches(ApiDocument document, JsonElement schema, JsonElement value, string where, int depth)
    {
        var type = document.TypeOf(schema);
        var kind = value.ValueKind switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            _ => "null",
        };
        var allowed = kind == "null" ? type.Nullable || type.Types.Count == 0
            : type.Types.Count == 0 || type.Types.Contains(kind) || (kind == "integer" && type.Types.Contains("number"));
        if (!allowed)
        {
            yield return $"{where} is {kind}, the document says {string.Join('|', type.Types)}{(type.Nullable ? "|null" : "")}";
            yield break;
        }

        if (depth > 4)
        {
            yield break;
        }

        if (kind == "object")
        {
            var (properties, required) = document.ObjectOf(schema);
            foreach (var name in required.Where(name => !value.TryGetProperty(name, out _)))
            {
                yield return $"{where}.{name} missing";
            }

            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetValue(property.Name, out var propertySchema))
                {
                    foreach (var mismatch in SchemaMismatches(document, propertySchema, property.Value, $"{where}.{property.Name}", depth + 1))
                    {
                        yield return mismatch;
                    }
                }
            }
        }
        else if (kind == "array" && document.ItemsOf(schema) is { } items && value.GetArrayLength() > 0)
        {
            foreach (var mismatch in SchemaMismatches(document, items, value[0], $"{where}[0]", depth + 1))
            {
                yield return mismatch;
            }
        }
    }

    private static HttpRequestMessage Request(BarrageTarget target, ApiOperation operation, Probe probe, string token)
    {
        var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (operation.Method != "GET")
        {
            foreach (var (name, value) in target.WriteHeaders)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (probe.Body is not null)
        {
            var body = probe.Body.Replace(BadInputs.FreshId, Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace(BadInputs.FreshName, $"{Guid.NewGuid():N}"[..10], StringComparison.Ordinal);
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (probe.ContentType is not null)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(probe.ContentType == "application/json" ? "application/json; charset=utf-8" : probe.ContentType);
            }

            request.Content = content;
        }

        return request;
    }

    /// <summary>The role to call an endpoint in: the first its policies let in, preferring the roles that work incidents and administer.</summary>
    private static async Task<string> CallerRoleAsync(IServiceProvider host, Endpoint endpoint)
    {
        var provider = host.GetRequiredService<IAuthorizationPolicyProvider>();
        var roles = new List<string>();
        foreach (var data in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>())
        {
            if (data.Policy is not null && await provider.GetPolicyAsync(data.Policy) is { } policy)
            {
                roles.AddRange(policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
            }
        }

        string[] preferred = ["LiaisonOfficer", "Administrator"];
        return preferred.FirstOrDefault(roles.Contains) ?? roles.FirstOrDefault() ?? "LiaisonOfficer";
    }

    private static string DocumentPath(RouteEndpoint endpoint)
    {
        var raw = endpoint.RoutePattern.RawText ?? "/";
        var text = raw.Length > 1 ? "/" + raw.Trim('/') : "/";
        return RouteParameter().Replace(text, "{$1}");
    }

    private static string Example(Probe probe, int status, string response) =>
        $"{probe.Method} {BadInputs.Excerpt(probe.Url, 200)} [{probe.ContentType ?? "no content type"}] {BadInputs.Excerpt(probe.Body)} → {status} {BadInputs.Excerpt(response, 300)}";

    private static JsonElement? Parse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool NonEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString());

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
