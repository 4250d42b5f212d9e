using HotlineSystem.Contracts.Identity;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Data;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace HotlineSystem.Identity.Server;

/// <summary>
/// Records a revocation at /connect/revoke (RFC 7009) as a security event, after OpenIddict has
/// revoked the token; revocations by sign-out or a disabled account are recorded where they happen.
/// </summary>
internal sealed class RecordTokenRevocation(UserManager<Domain.HotlineUser> users, SecurityEventLog log, IdentityServiceDbContext db)
    : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .UseScopedHandler<RecordTokenRevocation>()
            .SetOrder(int.MaxValue - 100_000) // after OpenIddict's own handlers have revoked it
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        if (context.IsRejected || context.GenericTokenPrincipal is not { } token)
        {
            return;
        }

        var subject = token.GetClaim(Claims.Subject);
        var user = await ConnectEndpoints.FindPersonAsync(users, subject);
        log.Add(SecurityEventKind.TokensRevoked, user, $"{token.GetTokenType() ?? "token"} revoked by the client", userName: user is null ? subject : null,
            clientId: context.Request.ClientId);
        await db.SaveChangesAsync();
    }
}
