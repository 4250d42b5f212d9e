using HotlineSystem.Contracts.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace HotlineSystem.Notifications.Hub;

/// <summary>
/// Browsers cannot set headers on WebSockets or server-sent events, so SignalR's JavaScript client
/// sends the access token as ?access_token= . Only on the hub's path does it become the
/// Authorization header (the one place every service reads tokens from), and it is taken out of
/// the query string so that nothing after this sees it (the request-start log and the trace span come
/// earlier: there the log level and OpenTelemetry's query redaction keep it out). Everywhere else a token in
/// the query string is ignored.
/// </summary>
public static class HubAccessToken
{
    public const string QueryParameter = "access_token";

    public static IApplicationBuilder UseHubAccessTokenFromQuery(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(NotificationHubProtocol.Path) && request.Query.TryGetValue(QueryParameter, out var token))
        {
            if (StringValues.IsNullOrEmpty(request.Headers.Authorization) && !StringValues.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = $"Bearer {token}";
            }

            // Query keys are matched ignoring case (?ACCESS_TOKEN= is read too), so they are removed the same way.
            request.QueryString = QueryString.Create(request.Query.Where(p => !string.Equals(p.Key, QueryParameter, StringComparison.OrdinalIgnoreCase)));
        }

        return next(context);
    });
}
