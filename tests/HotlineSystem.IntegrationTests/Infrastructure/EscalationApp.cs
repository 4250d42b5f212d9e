using System.Net.Http.Headers;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Escalation host (its Program), on a PostgreSQL database of its own and the real
/// RabbitMQ broker, driven through its HTTP pipeline with access tokens of the real Identity service
/// (<see cref="SharedIdentity"/>). Its directory of people fills from Identity's UserAccountChanged
/// events: create people with <see cref="PersonAsync"/> after the host has started. Extra settings
/// (e.g. the timer's Escalation:Timer options) and a clock of the test's own replace the host's.
/// </summary>
public sealed class EscalationApp(
    string connectionString, string endpointPrefix, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? time = null)
    : WebApplicationFactory<EscalationHostEntryPoint>
{
    public const string Scope = "openid profile escalation";

    /// <summary>How long a person created at Identity may take to reach this host's directory over the broker.</summary>
    public static readonly TimeSpan DirectoryDelay = TimeSpan.FromSeconds(30);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseServiceSettings(connectionString, endpointPrefix);
        builder.UseSetting("Identity:Authority", Identity.Authority);
        builder.UseSetting("Identity:Audience", "escalation-api");
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

    /// <summary>The OpenID Connect server the tokens and the directory's people come from.</summary>
    public static IdentityApp Identity => IncidentsApp.Identity;

    /// <summary>Starts the host (migrations, bus, timer) so that its consumers are bound before people are created.</summary>
    public EscalationApp Start()
    {
        using var client = CreateClient();
        // The directory fills from events published to exchanges: only once this host's queues are
        // bound (the bus is healthy) does it receive the people created after this returns.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (client.GetAsync("/health/bus").GetAwaiter().GetResult().StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The Escalation host's bus did not become healthy within 60 s.");
            }

            Thread.Sleep(100);
        }

        // The party time zones (a roster's default) come from the registry's replay, asked for at start.
        var parties = TestRegistry.Parties.Select(p => p.Code).ToList();
        TestRegistry.WaitForReplay("Escalation", () => InDatabase(async db => await db.Parties.CountAsync(p => parties.Contains(p.Code)) == parties.Count));
        return this;
    }

    public HttpClient ClientFor(string user, string party, params string[] roles)
    {
        var token = Task.Run(() => Identity.AccessTokenAsync(user, party, roles, Scope)).GetAwaiter().GetResult();
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
        while (!await InDatabase(db => db.People.AnyAsync(p => p.UserId == userId)))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} ({party}) did not reach the Escalation directory within {DirectoryDelay.TotalSeconds} s.");
            }

            await Task.Delay(200);
        }

        return userId;
    }

    /// <summary>Reads the service's own database directly, to check what was (not) written.</summary>
    public async Task<T> InDatabase<T>(Func<EscalationDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<EscalationDbContext>());
    }
}

/// <summary>
/// The real clock moved by an offset a test sets: the host's timers and outbox keep running, while
/// "now" lands where the test needs it. Access tokens are checked by the wall clock, not by this one.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// A clock that stands where the test puts it: "now" does not move by itself, so "one second before
/// the due time" stays so while the test waits. Timers and delays still run on real time (the
/// escalation timer keeps polling), and access tokens are checked by the wall clock.
/// </summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    private long _utcTicks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}
