using System.Security.Claims;
using System.Text.Json;
using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Data;
using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HotlineSystem.Identity.Server;

/// <summary>
/// The OpenID Connect endpoints where the server hands over to us (passthrough): who signs in, what
/// their tokens say, and what signing out revokes. Protocol checks (clients, redirect URIs, PKCE,
/// grant types, scopes) are OpenIddict's and have happened before these run.
/// </summary>
internal static class ConnectEndpoints
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string EndSessionPath = "/connect/endsession";
    public const string UserInfoPath = "/connect/userinfo";
    public const string RevocationPath = "/connect/revoke";

    /// <summary>Party and roles of a service client, kept in its OpenIddict registration's properties.</summary>
    public const string PartyProperty = "hotline_party";
    public const string RolesProperty = "hotline_roles";

    public static async Task<IResult> Authorize(HttpContext http, UserManager<HotlineUser> users, TimeProvider time)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
        var signedInLongAgo = request.MaxAge is { } maxAge && session.Properties?.IssuedUtc is { } issued
            && time.GetUtcNow() - issued > TimeSpan.FromSeconds(maxAge);

        if (user is null || !user.Active || request.HasPromptValue(PromptValues.Login) || signedInLongAgo)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here after signing in, without prompt=login (or the sign-in would repeat forever).
            var parameters = (http.Request.HasFormContentType ? http.Request.Form.AsEnumerable() : http.Request.Query.AsEnumerable())
                .Where(parameter => parameter.Key != Parameters.Prompt)
                .Append(new(Parameters.Prompt, string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login))));
            var returnUrl = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters);
            return Results.Redirect("/account/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        }

        var method = session.Principal!.FindFirst(HotlinePrincipal.AuthenticationMethod)?.Value ?? "pwd";
        var identity = HotlinePrincipal.ForUser(user, request.GetScopes(), method, session.Principal!.FindFirst(HotlinePrincipal.AuthenticationTime)?.Value);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static async Task<IResult> Token(HttpContext http, UserManager<HotlineUser> users, IOpenIddictApplicationManager applications)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                ?? throw new InvalidOperationException("OpenIddict authenticated a client that does not exist.");
            var properties = await applications.GetPropertiesAsync(application);
            if (!properties.TryGetValue(PartyProperty, out var party) || party.GetString() is not { Length: > 0 } partyCode)
            {
                return Forbid(Errors.UnauthorizedClient, "This client acts for no party.");
            }

            var roles = properties.TryGetValue(RolesProperty, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(role => role.GetString()!).ToList()
                : [];
            var identity = HotlinePrincipal.ForClient(request.ClientId!, await applications.GetDisplayNameAsync(application), partyCode, roles, request.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token is valid (OpenIddict checked it); the person may have changed since.
            var granted = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
            var user = await FindPersonAsync(users, granted.GetClaim(Claims.Subject));
            if (user is null || !user.Active || await users.IsLockedOutAsync(user))
            {
                return Forbid(Errors.InvalidGrant, "The account may no longer sign in.");
            }

            return Results.SignIn(new ClaimsPrincipal(HotlinePrincipal.Refresh(granted, user)), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>Signing out ends the session at the server and revokes every refresh token of the person.</summary>
    public static async Task<IResult> EndSession(
        HttpContext http, UserManager<HotlineUser> users, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations,
        SecurityEventLog log, IdentityServiceDbContext db)
    {
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = session.Principal is { } principal && session.Succeeded
            ? users.GetUserId(principal)
            : hint.Principal?.GetClaim(Claims.Subject);

        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        if (await FindPersonAsync(users, subject) is { } user)
        {
            var revoked = await RevokeEverythingAsync(user, tokens, authorizations);
            log.Add(SecurityEventKind.SignedOut, user, $"{revoked} tokens revoked");
            await db.SaveChangesAsync();
        }

        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/signed-out" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public static async Task<IResult> UserInfo(HttpContext http, UserManager<HotlineUser> users)
    {
        var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        var user = await FindPersonAsync(users, principal?.GetClaim(Claims.Subject));
        if (user is null || !user.Active)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The account no longer exists or is disabled.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.Ok(new Dictionary<string, object?>
        {
            [Claims.Subject] = user.Id.ToString(),
            [Claims.Name] = user.DisplayName,
            [Claims.PreferredUsername] = user.UserName,
            [HotlineClaims.Party] = user.Party,
            [Claims.Role] = user.Roles,
            [HotlineClaims.OfficialTier] = user.OfficialTier,
        });
    }

    /// <summary>The person a token's subject names; null for a tool's client id or an account that is gone.</summary>
    public static async Task<HotlineUser?> FindPersonAsync(UserManager<HotlineUser> users, string? subject) =>
        Guid.TryParse(subject, out var id) ? await users.FindByIdAsync(id.ToString()) : null;

    /// <summary>Revokes every authorization and token of a person (sign-out, a disabled account). Returns how many tokens.</summary>
    public static async Task<long> RevokeEverythingAsync(HotlineUser user, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
    {
        var subject = user.Id.ToString();
        var revoked = await tokens.RevokeBySubjectAsync(subject);
        await authorizations.RevokeBySubjectAsync(subject);
        return revoked;
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
