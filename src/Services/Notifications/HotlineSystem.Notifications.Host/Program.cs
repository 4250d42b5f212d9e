using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Notifications;
using HotlineSystem.Notifications.Hub;
using HotlineSystem.ServiceDefaults;

// The Notifications service on its own (distributed mode): PostgreSQL and RabbitMQ, as configured.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNotifications();
builder.AddServiceBus();

var app = builder.Build();

app.UseHubAccessTokenFromQuery(); // before authentication, on the hub's path only
app.UseServiceDefaults();
app.MapNotifications();

app.Run();

namespace HotlineSystem.Notifications.Host
{
    /// <summary>Names this host's assembly for WebApplicationFactory in the tests.</summary>
    public sealed class NotificationsHostEntryPoint;
}
