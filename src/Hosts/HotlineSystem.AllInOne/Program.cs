using HotlineSystem.AllInOne;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Committee;
using HotlineSystem.Escalation;
using HotlineSystem.Identity;
using HotlineSystem.Incidents;
using HotlineSystem.Notifications;
using HotlineSystem.Notifications.Hub;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.Web;

// The embedded default: every service in one process, SQLite files and the in-memory bus, the
// OpenID Connect server in-process, demo users and data seeded on first start.
// `dotnet run --project src/Hosts/HotlineSystem.AllInOne`
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets(); // the console's files, also when run from the build output

builder.AddDemoData(); // first: it registers the demo tool clients with the Identity service
builder.AddServiceDefaults();
builder.AddIdentityService();
builder.AddIncidents();
builder.AddEscalation();
builder.AddCommittee();
builder.AddNotifications();
builder.AddWebConsole();
builder.AddServiceBus();

var app = builder.Build();

app.UseHubAccessTokenFromQuery(); // before authentication, on the hub's path only
app.UseServiceDefaults();
app.MapIdentityService();
app.MapIncidents();
app.MapEscalation();
app.MapCommittee();
app.MapNotifications();
app.UseWebConsole(); // the officers' console at the root

app.Run();
