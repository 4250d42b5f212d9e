using System.Net.Http.Headers;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Host;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Incidents host (its Program), on a PostgreSQL database of its own and the real
/// RabbitMQ broker, driven through its HTTP pipeline. Its users sign in at the real Identity
/// service (<see cref="SharedIdentity"/>) and call it with the access tokens they got there.
/// </summary>
public sealed class IncidentsApp(string connectionString, string endpointPrefix) : WebApplicationFactory<IncidentsHostEntryPoint>
{
    public const string KrOfficer = "kr-officer";
    public const string CnOfficer = "cn-officer";

    /// <summary>Settings a test gives this host beside the usual ones (e.g. <c>Overload:ConcurrencyLimit</c>).</summary>
    public Dictionary<string, string> Settings { get; init; } = [];

    /// <summary>Where the host's log entries go too, for a test that checks what was logged.</summary>
    public CapturedLogs? Logs { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseServiceSettings(connectionString, endpointPrefix);
        builder.UseSetting("Identity:Authority", Identity.Authority);
        builder.UseSetting("Identity:Audience", "incidents-api");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (Logs is not null)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }
    }

    /// <summary>
    /// Starts the host, and waits until its directory replay (asked for at every start) brought the
    /// registry's parties and channels from the shared Identity service: filing needs the channel.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        TestRegistry.WaitForReplay("Incidents", async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
            var channels = TestRegistry.Channels.Select(c => c.Code).ToList();
            return await db.Channels.CountAsync(c => channels.Contains(c.Code)) == channels.Count;
        });
        return host;
    }

    /// <summary>The OpenID Connect server the tokens come from.</summary>
    public static IdentityApp Identity => Task.Run(SharedIdentity.GetAsync).GetAwaiter().GetResult();

    public HttpClient ClientFor(string user, string party, params string[] roles)
    {
        var token = Task.Run(() => Identity.AccessTokenAsync(user, party, roles)).GetAwaiter().GetResult();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public HttpClient KrOfficerClient() => ClientFor(KrOfficer, "KR", HotlineRoles.LiaisonOfficer);

    public HttpClient CnOfficerClient() => ClientFor(CnOfficer, "CN", HotlineRoles.LiaisonOfficer);

    /// <summary>The subject (user id) the tokens of a person carry, which the incident records as the actor.</summary>
    public static string UserIdOf(string user, string party, params string[] roles) =>
        Task.Run(() => Identity.PersonAsync(user, party, roles)).GetAwaiter().GetResult().User.Id.ToString();

    public static string KrOfficerId => UserIdOf(KrOfficer, "KR", HotlineRoles.LiaisonOfficer);

    public static string CnOfficerId => UserIdOf(CnOfficer, "CN", HotlineRoles.LiaisonOfficer);

    /// <summary>Reads the service's own database directly, to check what was (not) written.</summary>
    public async Task<T> InDatabase<T>(Func<IncidentsDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IncidentsDbContext>());
    }
}
