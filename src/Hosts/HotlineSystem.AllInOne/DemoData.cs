using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Incidents.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HotlineSystem.AllInOne;

public static class DemoData
{
    /// <summary>Demo incidents on first start (Demo:Seed), and a banner that says where to go.</summary>
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("Demo:Seed", false))
        {
            builder.Services.AddScoped<IDataSeeder<IncidentsDbContext>, DemoIncidents>();
        }

        builder.Services.AddHostedService<WhereToGoBanner>();
        return builder;
    }
}

/// <summary>Prints, once the server listens, where the API is and how to call it in the embedded mode.</summary>
internal sealed class WhereToGoBanner(IServer server, IHostApplicationLifetime lifetime, IHostEnvironment environment, ILogger<WhereToGoBanner> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
            logger.LogInformation(
                """
                HotlineSystem (embedded mode, {Environment}) is running at {Address}
                  OpenAPI document:  {Address}/openapi/v1.json
                  Health:            {Address}/health/ready
                  Incidents of KR:   curl -H 'X-Hotline-User: kr-officer' -H 'X-Hotline-Party: KR' -H 'X-Hotline-Roles: LiaisonOfficer' {Address}/api/incidents
                  Incidents of CN:   curl -H 'X-Hotline-User: cn-officer' -H 'X-Hotline-Party: CN' -H 'X-Hotline-Roles: LiaisonOfficer' {Address}/api/incidents
                  (Sign-in headers are the development scheme; OpenID Connect replaces them with the Identity service.)
                """,
                environment.EnvironmentName, address, address, address, address, address);
        });
        return Task.CompletedTask;
    }
}
