namespace HotlineSystem.Web;

/// <summary>
/// Where the console finds the Identity service and the APIs it calls on a person's behalf
/// (section "Console"). In the all-in-one host every address is the host's own.
/// </summary>
public sealed class ConsoleSettings
{
    public const string Section = "Console";

    /// <summary>The Identity service's issuer (OpenID Connect authority).</summary>
    public Uri Authority { get; set; } = new("http://localhost:5080/");

    /// <summary>Plain HTTP to the issuer only where Identity:RequireHttps is off too (the embedded mode, tests on loopback).</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>The console's OpenID Connect client (authorization code + PKCE).</summary>
    public string ClientId { get; set; } = "hotline-web";

    public Uri Incidents { get; set; } = new("http://localhost:5080/");

    public Uri Escalation { get; set; } = new("http://localhost:5080/");

    public Uri Committee { get; set; } = new("http://localhost:5080/");

    public Uri Notifications { get; set; } = new("http://localhost:5080/");

    public Uri Identity { get; set; } = new("http://localhost:5080/");

    /// <summary>What the console asks for: who the person is, staying signed in, and every API.</summary>
    public static readonly IReadOnlyList<string> Scopes = ["openid", "profile", "offline_access", "incidents", "escalation", "committee", "notifications", "identity"];
}
