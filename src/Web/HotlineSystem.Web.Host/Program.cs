using HotlineSystem.Web;

// The officers' web console on its own (distributed mode): it calls the services' APIs and
// listens to the Notifications hub; it keeps no data of its own.
var builder = WebApplication.CreateBuilder(args);

builder.WebHost.UseStaticWebAssets(); // MudBlazor's and the console's files, also when run from the build output
builder.AddWebConsole();
builder.Services.AddHealthChecks();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.UseWebConsole();
app.MapHealthChecks("/health/live").AllowAnonymous();
app.MapHealthChecks("/health/ready").AllowAnonymous();

app.Run();
