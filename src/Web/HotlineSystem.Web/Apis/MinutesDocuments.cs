using System.Net.Http.Headers;
using HotlineSystem.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Web.Apis;

/// <summary>
/// Signed minutes to print or keep (the Committee service's HTML document and PDF), fetched on the
/// person's behalf: a browser link cannot carry the access token, which never leaves the server.
/// </summary>
public static class MinutesDocuments
{
    public static void MapMinutesDocuments(this IEndpointRouteBuilder console)
    {
        console.MapGet("/minutes/{minutesId:guid}/document", (Guid minutesId, HttpContext http, ConsoleSessions sessions, IHttpClientFactory clients, IOptions<ConsoleSettings> settings) =>
            RelayAsync($"api/minutes/{minutesId}/document", http, sessions, clients, settings.Value)).RequireAuthorization(ConsoleAuthentication.Policy);
        console.MapGet("/minutes/{minutesId:guid}/pdf", (Guid minutesId, HttpContext http, ConsoleSessions sessions, IHttpClientFactory clients, IOptions<ConsoleSettings> settings) =>
            RelayAsync($"api/minutes/{minutesId}/pdf", http, sessions, clients, settings.Value)).RequireAuthorization(ConsoleAuthentication.Policy);
    }

    private static async Task<IResult> RelayAsync(string path, HttpContext http, ConsoleSessions sessions, IHttpClientFactory clients, ConsoleSettings settings)
    {
        var person = ConsoleAuthentication.PersonOf(http.User);
        if (await sessions.AccessTokenAsync(person.Session, http.RequestAborted) is not { } token)
        {
            return Results.Redirect("/console/sign-in?returnUrl=" + Uri.EscapeDataString(http.Request.Path));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Committee, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await clients.CreateClient(HotlineApi.ClientName).SendAsync(request, http.RequestAborted);
        var type = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        if (!response.IsSuccessStatusCode)
        {
            // The service's problem details, as they are (not found, not locked, printing unavailable).
            return Results.Content(await response.Content.ReadAsStringAsync(http.RequestAborted), type, statusCode: (int)response.StatusCode);
        }

        var body = await response.Content.ReadAsByteArrayAsync(http.RequestAborted);
        return Results.File(body, type, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
    }
}
