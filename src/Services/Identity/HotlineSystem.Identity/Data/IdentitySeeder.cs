using System.Text.Json;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Server;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HotlineSystem.Identity.Data;

/// <summary>
/// Writes, idempotently at every start, what the server needs (after the registry's seed): the API scopes, the web
/// console's registration and the configured service clients (a changed secret or role takes effect).
/// </summary>
internal sealed class IdentitySeeder(
    IOpenIddictApplicationManager applications, IOpenIddictScopeManager scopes, IOptions<IdentityServerSettings> settings,
    UserManager<HotlineUser> users, TimeProvider time)
    : IDataSeeder<IdentityServiceDbContext>
{
    public async Task SeedAsync(IdentityServiceDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (scope, audience) in ApiScopes.Audiences)
        {
            if (await scopes.FindByNameAsync(scope, cancellationToken) is null)
            {
                await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = scope, Resources = { audience } }, cancellationToken);
            }
        }

        await UpsertAsync(ConsoleDescriptor(settings.Value.Console), cancellationToken);
        foreach (var client in settings.Value.ServiceClients)
        {
            await UpsertAsync(ServiceDescriptor(client), cancellationToken);
        }

        foreach (var administrator in settings.Value.BootstrapAdministrators)
        {
            await BootstrapAsync(db, administrator, cancellationToken);
        }
    }

    private async Task BootstrapAsync(IdentityServiceDbContext db, BootstrapAdministratorSettings administrator, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(administrator.UserName) is not null)
        {
            return;
        }

        if (!await db.Parties.AnyAsync(p => p.Code == administrator.Party, cancellationToken))
        {
            throw new InvalidOperationException($"Identity:BootstrapAdministrators: '{administrator.Party}' is not a party.");
        }

        var user = HotlineUser.Register(administrator.UserName, $"Administrator ({administrator.Party})", null, administrator.Party,
            [HotlineRoles.Administrator], null, time.GetUtcNow());
        var created = await users.CreateAsync(user, administrator.Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                $"Identity:BootstrapAdministrators '{administrator.UserName}': {string.Join(' ', created.Errors.Select(e => e.Description))}");
        }
    }

    private async Task UpsertAsync(OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    private static OpenIddictApplicationDescriptor ConsoleDescriptor(ConsoleClientSettings console)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ConsoleClientSettings.ClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit, // first-party: the governments' own console asks no consent
            DisplayName = "HotlineSystem web console",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var scope in ApiScopes.Audiences.Keys)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        descriptor.RedirectUris.UnionWith(console.RedirectUris);
        descriptor.PostLogoutRedirectUris.UnionWith(console.PostLogoutRedirectUris);
        return descriptor;
    }

    private static OpenIddictApplicationDescriptor ServiceDescriptor(ServiceClientSettings client)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId) || client.ClientSecret.Length < 16 || string.IsNullOrWhiteSpace(client.Party))
        {
            throw new InvalidOperationException(
                $"Identity:ServiceClients entry '{client.ClientId}' needs a ClientId, a Party and a ClientSecret of at least 16 characters.");
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = string.IsNullOrWhiteSpace(client.DisplayName) ? client.ClientId : client.DisplayName,
            Permissions = { Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.GrantTypes.ClientCredentials },
            Properties =
            {
                [ConnectEndpoints.PartyProperty] = JsonSerializer.SerializeToElement(client.Party.ToUpperInvariant()),
                [ConnectEndpoints.RolesProperty] = JsonSerializer.SerializeToElement(client.Roles),
            },
        };
        foreach (var scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        return descriptor;
    }
}
