using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Incidents;
using HotlineSystem.ServiceDefaults;

// The Incidents service on its own (distributed mode): PostgreSQL and RabbitMQ, as configured.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIncidents();
builder.AddServiceBus();

var app = builder.Build();

app.UseServiceDefaults();
app.MapIncidents();

app.Run();

namespace HotlineSystem.Incidents.Host
{
    /// <summary>Names this host's assembly for WebApplicationFactory in the tests.</summary>
    public sealed class IncidentsHostEntryPoint;
}
