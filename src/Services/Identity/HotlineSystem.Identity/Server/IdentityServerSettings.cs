namespace HotlineSystem.Identity.Server;

/// <summary>The "Identity" configuration section of the Identity service.</summary>
public sealed class IdentityServerSettings
{
    public const string Section = "Identity";

    /// <summary>The issuer URI (distributed mode). Unset, the issuer is the address the request came to (embedded mode).</summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// False allows plain HTTP: only for loopback (a one-machine deployment and the tests). Behind a
    /// TLS-terminating proxy keep it true and forward the scheme.
    /// </summary>
    public bool RequireHttps { get; set; } = true;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A refresh token lives for a working shift; each use gives a new one (rotation) and ends the old one.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a sign-in cookie of the server stays valid (the console's session at the server).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A new signing key is made when the newest is older than this; the old one is published until tokens made with it expire.</summary>
    public TimeSpan KeyRotationAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The officers' web console: a public client (authorization code + PKCE).</summary>
    public ConsoleClientSettings Console { get; set; } = new();

    /// <summary>Confidential clients of services and tools (client credentials), each acting for one party.</summary>
    public List<ServiceClientSettings> ServiceClients { get; set; } = [];

    /// <summary>
    /// The first administrator of each party in a new deployment, created once if no account of that
    /// name exists; they enrol an authenticator at first sign-in and then create everyone else.
    /// </summary>
    public List<BootstrapAdministratorSettings> BootstrapAdministrators { get; set; } = [];
}

public sealed class BootstrapAdministratorSettings
{
    public string UserName { get; set; } = "";

    public string Party { get; set; } = "";

    /// <summary>From the environment or a secret store, never from a file in the repository.</summary>
    public string Password { get; set; } = "";
}

public sealed class ConsoleClientSettings
{
    public const string ClientId = "hotline-web";

    public List<Uri> RedirectUris { get; set; } = [];

    public List<Uri> PostLogoutRedirectUris { get; set; } = [];
}

public sealed class ServiceClientSettings
{
    public string ClientId { get; set; } = "";

    /// <summary>From the environment or a secret store, never from a file in the repository.</summary>
    public string ClientSecret { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Party { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    /// <summary>The API scopes the client may ask for (incidents, identity, ...).</summary>
    public List<string> Scopes { get; set; } = [];
}
