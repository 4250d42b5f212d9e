using System.Collections.Concurrent;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Host;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real Identity host (OpenID Connect server) on Kestrel, on a PostgreSQL database of its own and
/// the real broker: the services under test validate its tokens over HTTP, as in the distributed mode.
/// </summary>
public sealed class IdentityApp(string connectionString, string endpointPrefix, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<IdentityHostEntryPoint>
{
    public const string Password = "correct-horse-battery-42";
    public const string ToolClientId = "test-tool-kr";
    public const string ToolClientSecret = "test-tool-secret-0123456789";

    /// <summary>The deployment's operator (registers parties): a tool client's role, never a person's.</summary>
    public const string OperatorClientId = "test-operator";
    public const string OperatorSecret = "test-operator-secret-0123456789";

    private readonly ConcurrentDictionary<string, Lazy<Task<(TokenSet Tokens, DateTime Until)>>> _tokens = new();
    private readonly SemaphoreSlim _userCreation = new(1, 1);

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");

    /// <summary>The issuer its tokens name, and the authority every service is configured with.</summary>
    public string Authority => BaseAddress.ToString();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseServiceSettings(connectionString, endpointPrefix);
        builder.UseSetting("Identity:RequireHttps", "false");
        builder.UseSetting("Identity:Console:RedirectUris:0", SignInDriver.RedirectUri);
        builder.UseSetting("Identity:Console:PostLogoutRedirectUris:0", "http://127.0.0.1/test-signed-out");
        builder.UseSetting("Identity:ServiceClients:0:ClientId", ToolClientId);
        builder.UseSetting("Identity:ServiceClients:0:ClientSecret", ToolClientSecret);
        builder.UseSetting("Identity:ServiceClients:0:Party", "KR");
        builder.UseSetting("Identity:ServiceClients:0:Roles:0", HotlineRoles.LiaisonOfficer);
        builder.UseSetting("Identity:ServiceClients:0:Scopes:0", "incidents");
        builder.UseSetting("Identity:ServiceClients:1:ClientId", OperatorClientId);
        builder.UseSetting("Identity:ServiceClients:1:ClientSecret", OperatorSecret);
        builder.UseSetting("Identity:ServiceClients:1:Party", "KR");
        builder.UseSetting("Identity:ServiceClients:1:Roles:0", HotlineRoles.Operator);
        builder.UseSetting("Identity:ServiceClients:1:Scopes:0", "identity");
        foreach (var (key, value) in TestRegistry.Seed)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Starts the server on a loopback port (Kestrel: the services fetch its keys over HTTP).</summary>
    public IdentityApp Start()
    {
        UseKestrel(0);
        StartServer();
        return this;
    }

    /// <summary>
    /// A person of <paramref name="party"/> holding <paramref name="roles"/>, created directly in the
    /// Identity database on first use (with an enrolled authenticator where the roles require one).
    /// Each combination of name, party and roles is its own account.
    /// </summary>
    public Task<(HotlineUser User, Credentials Credentials)> PersonAsync(string name, string party, params string[] roles) =>
        PersonAsync(name, party, roles, enrolAuthenticator: true);

    /// <summary>As above; without <paramref name="enrolAuthenticator"/>, a privileged person must enrol at their first sign-in.</summary>
    public async Task<(HotlineUser User, Credentials Credentials)> PersonAsync(string name, string party, string[] roles, bool enrolAuthenticator)
    {
        var userName = $"{name}.{party}.{string.Join('.', roles)}".ToLowerInvariant();
        await _userCreation.WaitAsync();
        try
        {
            await using var scope = Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HotlineUser>>();
            var user = await users.FindByNameAsync(userName);
            if (user is null)
            {
                var tier = roles.Contains(HotlineRoles.Official) ? OfficialTiers.DirectorGeneral : null;
                user = HotlineUser.Register(userName, $"{name} ({party})", null, party, roles, tier, DateTimeOffset.UtcNow);
                Check(await users.CreateAsync(user, Password));
                if (user.RequiresSecondFactor && enrolAuthenticator)
                {
                    Check(await users.ResetAuthenticatorKeyAsync(user));
                    Check(await users.SetTwoFactorEnabledAsync(user, true));
                }
            }

            return (user, new Credentials(userName, Password, await users.GetAuthenticatorKeyAsync(user)));
        }
        finally
        {
            _userCreation.Release();
        }
    }

    /// <summary>An access token for the person, from the real authorization code + PKCE flow (cached per person and scope).</summary>
    public async Task<string> AccessTokenAsync(string name, string party, string[] roles, string scope = "openid profile offline_access incidents")
    {
        var (user, credentials) = await PersonAsync(name, party, roles);
        // Kept while more than half their lifetime is left: the run (with the fault suite) outlasts a token.
        var key = $"{user.UserName}|{scope}";
        while (true)
        {
            var cached = _tokens.GetOrAdd(key, _ => new Lazy<Task<(TokenSet, DateTime)>>(async () =>
            {
                var tokens = await SignInDriver.AuthorizationCodeAsync(BaseAddress, credentials, scope);
                return (tokens, DateTime.UtcNow.AddSeconds(tokens.ExpiresIn / 2.0));
            }));
            var (tokens, until) = await cached.Value;
            if (DateTime.UtcNow < until)
            {
                return tokens.AccessToken;
            }

            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<(TokenSet, DateTime)>>>(key, cached));
        }
    }

    /// <summary>The operator's client of this server's registry API (client credentials).</summary>
    public async Task<HttpClient> OperatorAsync()
    {
        var tokens = await SignInDriver.TokenRequestAsync(BaseAddress, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = OperatorClientId,
            ["client_secret"] = OperatorSecret,
            ["scope"] = "identity",
        });
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return client;
    }

    public async Task<T> InDatabase<T>(Func<IdentityServiceDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IdentityServiceDbContext>());
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(' ', result.Errors.Select(e => e.Description)));
        }
    }
}

/// <summary>
/// One Identity server for the whole test run (xunit 2 has no assembly fixture): started on first
/// use, on a database of its own, and stopped with the test process.
/// </summary>
public static class SharedIdentity
{
    private static readonly Lazy<Task<IdentityApp>> Instance = new(StartAsync);

    public static Task<IdentityApp> GetAsync() => Instance.Value;

    private static async Task<IdentityApp> StartAsync()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("identity");
        var app = new IdentityApp(database.ConnectionString, $"i{Guid.NewGuid():N}"[..10]).Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            app.Dispose();
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        };
        return app;
    }
}
