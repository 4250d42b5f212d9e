using System.Diagnostics;
using System.Text.Json;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The hub as a client we did not write sees it: the official SignalR JavaScript client
/// (@microsoft/signalr from npm, tests/js/notifications-client) under Node, over WebSockets.
/// </summary>
public sealed class NotificationJavaScriptClientTests(IncidentsAppFixture incidents) : IClassFixture<IncidentsAppFixture>, IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NotificationsApp _notifications = null!;

    private Uri HubUrl => new(_notifications.BaseAddress, NotificationHubProtocol.Path);

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("notifyjs");
        _notifications = new NotificationsApp(_database.ConnectionString, $"j{Guid.NewGuid():N}"[..10]).Start();
    }

    public async Task DisposeAsync()
    {
        await _notifications.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_official_JavaScript_client_receives_an_incident_filed_by_KR_over_WebSockets()
    {
        await _notifications.PersonAsync("js-cn", "CN", HotlineRoles.LiaisonOfficer);
        var token = await NotificationsApp.TokenAsync("js-cn", "CN", HotlineRoles.LiaisonOfficer);
        using var client = NodeNotificationClient.Start(HubUrl, token);
        await client.WaitUntilConnectedAsync();

        var filed = await incidents.App.ClientFor("js-kr", "KR", HotlineRoles.LiaisonOfficer).FileAsync(Requests.Incident(title: "JS client: Tb metal held at Dalian"));
        client.SendIncidentId(filed.Id);

        Assert.True(await client.WaitForExitAsync() == 0, client.Output);
        var report = JsonSerializer.Deserialize<ClientReport>(client.LastLine, Requests.Json)!;
        Assert.Equal("WebSockets", report.Transport);
        Assert.Equal(filed.Id, report.Entry.IncidentId);
        Assert.Equal(FeedEntryKind.IncidentReported, report.Entry.Kind);
        Assert.Equal("JS client: Tb metal held at Dalian", report.Entry.Title);
        Assert.Equal(1, report.Entry.Sequence);
        Assert.True(report.CatchUpHasEntry);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("tampered")]
    public async Task The_official_JavaScript_client_is_refused_without_a_valid_access_token(string token)
    {
        // A person of its own: Identity announces a person once, to the Notifications hosts running then.
        var accessToken = token == "none" ? "" : Tampered(await NotificationsApp.TokenAsync("js-refused", "CN", HotlineRoles.LiaisonOfficer));
        using var client = NodeNotificationClient.Start(HubUrl, accessToken);

        Assert.NotEqual(0, await client.WaitForExitAsync());
        Assert.DoesNotContain("connected", client.StandardOutput);
        Assert.Contains("401", client.Output, StringComparison.Ordinal); // refused for the token, not for some other fault
    }

    /// <summary>One character in the middle changed: the signature no longer matches.</summary>
    private static string Tampered(string token)
    {
        var middle = token.Length / 2;
        while (token[middle] == '.')
        {
            middle++;
        }

        return string.Concat(token.AsSpan(0, middle), token[middle] == 'A' ? "B" : "A", token.AsSpan(middle + 1));
    }

    private sealed record ClientReport(string Transport, FeedEntry Entry, bool CatchUpHasEntry);

    /// <summary>tests/js/notifications-client/receive-entry.js under Node; its packages come from npm ci (tests/run-tests.sh).</summary>
    private sealed class NodeNotificationClient : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45); // the script gives up after 30 s itself

        private readonly Process _process;
        private readonly List<string> _standardOutput = [];
        private readonly List<string> _output = [];
        private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private NodeNotificationClient(Process process) => _process = process;

        public IReadOnlyList<string> StandardOutput
        {
            get
            {
                lock (_output)
                {
                    return [.. _standardOutput];
                }
            }
        }

        public string LastLine => StandardOutput.LastOrDefault() ?? "";

        /// <summary>Everything the script printed, standard output and error interleaved: the assertion message.</summary>
        public string Output
        {
            get
            {
                lock (_output)
                {
                    return string.Join('\n', _output);
                }
            }
        }

        public static NodeNotificationClient Start(Uri hubUrl, string accessToken)
        {
            var project = Path.Combine(TestInfrastructure.RepositoryRoot, "tests", "js", "notifications-client");
            Assert.True(
                Directory.Exists(Path.Combine(project, "node_modules", "@microsoft", "signalr")),
                $"{project}/node_modules is missing: tests/run-tests.sh installs Node and runs npm ci there");

            var start = new ProcessStartInfo("node", [Path.Combine(project, "receive-entry.js"), hubUrl.ToString()])
            {
                WorkingDirectory = project,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment = { ["HOTLINE_ACCESS_TOKEN"] = accessToken, ["HOTLINE_TIMEOUT_SECONDS"] = "30" },
            };
            var client = new NodeNotificationClient(Process.Start(start)!);
            client._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (client._output)
                {
                    client._standardOutput.Add(e.Data);
                    client._output.Add(e.Data);
                }

                if (e.Data == "connected")
                {
                    client._connected.TrySetResult();
                }
            };
            client._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (client._output)
                    {
                        client._output.Add(e.Data);
                    }
                }
            };
            client._process.BeginOutputReadLine();
            client._process.BeginErrorReadLine();
            return client;
        }

        /// <summary>Until the script says the hub has taken its connection in (it is in its person's group).</summary>
        public async Task WaitUntilConnectedAsync()
        {
            await Task.WhenAny(_connected.Task, _process.WaitForExitAsync(), Task.Delay(Timeout));
            Assert.True(_connected.Task.IsCompleted, $"The JavaScript client did not connect:\n{Output}");
        }

        public void SendIncidentId(Guid incidentId)
        {
            _process.StandardInput.WriteLine(incidentId.ToString());
            _process.StandardInput.Flush();
        }

        /// <summary>The script's exit code, once it and its output have ended.</summary>
        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The JavaScript client did not exit within {Timeout.TotalSeconds} s:\n{Output}");
            }

            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }
    }
}
