using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Client;
using HotlineSystem.Web.Security;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Web.Apis;

/// <summary>The services the console calls, each at its own address (ConsoleSettings).</summary>
public enum HotlineService
{
    Incidents,
    Escalation,
    Committee,
    Notifications,
    Identity,
}

/// <summary>
/// The services' APIs on the signed-in person's behalf: every call carries their access token
/// (renewed on the server, never sent to the browser), and their party decides what comes back.
/// </summary>
public sealed class HotlineApi(IHttpClientFactory clients, ConsoleUser user, IOptions<ConsoleSettings> settings)
{
    public const string ClientName = "hotline-api";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A feed kind newer than the console reads as Unknown, so one new kind does not break the bell or the inbox.
        Converters = { new TolerantKindConverter(), new JsonStringEnumConverter() },
    };

    public async Task<T> GetAsync<T>(HotlineService service, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, service, pathAndQuery, cancellationToken);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"{service} answered {pathAndQuery} without a body.");
    }

    /// <summary>A write; <paramref name="version"/> goes as If-Match where the record's version guards the change.</summary>
    public async Task SendAsync(HttpMethod method, HotlineService service, string path, object? body, int? version, CancellationToken cancellationToken)
    {
        using var response = await WriteAsync(method, service, path, body, version, cancellationToken);
    }

    /// <summary>A write that answers with the record as it now stands.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, HotlineService service, string path, object? body, int? version, CancellationToken cancellationToken)
    {
        using var response = await WriteAsync(method, service, path, body, version, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"{service} answered {path} without a body.");
    }

    private async Task<HttpResponseMessage> WriteAsync(HttpMethod method, HotlineService service, string path, object? body, int? version, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(method, service, path, cancellationToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (version is { } expected)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{expected}\""));
        }

        var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        try
        {
            await ThrowIfProblemAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<Guid> FileAsync(IncidentFiling incident, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Post, HotlineService.Incidents, "api/incidents", cancellationToken);
        request.Content = JsonContent.Create(incident, options: Json);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<Filed>(Json, cancellationToken))!.Id;
    }

    public Task<IncidentDetails> IncidentAsync(Guid id, CancellationToken cancellationToken) =>
        GetAsync<IncidentDetails>(HotlineService.Incidents, $"api/incidents/{id}", cancellationToken);

    /// <summary>The incident's escalation, or null when it has none (or none the reader may see).</summary>
    public async Task<EscalationSummary?> EscalationAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync<EscalationSummary>(HotlineService.Escalation, $"api/escalations/{incidentId}", cancellationToken);
        }
        catch (ApiProblem problem) when (problem.Status == 404)
        {
            return null;
        }
    }

    public Task AcknowledgeAsync(Guid id, int version, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, HotlineService.Incidents, $"api/incidents/{id}/acknowledgement", null, version, cancellationToken);

    public Task CommentAsync(Guid id, string text, Visibility visibility, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, HotlineService.Incidents, $"api/incidents/{id}/comments", new { text, visibility = visibility.ToString() }, null, cancellationToken);

    public Task<PagedList<IncidentSummary>> IncidentsAsync(IncidentFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = new List<string> { $"page={page}", $"pageSize={pageSize}" };
        Add(query, "channel", filter.Channel);
        Add(query, "status", filter.Status?.ToString());
        Add(query, "severity", filter.Severity?.ToString());
        Add(query, "mineral", filter.Mineral);
        Add(query, "reportingParty", filter.ReportingParty);
        return GetAsync<PagedList<IncidentSummary>>(HotlineService.Incidents, "api/incidents?" + string.Join('&', query), cancellationToken);
    }

    public Task<Catalogue> CatalogueAsync(CancellationToken cancellationToken) =>
        GetAsync<Catalogue>(HotlineService.Incidents, "api/catalogue", cancellationToken);

    public Task<UnreadCount> UnreadAsync(CancellationToken cancellationToken) =>
        GetAsync<UnreadCount>(HotlineService.Notifications, "api/feed/unread", cancellationToken);

    public Task<FeedPage> FeedAsync(int limit, CancellationToken cancellationToken) =>
        GetAsync<FeedPage>(HotlineService.Notifications, $"api/feed?limit={limit}", cancellationToken);

    /// <summary>The escalations that reached the person (their feed's EscalationTierReached entries), newest first.</summary>
    public Task<FeedPage> EscalationsReachingMeAsync(int limit, CancellationToken cancellationToken) =>
        GetAsync<FeedPage>(HotlineService.Notifications, $"api/feed?kind={FeedEntryKind.EscalationTierReached}&limit={limit}", cancellationToken);

    public Task MarkReadAsync(long upTo, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, HotlineService.Notifications, "api/feed/read", new { upTo }, null, cancellationToken);

    public Task MarkReadAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, HotlineService.Notifications, "api/feed/read", new { sequences }, null, cancellationToken);

    public Uri AddressOf(HotlineService service) => service switch
    {
        HotlineService.Incidents => settings.Value.Incidents,
        HotlineService.Escalation => settings.Value.Escalation,
        HotlineService.Committee => settings.Value.Committee,
        HotlineService.Notifications => settings.Value.Notifications,
        HotlineService.Identity => settings.Value.Identity,
        _ => throw new ArgumentOutOfRangeException(nameof(service)),
    };

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, HotlineService service, string pathAndQuery, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, new Uri(AddressOf(service), pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await user.AccessTokenAsync(cancellationToken));
        return request;
    }

    private static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<ProblemAnswer>(Json, cancellationToken)
            : null;
        throw new ApiProblem((int)response.StatusCode, problem?.Code ?? "http-" + (int)response.StatusCode, problem?.Detail, problem?.Errors ?? []);
    }

    private sealed record ProblemAnswer(string? Code, string? Detail, IReadOnlyList<FieldError>? Errors);

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
