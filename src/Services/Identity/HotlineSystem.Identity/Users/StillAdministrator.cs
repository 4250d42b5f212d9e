using HotlineSystem.Identity.Domain;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace HotlineSystem.Identity.Users;

/// <summary>
/// An access token outlives a change to its holder (disabled, Administrator revoked) by up to its
/// lifetime; user administration cannot wait that long, or a disabled administrator could enable
/// themselves again. So the person behind the token must still be an active Administrator now.
/// </summary>
internal sealed class StillAdministrator : IAuthorizationRequirement;

internal sealed class StillAdministratorHandler(UserManager<HotlineUser> users) : AuthorizationHandler<StillAdministrator>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StillAdministrator requirement)
    {
        var subject = context.User.FindFirst(HotlineClaims.Subject)?.Value;
        if (!Guid.TryParse(subject, out _))
        {
            // A service client (client credentials): its party and roles are its registration, changed by configuration.
            context.Succeed(requirement);
            return;
        }

        if (await users.FindByIdAsync(subject) is { Active: true } user && user.Roles.Contains(HotlineRoles.Administrator))
        {
            context.Succeed(requirement);
        }
    }
}
