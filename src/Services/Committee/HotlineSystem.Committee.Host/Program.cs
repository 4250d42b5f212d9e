using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Committee;
using HotlineSystem.ServiceDefaults;

// The Committee service on its own (distributed mode): PostgreSQL and RabbitMQ, as configured.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCommittee();
builder.AddServiceBus();

var app = builder.Build();

app.UseServiceDefaults();
app.MapCommittee();

app.Run();

namespace HotlineSystem.Committee.Host
{
    /// <summary>Names this host's assembly for WebApplicationFactory in the tests.</summary>
    public sealed class CommitteeHostEntryPoint;
}
