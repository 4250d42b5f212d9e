using Microsoft.AspNetCore.Components.Authorization;

namespace HotlineSystem.Web.Security;

/// <summary>The person of this circuit (one browser tab) and their access token.</summary>
public sealed class ConsoleUser(AuthenticationStateProvider authentication, ConsoleSessions sessions)
{
    public async Task<ConsolePerson> PersonAsync() =>
        ConsoleAuthentication.PersonOf((await authentication.GetAuthenticationStateAsync()).User);

    /// <summary>The session's access token; <see cref="SessionEndedException"/> when the person must sign in again.</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        var person = await PersonAsync();
        return await sessions.AccessTokenAsync(person.Session, cancellationToken) ?? throw new SessionEndedException();
    }
}

/// <summary>The session's tokens are gone (signed out elsewhere, refresh refused): sign in again.</summary>
public sealed class SessionEndedException() : Exception("The console session has ended; sign in again.");
