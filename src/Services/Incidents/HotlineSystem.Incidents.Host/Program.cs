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

public partial class Program;
