using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineSystem.Web.Security;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Web.Apis;

/// <summary>The services the console calls, each at its own address (ConsoleSettings).</summary>
public enum HotlineService
{
    Incidents,
    Escalation,
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
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<T> GetAsync<T>(HotlineService service, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, service, pathAndQuery, cancellationToken);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"{service} answered {pathAndQuery} without a body.");
    }

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

    public Uri AddressOf(HotlineService service) => service switch
    {
        HotlineService.Incidents => settings.Value.Incidents,
        HotlineService.Escalation => settings.Value.Escalation,
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

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
