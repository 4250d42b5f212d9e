using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Identity;
using HotlineSystem.ServiceDefaults;

// The Identity service on its own (distributed mode): the OpenID Connect server, sign-in pages and
// user administration, on PostgreSQL and RabbitMQ as configured.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityService();
builder.AddServiceBus();

var app = builder.Build();

app.UseServiceDefaults();
app.MapIdentityService();

app.Run();

namespace HotlineSystem.Identity.Host
{
    /// <summary>Names this host's assembly for WebApplicationFactory in the tests (its Program is not public).</summary>
    public sealed class IdentityHostEntryPoint;
}
