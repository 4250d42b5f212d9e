using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The all-in-one host as a newcomer starts it, as its own process on a free loopback port: its
/// data in the given folder, one demo password, and the console and sign-in registered at that port.
/// </summary>
public sealed class AllInOneProcess : IDisposable
{
    public const string DemoPassword = "demo-password-2026";

    private readonly Process _process;
    private readonly string _baseAddress;
    private readonly List<string> _output = [];

    private AllInOneProcess(Process process, string baseAddress)
    {
        _process = process;
        _baseAddress = baseAddress;
    }

    /// <param name="environment">More configuration for the host, as environment variables (e.g. another party to seed).</param>
    public static async Task<AllInOneProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var output = Path.Combine(TestInfrastructure.RepositoryRoot, "src", "Hosts", "HotlineSystem.AllInOne", "bin", configuration, "net10.0");
        var dll = Path.Combine(output, "HotlineSystem.AllInOne.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");

        var baseAddress = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseAddress])
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Database__DataDirectory"] = dataDirectory,
                ["Demo__Password"] = DemoPassword,
                ["Identity__Console__RedirectUris__1"] = SignInDriver.RedirectUri,
                ["Identity__Console__RedirectUris__2"] = baseAddress + "/console/signin-callback",
                ["Identity__Console__PostLogoutRedirectUris__1"] = baseAddress + "/console/signout-callback",
                ["Console__Authority"] = baseAddress + "/",
                ["Console__Identity"] = baseAddress + "/",
                ["Console__Incidents"] = baseAddress + "/",
                ["Console__Escalation"] = baseAddress + "/",
                ["Console__Committee"] = baseAddress + "/",
                ["Console__Notifications"] = baseAddress + "/",
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var host = new AllInOneProcess(Process.Start(start)!, baseAddress);
        host._process.OutputDataReceived += (_, e) => { lock (host._output) { host._output.Add(e.Data ?? ""); } };
        host._process.ErrorDataReceived += (_, e) => { lock (host._output) { host._output.Add(e.Data ?? ""); } };
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        await host.WaitUntilReadyAsync();
        return host;
    }

    public Uri BaseAddress => new(_baseAddress + "/");

    /// <summary>The party's demo liaison officer, signed in at the in-process OpenID Connect server (code + PKCE).</summary>
    /// <summary>A Shared incident of KR-CN filed by KR's demo tool.</summary>
    public async Task<Guid> FileIncidentAsync(string title) => (await (await ClientAsync("KR")).FileAsync(Requests.Incident(title: title))).Id;

    public async Task<HttpClient> ClientAsync(string party)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await AccessTokenAsync(party));
        return client;
    }

    public async Task<string> AccessTokenAsync(string party, string scope = "openid profile offline_access incidents") =>
        (await SignInDriver.AuthorizationCodeAsync(BaseAddress, new Credentials($"{party.ToLowerInvariant()}-officer", DemoPassword), scope)).AccessToken;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_baseAddress) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        string log;
        lock (_output)
        {
            log = string.Join('\n', _output.TakeLast(40));
        }

        Assert.Fail($"The all-in-one host did not become ready:\n{log}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
