using System.Security.Cryptography;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Registry;
using HotlineSystem.Incidents.Data;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HotlineSystem.AllInOne;

/// <summary>
/// Demo mode (Demo:Seed): people of each party in every role and a few incidents on first start,
/// a tool client per party with a fresh secret at every start, and a banner that says where to go.
/// Passwords are printed once, when the people are created; Demo:Password sets one for all (tests).
/// </summary>
public static class DemoData
{
    public static IHostApplicationBuilder AddDemoData(this IHostApplicationBuilder builder)
    {
        var registry = builder.Configuration.GetSection(RegistrySeedSettings.Section).Get<RegistrySeedSettings>() ?? new RegistrySeedSettings();
        var tools = new DemoTools(registry.Parties.Select(p => p.Code).ToList());
        if (builder.Configuration.GetValue("Demo:Seed", false))
        {
            builder.Services.AddScoped<IDataSeeder<IncidentsDbContext>, DemoIncidents>();
            builder.Services.AddScoped<IDataSeeder<IdentityServiceDbContext>, DemoUsers>();
            builder.Services.AddScoped<IDataSeeder<EscalationDbContext>, DemoEscalationPolicies>();
            builder.Services.AddHostedService<DemoDelegations>();
            builder.Configuration.AddInMemoryCollection(tools.Settings);
        }

        builder.Services.AddSingleton(tools);
        builder.Services.AddHostedService<WhereToGoBanner>();
        return builder;
    }
}

/// <summary>
/// Client-credentials clients for curl and scripts: one per seeded party, acting as its liaison
/// officer on every API, and the deployment's operator (registers parties), of the first party.
/// </summary>
public sealed class DemoTools(IReadOnlyList<string> parties)
{
    /// <summary>Every API's scope: a demo tool can call them all.</summary>
    public static readonly string[] Scopes = ["incidents", "escalation", "committee", "notifications", "identity"];

    public IReadOnlyList<(string ClientId, string Secret, string Party, string Role)> Clients { get; } =
    [
        .. parties.Select(party => ($"demo-tool-{party.ToLowerInvariant()}", NewSecret(), party, HotlineRoles.LiaisonOfficer)),
        .. parties.Take(1).Select(party => ("demo-operator", NewSecret(), party, HotlineRoles.Operator)),
    ];

    public IEnumerable<KeyValuePair<string, string?>> Settings => Clients.SelectMany((client, i) => new Dictionary<string, string?>
    {
        [$"Identity:ServiceClients:{i}:ClientId"] = client.ClientId,
        [$"Identity:ServiceClients:{i}:ClientSecret"] = client.Secret,
        [$"Identity:ServiceClients:{i}:DisplayName"] = $"Demo {client.Role} tool of {client.Party}",
        [$"Identity:ServiceClients:{i}:Party"] = client.Party,
        [$"Identity:ServiceClients:{i}:Roles:0"] = client.Role,
    }.Concat(Scopes.Select((scope, s) => KeyValuePair.Create($"Identity:ServiceClients:{i}:Scopes:{s}", (string?)scope))));

    internal static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y');
}

/// <summary>The people of the demo, written once on an empty Identity database; their passwords are logged that once.</summary>
internal sealed class DemoUsers(
    UserManager<HotlineUser> users, IConfiguration configuration, IOptions<RegistrySeedSettings> registry, TimeProvider time, ILogger<DemoUsers> logger)
    : IDataSeeder<IdentityServiceDbContext>
{
    public static readonly IReadOnlyList<(string Name, string DisplayName, string[] Roles, string? Tier)> People =
    [
        ("officer", "Liaison officer", [HotlineRoles.LiaisonOfficer], null),
        ("member", "Committee member", [HotlineRoles.CommitteeMember], null),
        ("cochair", "Co-chair", [HotlineRoles.CommitteeMember, HotlineRoles.CoChair], null),
        ("dg", "Director-General", [HotlineRoles.Official], OfficialTiers.DirectorGeneral),
        ("viceminister", "Vice-Minister", [HotlineRoles.Official], OfficialTiers.ViceMinister),
        ("minister", "Minister", [HotlineRoles.Official], OfficialTiers.Minister),
        ("admin", "Administrator", [HotlineRoles.Administrator], null),
    ];

    public async Task SeedAsync(IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var lines = new List<string>();
        foreach (var party in registry.Value.Parties.Select(p => p.Code))
        {
            foreach (var (name, displayName, roles, tier) in People)
            {
                var userName = $"{party.ToLowerInvariant()}-{name}";
                var password = configuration["Demo:Password"] ?? DemoTools.NewSecret()[..16] + "7a";
                var user = HotlineUser.Register(userName, $"{displayName} ({party})", null, party, roles, tier, time.GetUtcNow());
                var result = await users.CreateAsync(user, password);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"Demo user {userName}: {string.Join(' ', result.Errors.Select(e => e.Description))}");
                }

                lines.Add($"  {userName,-18} {password,-20} {string.Join(", ", roles)}{(tier is null ? "" : $" ({tier})")}");
            }
        }

        logger.LogWarning(
            "Demo users created (demo mode only; shown this once: delete the data folder to start afresh). Official, CoChair and Administrator enrol an authenticator app at first sign-in.\n{Users}",
            string.Join('\n', lines));
    }
}

/// <summary>
/// Escalation policies for both parties on KR–CN, Sev1 and Sev2: the counterpart's duty liaison
/// officer, then its Director-General, then one's own Vice-Minister (repeated twice); written once.
/// </summary>
internal sealed class DemoEscalationPolicies(IOptions<RegistrySeedSettings> registry, TimeProvider time) : IDataSeeder<EscalationDbContext>
{
    public async Task SeedAsync(EscalationDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Policies.AnyAsync(cancellationToken))
        {
            return;
        }

        var channels = registry.Value.Channels.Select(c => ChannelCode.Parse(c.Code));
        foreach (var (channel, owner, counterpart) in channels.SelectMany(c => new[] { (c, c.First, c.Second), (c, c.Second, c.First) }))
        {
            foreach (var (severity, first) in new[] { (Severity.Sev1, TimeSpan.FromMinutes(5)), (Severity.Sev2, TimeSpan.FromMinutes(15)) })
            {
                var policy = EscalationPolicy.Create(channel.Value, owner, severity, time.GetUtcNow());
                policy.Define(
                [
                    new EscalationTier(counterpart, HotlineRoles.LiaisonOfficer, null, null, first, Important: false),
                    new EscalationTier(counterpart, HotlineRoles.Official, OfficialTiers.DirectorGeneral, null, first * 2, Important: true),
                    new EscalationTier(owner, HotlineRoles.Official, OfficialTiers.ViceMinister, null, first * 4, Important: true),
                ], repeatLastTier: 2, confirmationWindow: null, by: "demo", time.GetUtcNow());
                db.Policies.Add(policy);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>
/// Each party's delegation on every committee of the demo: its co-chair and its committee member.
/// The Committee service learns people from the Identity service's announcements, so this waits
/// until it knows them; a committee that has a delegation already is left as it is.
/// </summary>
internal sealed class DemoDelegations(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DemoDelegations> logger)
    : BackgroundService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await Started(lifetime, stoppingToken))
        {
            return;
        }

        var until = time.GetUtcNow() + GiveUpAfter;
        while (!stoppingToken.IsCancellationRequested && time.GetUtcNow() < until)
        {
            if (await SeatAsync(stoppingToken))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
        }

        logger.LogWarning("Demo delegations not set: the Committee service did not learn the demo people in {Minutes} minutes.", GiveUpAfter.TotalMinutes);
    }

    /// <summary>True once every committee has delegations (set now or before).</summary>
    private async Task<bool> SeatAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CommitteeDbContext>();
        var committees = await db.Committees.ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking().ToDictionaryAsync(p => p.UserName, cancellationToken);
        if (committees.Count == 0)
        {
            return false;
        }

        foreach (var committee in committees.Where(c => c.Delegates.Count == 0))
        {
            foreach (var party in committee.ChannelCode.Parties)
            {
                if (people.GetValueOrDefault($"{party.ToLowerInvariant()}-cochair") is not { } coChair
                    || people.GetValueOrDefault($"{party.ToLowerInvariant()}-member") is not { } member)
                {
                    return false;
                }

                committee.SetDelegation(party, [(coChair.UserId, DelegateRole.CoChair), (member.UserId, DelegateRole.Member)],
                    new CommitteeActor("demo", party), time.GetUtcNow());
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static async Task<bool> Started(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        using var stopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}

/// <summary>Prints, once the server listens, where the API is and how to get a token in the embedded mode.</summary>
internal sealed class WhereToGoBanner(IServer server, IHostApplicationLifetime lifetime, IHostEnvironment environment, DemoTools tools, IConfiguration configuration, ILogger<WhereToGoBanner> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
            var seeded = configuration.GetValue("Demo:Seed", false);
            var parties = tools.Clients.Select(c => c.Party.ToLowerInvariant()).Distinct().ToList();
            var people = seeded
                ? $"  Demo people:               {string.Join(", ", parties.Select(p => $"{p}-officer"))}; also -member, -cochair, -dg, -viceminister, -minister, -admin\n" +
                  $"                             (passwords: {(configuration["Demo:Password"] is null ? "printed above on first start" : "Demo:Password")})"
                : "  (Demo:Seed is off: no demo people or tools.)";
            var demo = seeded
                ? string.Join('\n', tools.Clients.Select(c =>
                    $"  Token for the {c.Party} {c.Role} tool:  curl -s -d grant_type=client_credentials -d client_id={c.ClientId} -d client_secret={c.Secret} -d scope=\"{string.Join(' ', DemoTools.Scopes)}\" {address}/connect/token"))
                : "";
            logger.LogInformation(
                """
                HotlineSystem (embedded mode, {Environment}) is running.
                  Open the console:          {Address}/   (in a browser; sign in as one of the demo people)
                {People}
                  OpenAPI document:          {Address}/openapi/v1.json
                  Health:                    {Address}/health/ready
                {Demo}
                  Then:  curl -H "Authorization: Bearer <access_token>" {Address}/api/incidents
                """,
                environment.EnvironmentName, address, people, address, address, demo, address);
        });
        return Task.CompletedTask;
    }
}
