using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Identity.Account;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Registry;
using HotlineSystem.Identity.Server;
using HotlineSystem.Identity.Users;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HotlineSystem.Identity;

/// <summary>
/// The Identity service: people of each party and their roles (ASP.NET Core Identity), the OpenID
/// Connect server that gives every other service its tokens (OpenIddict), the sign-in pages, user
/// administration and the audit trail of security events.
/// </summary>
public static class IdentityModule
{
    public const string ServiceName = "identity";

    /// <summary>The audience of the user-administration API.</summary>
    public const string Audience = "identity-api";

    public static class Policies
    {
        public const string Administrator = "identity:administrator";
        public const string Operator = "identity:operator";
        public const string Reader = "identity:reader";
    }

    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(IdentityServerSettings.Section).Get<IdentityServerSettings>() ?? new IdentityServerSettings();
        builder.Services.Configure<IdentityServerSettings>(builder.Configuration.GetSection(IdentityServerSettings.Section));

        builder.AddServiceDatabase<IdentityServiceDbContext>(ServiceName);
        builder.Services.Configure<RegistrySeedSettings>(builder.Configuration.GetSection(RegistrySeedSettings.Section));
        builder.Services.AddScoped<IDataSeeder<IdentityServiceDbContext>, RegistrySeeder>(); // first: administrators belong to parties
        builder.Services.AddScoped<IDataSeeder<IdentityServiceDbContext>, IdentitySeeder>();
        builder.Services.AddConsumersFrom(typeof(IdentityModule).Assembly, ServiceName);
        builder.Services.AddOpenApiTag("Users", "The people of your party, their roles, and the audit trail of security events.")
            .AddOpenApiTag("Registry", "Parties and the channels between them, opened only with both parties' consent.");
        builder.Services.AddScoped<SecurityEventLog>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddValidatorsOf<CreateUserValidator>();
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "hotline-antiforgery");
        // The sign-in pages: Razor components rendered on the server (no circuit), texts from AccountTexts.resx.
        builder.Services.AddRazorComponents();
        builder.Services.AddLocalization();
        // Cookies and anti-forgery tokens must read the same on every replica and after a restart.
        builder.Services.AddDataProtection().SetApplicationName("HotlineSystem.Identity").PersistKeysToDbContext<IdentityServiceDbContext>();

        AddPeople(builder.Services, settings);
        AddServer(builder.Services, settings);

        builder.Services.AddScoped<IAuthorizationHandler, StillAdministratorHandler>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Administrator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Administrator)
                .AddRequirements(new StillAdministrator()))
            .AddPolicy(Policies.Operator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Operator))
            .AddPolicy(Policies.Reader, policy => policy.RequireApi(Audience).RequireRole([.. HotlineRoles.All, HotlineRoles.Operator]));
        return builder;
    }

    public static IEndpointRouteBuilder MapIdentityService(this IEndpointRouteBuilder app)
    {
        // The protocol endpoints: OpenIddict has validated the request before these run; they are for anyone to call.
        app.MapMethods(ConnectEndpoints.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], ConnectEndpoints.Authorize).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(ConnectEndpoints.TokenPath, ConnectEndpoints.Token).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods(ConnectEndpoints.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], ConnectEndpoints.EndSession).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods(ConnectEndpoints.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], ConnectEndpoints.UserInfo).AllowAnonymous().ExcludeFromDescription();

        var account = app.MapGroup("/account").AllowAnonymous().ExcludeFromDescription();
        account.MapGet("/sign-in", AccountEndpoints.SignInPage);
        account.MapPost("/sign-in", AccountEndpoints.SignIn);
        account.MapGet("/second-factor", AccountEndpoints.SecondFactorPage);
        account.MapPost("/second-factor", AccountEndpoints.SecondFactor);
        account.MapGet("/enrolment", AccountEndpoints.EnrolmentPage);
        account.MapPost("/enrolment", AccountEndpoints.Enrolment);
        account.MapGet("/signed-in", AccountEndpoints.SignedIn);
        account.MapGet("/signed-out", AccountEndpoints.SignedOut);

        var users = app.MapGroup("/api/users").RequireAuthorization(Policies.Administrator).WithTags("Users");
        users.MapGet("/", UserEndpoints.List).WithName("ListUsers")
            .WithSummary("List the people of your party");
        users.MapGet("/{id:guid}", UserEndpoints.Get).WithName("GetUser")
            .WithSummary("Read a person of your party");
        users.MapPost("/", UserEndpoints.Create).WithValidation<CreateUserRequest>().WithName("CreateUser")
            .WithRequestExample("A liaison officer", IdentityExamples.CreateUser)
            .WithSummary("Create a person of your party with their first role");
        users.MapPost("/{id:guid}/roles", UserEndpoints.GrantRole).WithValidation<GrantRoleRequest>().WithName("GrantRole")
            .WithSummary("Grant a role to a person of your party");
        users.MapDelete("/{id:guid}/roles/{role}", UserEndpoints.RevokeRole).WithName("RevokeRole")
            .WithSummary("Revoke a role from a person of your party");
        users.MapPost("/{id:guid}/disable", UserEndpoints.Disable).WithValidation<DisableUserRequest>().WithName("DisableUser")
            .WithSummary("Disable a person's sign-in and revoke their tokens");
        users.MapPost("/{id:guid}/enable", UserEndpoints.Enable).WithName("EnableUser")
            .WithSummary("Enable a disabled person again");
        app.MapGet("/api/security-events", UserEndpoints.SecurityEvents)
            .RequireAuthorization(Policies.Administrator).WithTags("Users").WithName("ListSecurityEvents")
            .WithSummary("List the security events of your party (audit trail)");

        var parties = app.MapGroup("/api/parties").WithTags("Registry");
        parties.MapGet("/", RegistryEndpoints.ListParties).RequireAuthorization(Policies.Reader).WithName("ListParties")
            .WithSummary("List the parties of the registry");
        parties.MapPost("/", RegistryEndpoints.RegisterParty).RequireAuthorization(Policies.Operator).WithValidation<RegisterPartyRequest>().WithName("RegisterParty")
            .WithRequestExample("Viet Nam with its first administrator", IdentityExamples.RegisterParty)
            .WithSummary("Register a party with its first administrator (the deployment's operator)");

        var channels = app.MapGroup("/api/channels").WithTags("Registry");
        channels.MapGet("/", RegistryEndpoints.ListChannels).RequireAuthorization(Policies.Reader).WithName("ListChannels")
            .WithSummary("List the channels of the registry with their state");
        channels.MapPost("/", RegistryEndpoints.ProposeChannel).RequireAuthorization(Policies.Administrator).WithValidation<ProposeChannelRequest>()
            .WithName("ProposeChannel")
            .WithRequestExample("A channel with Viet Nam", IdentityExamples.ProposeChannel)
            .WithSummary("Propose a channel between your party and another");
        channels.MapPost("/{code}/acceptance", RegistryEndpoints.AcceptChannel).RequireAuthorization(Policies.Administrator).WithName("AcceptChannel")
            .WithSummary("Accept a channel proposed to your party, opening it");
        channels.MapPost("/{code}/suspension", RegistryEndpoints.SuspendChannel).RequireAuthorization(Policies.Administrator).WithName("SuspendChannel")
            .WithSummary("Suspend a channel of your party");
        channels.MapPost("/{code}/proposal", RegistryEndpoints.ProposeChannelAgain).RequireAuthorization(Policies.Administrator)
            .WithName("ProposeChannelAgain")
            .WithSummary("Propose a suspended channel again");
        return app;
    }

    private static void AddPeople(IServiceCollection services, IdentityServerSettings settings)
    {
        services.AddIdentityCore<HotlineUser>(options =>
            {
                // Length over composition (NIST SP 800-63B), with a little variety required.
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 5;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireLowercase = true;
                options.Password.RequireDigit = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789._-";
            })
            .AddEntityFrameworkStores<IdentityServiceDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthentication()
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(cookie =>
            {
                cookie.Cookie.Name = "hotline-session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
                cookie.LoginPath = "/account/sign-in";
                cookie.ExpireTimeSpan = settings.SessionLifetime;
                cookie.SlidingExpiration = false;
            }));
        services.AddAuthentication().AddCookie(AccountEndpoints.PendingScheme, cookie =>
        {
            cookie.Cookie.Name = "hotline-second-factor";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            cookie.SlidingExpiration = false;
        });
    }

    private static void AddServer(IServiceCollection services, IdentityServerSettings settings)
    {
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityServiceDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(ConnectEndpoints.AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris(ConnectEndpoints.TokenPath.TrimStart('/'))
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSessionPath.TrimStart('/'))
                    .SetUserInfoEndpointUris(ConnectEndpoints.UserInfoPath.TrimStart('/'))
                    .SetRevocationEndpointUris(ConnectEndpoints.RevocationPath.TrimStart('/'));

                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow();
                // PKCE with S256 only (after the flow is allowed, which adds "plain"): plain sends the verifier itself.
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                server.RegisterScopes([Scopes.Profile, Scopes.OfflineAccess, .. ApiScopes.Audiences.Keys]);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(settings.IdentityTokenLifetime)
                    .SetAuthorizationCodeLifetime(settings.AuthorizationCodeLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime)
                    // Rotation without grace: a refresh token works once; using it again revokes the chain.
                    .SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                server.AddEventHandler(RecordTokenRevocation.Descriptor);

                // Access tokens are signed JWTs that every service checks with the published keys.
                server.DisableAccessTokenEncryption();
                if (settings.Issuer is not null)
                {
                    server.SetIssuer(settings.Issuer);
                }

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();
                if (!settings.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, ServerKeys>();
    }
}
