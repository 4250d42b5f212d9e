using System.Net.Http.Headers;
using HotlineSystem.Incidents.Data;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Incidents host (its Program), on a PostgreSQL database of its own and the real
/// RabbitMQ broker, driven through its HTTP pipeline. Users sign in through the development
/// scheme of the Testing environment (until OpenID Connect arrives with the Identity service).
/// </summary>
public sealed class IncidentsApp(string connectionString, string endpointPrefix) : WebApplicationFactory<Program>
{
    public const string KrOfficer = "kr-officer";
    public const string CnOfficer = "cn-officer";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "PostgreSQL");
        builder.UseSetting("ConnectionStrings:Hotline", connectionString);
        builder.UseSetting("Messaging:Transport", "RabbitMQ");
        builder.UseSetting("ConnectionStrings:RabbitMQ", TestInfrastructure.RabbitMqUri);
        builder.UseSetting("Messaging:EndpointPrefix", endpointPrefix);
        builder.UseSetting("Outbox:PublishTimeout", "00:00:03");
        builder.UseSetting("Outbox:MaxBackoff", "00:00:01");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public HttpClient ClientFor(string user, string party, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(DevelopmentAuthenticationHandler.UserHeader, user);
        client.DefaultRequestHeaders.Add(DevelopmentAuthenticationHandler.PartyHeader, party);
        client.DefaultRequestHeaders.Add(DevelopmentAuthenticationHandler.RolesHeader, string.Join(',', roles));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient KrOfficerClient() => ClientFor(KrOfficer, "KR", HotlineRoles.LiaisonOfficer);

    public HttpClient CnOfficerClient() => ClientFor(CnOfficer, "CN", HotlineRoles.LiaisonOfficer);

    /// <summary>Reads the service's own database directly, to check what was (not) written.</summary>
    public async Task<T> InDatabase<T>(Func<IncidentsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IncidentsDbContext>());
    }
}
