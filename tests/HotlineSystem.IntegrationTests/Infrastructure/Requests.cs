using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using HotlineSystem.Incidents.Features;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>Request bodies and response reading, as a client of the API would write them.</summary>
public static class Requests
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static object Incident(Guid? requestId = null, string title = "Customs hold on NdFeB magnets at Tianjin", string severity = "Sev2", string channel = "KR-CN") => new
    {
        requestId = requestId ?? Guid.NewGuid(),
        channel,
        type = "customs-hold",
        severity,
        title,
        description = "Three shipments held pending additional documents; about three weeks of inventory cover.",
        language = "en",
        minerals = new[] { "Nd", "Dy" },
        hsCodes = new[] { "8505.11", "2805.30.1000" },
        sectors = new[] { "permanent-magnets", "electric-vehicles" },
        quantityTonnes = 42.5,
        inventoryCoverDays = 21,
        startedOn = "2026-11-20",
        counterpartAgency = "Tianjin Customs",
    };

    public static async Task<IncidentDetails> FileAsync(this HttpClient client, object? body = null)
    {
        var response = await client.PostAsJsonAsync("/api/incidents", body ?? Incident());
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IncidentDetails>(Json))!;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json))!;

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static HttpRequestMessage WithIfMatch(this HttpRequestMessage request, int version)
    {
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return request;
    }

    public static HttpRequestMessage Post(string uri, object? body = null) =>
        new(HttpMethod.Post, uri) { Content = body is null ? null : JsonContent.Create(body) };

    public static HttpRequestMessage Put(string uri, object body) =>
        new(HttpMethod.Put, uri) { Content = JsonContent.Create(body) };
}
