using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HotlineSystem.IntegrationTests.Infrastructure;
using Npgsql;

namespace HotlineSystem.IntegrationTests.Faults;

/// <summary>
/// The distributed mode as an operator runs it: deploy/start-distributed.sh starts Identity and two
/// replicas each of Incidents, Escalation, Notifications and Committee as processes of their own (Production
/// environment, PostgreSQL, RabbitMQ), on ports of their own and a fresh database, beside whatever
/// else runs on this machine (with <see cref="ConsoleDeployment"/>, the web console's replicas too). Two liaison officers exist (KR and CN), and KR's Sev2 policy escalates
/// to each of them after three seconds, so every incident climbs two tiers and stops.
/// </summary>
public class DistributedDeployment : IAsyncLifetime
{
    private readonly int _replicas;
    private readonly int _consoleReplicas;

    /// <summary>The fault suite's: two replicas of Incidents, Escalation, Notifications and Committee, no console.</summary>
    public DistributedDeployment()
        : this(firstPort: 5300, replicas: 2, consoleReplicas: 0)
    {
    }

    /// <summary>Identity on <paramref name="firstPort"/>, then each service ten ports further, the console last.</summary>
    protected DistributedDeployment(int firstPort, int replicas, int consoleReplicas)
    {
        IdentityPort = firstPort;
        IncidentsPort = firstPort + 10;
        EscalationPort = firstPort + 20;
        NotificationsPort = firstPort + 30;
        ConsolePort = firstPort + 40;
        CommitteePort = firstPort + 50;
        _replicas = replicas;
        _consoleReplicas = consoleReplicas;
        Identity = new($"http://localhost:{IdentityPort}/");
        Incidents = [.. Enumerable.Range(IncidentsPort, replicas).Select(port => new Uri($"http://localhost:{port}/"))];
        Consoles = [.. Enumerable.Range(ConsolePort, consoleReplicas).Select(port => new Uri($"http://localhost:{port}/"))];
    }

    public int IdentityPort { get; }

    public int IncidentsPort { get; }

    public int EscalationPort { get; }

    public int NotificationsPort { get; }

    public int ConsolePort { get; }

    public int CommitteePort { get; }

    /// <summary>Each tier waits this long; an incident's two tiers and its stop follow within twice it.</summary>
    public static readonly TimeSpan TierWait = TimeSpan.FromSeconds(3);

    private readonly string _runDirectory = Path.Combine(TestInfrastructure.RepositoryRoot, ".local", $"fault-suite-{Guid.NewGuid():N}"[..24]);
    private TestDatabase _database = null!;

    public string ConnectionString => _database.ConnectionString;

    public string EndpointPrefix { get; } = $"faults{Guid.NewGuid():N}"[..12];

    /// <summary>
    /// A virtual host of its own: a queue prefix keeps queues apart, not exchanges, so on the test
    /// run's host the deployment would hear the other tests' people and events (and answer their
    /// directory replay requests), and they its.
    /// </summary>
    public string VirtualHost { get; } = $"{Environment.GetEnvironmentVariable("HOTLINE_RABBITMQ_VHOST") ?? "hotline-tests"}-{Guid.NewGuid():N}"[..50];

    public Uri Identity { get; }

    public IReadOnlyList<Uri> Incidents { get; }

    /// <summary>The web console's replicas (none in the fault suite).</summary>
    public IReadOnlyList<Uri> Consoles { get; }

    /// <summary>The password of the liaison officers kr-fault-officer and cn-fault-officer, who may sign in to the console.</summary>
    public string OfficerPassword { get; } = "fs" + Guid.NewGuid().ToString("N") + "7";

    /// <summary>A fresh token of the KR tool client (a KR liaison officer by client credentials), which files the incidents; tokens live ten minutes.</summary>
    public Task<string> FilingTokenAsync() => TokenAsync("hotline-benchmark-kr", "incidents");

    public string LogDirectory => Path.Combine(_runDirectory, "logs");

    public virtual async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("faults");
        Directory.CreateDirectory(_runDirectory);
        await RunProcessAsync("bash", [Path.Combine(TestInfrastructure.RepositoryRoot, "deploy/infra.sh"), "reset-vhost", VirtualHost], TimeSpan.FromMinutes(3));
        await StartAsync();

        var krAdministrator = await TokenAsync("hotline-benchmark-kr-admin", "escalation identity");
        var cnAdministrator = await TokenAsync("hotline-benchmark-cn-admin", "identity");
        var officers = $"'{await CreateLiaisonOfficerAsync(krAdministrator, "kr-fault-officer")}', '{await CreateLiaisonOfficerAsync(cnAdministrator, "cn-fault-officer")}'";
        await DefinePolicyAsync(krAdministrator);

        // Filing starts once Escalation and Notifications know both officers, so every tier has its people.
        await WaitForAsync(async () =>
                await ScalarAsync($"SELECT count(*) FROM escalation.people WHERE user_id IN ({officers})") == 2
                && await ScalarAsync($"SELECT count(*) FROM notifications.people WHERE user_id IN ({officers})") == 2,
            TimeSpan.FromSeconds(60), "Escalation and Notifications learn the liaison officers");
    }

    public virtual async Task DisposeAsync()
    {
        await RunAsync("deploy/stop-distributed.sh", TimeSpan.FromMinutes(2));
        await _database.DisposeAsync();
        // Logs stay for a failed run's reader; the PID files go.
        foreach (var pidFile in Directory.EnumerateFiles(_runDirectory, "*.pid"))
        {
            File.Delete(pidFile);
        }
    }

    /// <summary>Runs deploy/start-distributed.sh: the first time everything, later only what is not running (and waits until it is ready).</summary>
    public Task StartAsync() => RunAsync("deploy/start-distributed.sh --no-infra --no-build", TimeSpan.FromMinutes(4));

    /// <summary>SIGKILL: no shutdown, no flush, whatever was in flight is cut off.</summary>
    public async Task KillAsync(string instance)
    {
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_runDirectory, $"{instance}.pid")));
        using var process = Process.GetProcessById(pid);
        process.Kill();
        await process.WaitForExitAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The deployment's queues on the broker with the messages in each (rabbitmqctl: read from outside, as an operator would).</summary>
    public async Task<Dictionary<string, long>> QueuesAsync()
    {
        var output = await RunProcessAsync("rabbitmqctl", ["-q", "list_queues", "-p", VirtualHost, "name", "messages"], TimeSpan.FromSeconds(60));
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t', ' '))
            .Where(parts => parts.Length >= 2 && parts[0].StartsWith(EndpointPrefix, StringComparison.Ordinal) && long.TryParse(parts[^1], out _))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[^1]));
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(500);
        }
    }

    private async Task<string> TokenAsync(string clientId, string scope)
    {
        var secret = (await File.ReadAllLinesAsync(Path.Combine(TestInfrastructure.RepositoryRoot, ".local", "identity", $"{clientId}.secret")))[0].Trim();
        using var client = new HttpClient();
        using var response = await client.PostAsync(new Uri(Identity, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"token for {clientId}: {body}");
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Creates the officer through Identity's user administration; returns their user id.</summary>
    private async Task<Guid> CreateLiaisonOfficerAsync(string administratorToken, string userName)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", administratorToken);
        using var response = await client.PostAsJsonAsync(new Uri(Identity, "api/users"), new
        {
            userName,
            displayName = $"Fault suite {userName}",
            roles = new[] { "LiaisonOfficer" },
            password = OfficerPassword,
        });
        Assert.True(response.IsSuccessStatusCode, $"POST /api/users {userName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task DefinePolicyAsync(string administratorToken)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", administratorToken);
        using var response = await client.PutAsJsonAsync(new Uri($"http://localhost:{EscalationPort}/api/escalation-policies/KR-CN/Sev2"), new
        {
            tiers = new object[]
            {
                new { party = "KR", role = "LiaisonOfficer", wait = TierWait.ToString("c"), important = false },
                new { party = "CN", role = "LiaisonOfficer", wait = TierWait.ToString("c"), important = true },
            },
            repeatLastTier = 0,
        });
        Assert.True(response.IsSuccessStatusCode, $"PUT the KR-CN Sev2 policy: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private Task<string> RunAsync(string script, TimeSpan timeout)
    {
        var parts = script.Split(' ');
        return RunProcessAsync("bash", [Path.Combine(TestInfrastructure.RepositoryRoot, parts[0]), .. parts[1..]], timeout, DeploymentSettings());
    }

    /// <summary>What start-distributed.sh reads: this deployment's ports, replicas, database, queue prefix, PID and log folders.</summary>
    private Dictionary<string, string> DeploymentSettings() => new()
    {
        ["HOTLINE_POSTGRES"] = ConnectionString,
        ["HOTLINE_RUN_DIR"] = _runDirectory,
        ["HOTLINE_LOG_DIR"] = LogDirectory,
        ["HOTLINE_IDENTITY_PORT"] = $"{IdentityPort}",
        ["HOTLINE_INCIDENTS_PORT"] = $"{IncidentsPort}",
        ["HOTLINE_ESCALATION_PORT"] = $"{EscalationPort}",
        ["HOTLINE_NOTIFICATIONS_PORT"] = $"{NotificationsPort}",
        ["HOTLINE_CONSOLE_PORT"] = $"{ConsolePort}",
        ["HOTLINE_COMMITTEE_PORT"] = $"{CommitteePort}",
        ["HOTLINE_INCIDENTS_REPLICAS"] = $"{_replicas}",
        ["HOTLINE_ESCALATION_REPLICAS"] = $"{_replicas}",
        ["HOTLINE_NOTIFICATIONS_REPLICAS"] = $"{_replicas}",
        ["HOTLINE_COMMITTEE_REPLICAS"] = $"{_replicas}",
        ["HOTLINE_CONSOLE_REPLICAS"] = $"{_consoleReplicas}",
        ["HOTLINE_BENCHMARK_ADMIN_CLIENT"] = "1",
        ["HOTLINE_STOP_GRACE"] = "10",
        ["Messaging__EndpointPrefix"] = EndpointPrefix,
        ["HOTLINE_RABBITMQ_VHOST"] = VirtualHost,
    };

    private static async Task<string> RunProcessAsync(string file, string[] arguments, TimeSpan timeout, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}: {await stderr}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
