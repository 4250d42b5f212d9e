using HotlineSystem.ServiceDefaults.Input;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.Notifications.Hub;
using HotlineSystem.Notifications.Push;
using MassTransit;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineSystem.Notifications;

/// <summary>
/// The Notifications service: every person's durable feed, written once from the events people should
/// see, and the SignalR hub that pushes each entry live to the person's consoles on any replica.
/// </summary>
public static class NotificationsModule
{
    public const string ServiceName = "notifications";

    public const string Audience = "notifications-api";

    public static class Policies
    {
        /// <summary>Any person of a party, in any role, with a token for this API: reads their own feed only.</summary>
        public const string Reader = "notifications:reader";

        public const string Administrator = "notifications:administrator";
    }

    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsDbContext>(ServiceName);
        builder.Services.AddScoped<Recipients>();
        builder.Services.AddScoped<FeedWriter>();
        builder.Services.AddSingleton<ChannelDirectory>();
        builder.Services.AddValidatorsOf<FeedQueryValidator>();
        builder.Services.AddConsumersFrom(typeof(NotificationsModule).Assembly, ServiceName);
        builder.Services.AddDirectoryReplay<NotificationsDbContext>(ServiceName);
        builder.Services.AddOpenApiTag("Feed", "Your own feed: what happened to the incidents you may read, in order.");
        builder.Services.AddReceiveEndpointObserver<PushQueueObserver>();
        builder.Services.AddSignalR()
            .AddJsonProtocol(json => json.PayloadSerializerOptions.Converters.Add(new EnumNamesConverter()));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Reader, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.All))
            .AddPolicy(Policies.Administrator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Administrator));
        return builder;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/api/feed").RequireAuthorization(Policies.Reader).WithTags("Feed");
        feed.MapGet("/", FeedEndpoints.List).WithValidation<FeedQuery>().WithName("ListFeed")
            .WithSummary("Read your feed, newest first, by sequence");
        feed.MapGet("/unread", FeedEndpoints.Unread).WithName("CountUnread")
            .WithSummary("Count the unread entries of your feed");
        feed.MapPost("/read", FeedEndpoints.MarkRead).WithValidation<MarkReadRequest>().WithName("MarkRead")
            .WithSummary("Mark feed entries read");

        // A connection lives no longer than its access token: the client reconnects with a fresh one.
        // Exempt from the overload limit: a connection would hold its permit for as long as it lives.
        app.MapHub<NotificationHub>(NotificationHubProtocol.Path, options => options.CloseOnAuthenticationExpiration = true)
            .RequireAuthorization(Policies.Reader).DisableRateLimiting();
        return app;
    }
}
