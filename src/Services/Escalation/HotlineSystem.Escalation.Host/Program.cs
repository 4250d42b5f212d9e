using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Escalation;
using HotlineSystem.ServiceDefaults;

// The Escalation service on its own (distributed mode): PostgreSQL and RabbitMQ, as configured.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEscalation();
builder.AddServiceBus();

var app = builder.Build();

app.UseServiceDefaults();
app.MapEscalation();

app.Run();

namespace HotlineSystem.Escalation.Host
{
    /// <summary>Names this host's assembly for WebApplicationFactory in the tests.</summary>
    public sealed class EscalationHostEntryPoint;
}
