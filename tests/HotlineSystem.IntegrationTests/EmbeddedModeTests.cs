using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Client;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The embedded default as a newcomer runs it: the all-in-one host as its own process, on SQLite
/// and the in-memory bus, seeded with demo data on first start; its data survives a restart.
/// </summary>
public sealed class EmbeddedModeTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hotline-embedded-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task The_all_in_one_host_starts_files_and_lists_and_keeps_its_data_across_a_restart()
    {
        Guid filedId;
        int countAfterFiling;
        using (var host = await AllInOneProcess.StartAsync(_dataDirectory))
        {
            var demo = await (await host.ClientAsync("CN")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents", Requests.Json);
            Assert.True(demo!.TotalCount >= 3, "demo incidents are seeded on first start");

            var filed = await (await host.ClientAsync("KR")).FileAsync(Requests.Incident(title: "Embedded smoke"));
            filedId = filed.Id;

            var listed = await (await host.ClientAsync("CN")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents", Requests.Json);
            Assert.Contains(listed!.Items, i => i.Id == filedId && i.Title == "Embedded smoke");
            countAfterFiling = listed.TotalCount;
        }

        using (var restarted = await AllInOneProcess.StartAsync(_dataDirectory))
        {
            var listed = await (await restarted.ClientAsync("CN")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents", Requests.Json);
            Assert.Equal(countAfterFiling, listed!.TotalCount); // kept, and the demo data was not seeded twice
            Assert.Contains(listed.Items, i => i.Id == filedId);
        }
    }

    [Fact]
    public async Task In_the_all_in_one_host_the_counterparts_officer_receives_a_filed_incident_live_over_SignalR()
    {
        using var host = await AllInOneProcess.StartAsync(_dataDirectory);
        var token = await host.AccessTokenAsync("CN", "openid profile notifications");
        await using var cn = new NotificationConnection(host.BaseAddress, () => Task.FromResult<string?>(token));
        var received = new TaskCompletionSource<FeedEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        cn.EntryReceived += entry =>
        {
            if (entry.Title == "Embedded push")
            {
                received.TrySetResult(entry);
            }

            return Task.CompletedTask;
        };
        await cn.StartAsync();

        var filed = await (await host.ClientAsync("KR")).FileAsync(Requests.Incident(title: "Embedded push"));

        var entry = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(filed.Id, entry.IncidentId);
        Assert.Equal(FeedEntryKind.IncidentReported, entry.Kind);
        Assert.Equal("KR", entry.ActingParty);
    }

    internal sealed class AllInOneProcess : IDisposable
    {
        private const string DemoPassword = "demo-password-2026";

        private readonly Process _process;
        private readonly string _baseAddress;
        private readonly List<string> _output = [];

        private AllInOneProcess(Process process, string baseAddress)
        {
            _process = process;
            _baseAddress = baseAddress;
        }

        public static async Task<AllInOneProcess> StartAsync(string dataDirectory)
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
                },
            };
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
}
