using HotlineSystem.AllInOne;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Incidents;
using HotlineSystem.ServiceDefaults;

// The embedded default: every service in one process, SQLite files and the in-memory bus,
// demo data seeded on first start. `dotnet run --project src/Hosts/HotlineSystem.AllInOne`
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIncidents();
builder.AddServiceBus();
builder.AddDemoData();

var app = builder.Build();

app.UseServiceDefaults();
app.MapIncidents();
app.MapGet("/", () => Results.Redirect("/openapi/v1.json")).AllowAnonymous().ExcludeFromDescription();

app.Run();
