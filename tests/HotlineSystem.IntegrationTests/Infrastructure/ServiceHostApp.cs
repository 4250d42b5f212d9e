using System.Net.Http.Headers;
using HotlineSystem.BuildingBlocks.Registry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// A real service host (its Program) that keeps a copy of the registry, on a PostgreSQL database of
/// its own and the real RabbitMQ broker, driven through its HTTP pipeline with access tokens of the
/// real Identity service (<see cref="SharedIdentity"/>). Its directory of people fills from Identity's
/// UserAccountChanged events: create people with <see cref="PersonAsync"/> after the host has started.
/// Extra settings and a clock of the test's own replace the host's.
/// </summary>
public abstract class ServiceHostApp<TEntryPoint, TContext>(
    string connectionString, string endpointPrefix, IReadOnlyDictionary<string, string>? settings, TimeProvider? time)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
    where TContext : DbContext
{
    /// <summary>How long a person created at Identity may take to reach this host's directory over the broker.</summary>
    public static readonly TimeSpan DirectoryDelay = TimeSpan.FromSeconds(30);

    /// <summary>The OpenID Connect server the tokens and the directory's people come from.</summary>
    public static IdentityApp Identity => IncidentsApp.Identity;

    protected abstract string ServiceName { get; }

    protected abstract string Audience { get; }

    /// <summary>The scope of this host's API in the tokens <see cref="ClientFor"/> asks for.</summary>
    protected abstract string TokenScope { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseServiceSettings(connectionString, endpointPrefix);
        builder.UseSetting("Identity:Authority", Identity.Authority);
        builder.UseSetting("Identity:Audience", Audience);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (time is not null)
        {
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(time);
            });
        }
    }

    /// <summary>True once the registry's replay, asked for at start, has reached this host's database.</summary>
    protected abstract Task<bool> ReplayArrivedAsync(TContext db);

    /// <summary>Starts the host (migrations, bus, timers) so that its consumers are bound before people are created.</summary>
    protected void StartHost()
    {
        using var client = CreateClient();
        // The directory fills from events published to exchanges: only once this host's queues are
        // bound (the bus is healthy) does it receive the people created after this returns.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (client.GetAsync("/health/bus").GetAwaiter().GetResult().StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The {ServiceName} host's bus did not become healthy within 60 s.");
            }

            Thread.Sleep(100);
        }

        TestRegistry.WaitForReplay(ServiceName, () => InDatabase(ReplayArrivedAsync));
    }

    public HttpClient ClientFor(string user, string party, params string[] roles) =>
        ClientWithToken(Task.Run(() => Identity.AccessTokenAsync(user, party, roles, TokenScope)).GetAwaiter().GetResult());

    /// <summary>As <see cref="ClientFor"/>, with a sign-in made just now rather than a kept token: its second factor is fresh.</summary>
    public async Task<HttpClient> FreshClientForAsync(string user, string party, params string[] roles)
    {
        var (_, credentials) = await Identity.PersonAsync(user, party, roles);
        return ClientWithToken((await SignInDriver.AuthorizationCodeAsync(Identity.BaseAddress, credentials, TokenScope)).AccessToken);
    }

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>
    /// A person created at Identity and announced to this host: returns their user id once the
    /// directory holds them (people created before the start arrive with the directory replay it asks for).
    /// </summary>
    public async Task<string> PersonAsync(string name, string party, params string[] roles)
    {
        var userId = (await Identity.PersonAsync(name, party, roles)).User.Id.ToString();
        var deadline = DateTimeOffset.UtcNow + DirectoryDelay;
        while (!await InDatabase(db => db.Set<DirectoryPerson>().AnyAsync(p => p.UserId == userId)))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} ({party}) did not reach the {ServiceName} directory within {DirectoryDelay.TotalSeconds} s.");
            }

            await Task.Delay(200);
        }

        return userId;
    }

    /// <summary>Reads the service's own database directly, to check what was (not) written.</summary>
    public async Task<T> InDatabase<T>(Func<TContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }
}
