using HotlineSystem.Web;
using HotlineSystem.Web.KeyRing;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

// The officers' web console on its own (distributed mode): it calls the services' APIs and
// listens to the Notifications hub; it keeps no data of its own.
var builder = WebApplication.CreateBuilder(args);

builder.WebHost.UseStaticWebAssets(); // MudBlazor's and the console's files, also when run from the build output
builder.AddWebConsole();
builder.AddConsoleKeyRing(); // replicas share their keys: a cookie one issues, another reads
builder.Services.AddHealthChecks();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.UseWebConsole();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous(); // the process answers
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();

app.Run();
