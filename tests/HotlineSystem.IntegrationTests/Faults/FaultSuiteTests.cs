using System.Diagnostics;
using HotlineSystem.BuildingBlocks;
using HotlineSystem.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace HotlineSystem.IntegrationTests.Faults;

/// <summary>The order of the fault suite's faults: one after the other, on one deployment.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FaultAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

public sealed class FaultOrderer : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(test => test.TestMethod.Method.GetCustomAttributes(typeof(FaultAttribute).AssemblyQualifiedName).Single().GetConstructorArguments().Single());
}

/// <summary>
/// The fault suite (issue 13), in every test run: the distributed mode's real processes under a load
/// of clients that retry, and one fault after the other. After each, counted from outside, every
/// accepted incident and every effect downstream exists exactly once, tiers that fell due during the
/// fault fired once, and nothing waits in an outbox or an error queue. Each fault's figures go to
/// .local/test-results/fault-suite.md (docs/reliability.md holds the run of record).
/// </summary>
[TestCaseOrderer("HotlineSystem.IntegrationTests.Faults.FaultOrderer", "HotlineSystem.IntegrationTests")]
public sealed class FaultSuiteTests(DistributedDeployment deployment, ITestOutputHelper output) : IClassFixture<DistributedDeployment>
{
    /// <summary>Every incident accepted so far in the suite: each fault's check covers the earlier ones too.</summary>
    private static readonly HashSet<Guid> AcceptedSoFar = [];

    private static readonly TimeSpan LoadBefore = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan LoadAfter = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromMinutes(3);

    [Fact, Fault(1)]
    public Task Killing_an_Incidents_process_loses_and_doubles_nothing() =>
        UnderLoadAsync("SIGKILL incidents, restarted 2 s later", () => KilledAndRestartedAsync("incidents"));

    [Fact, Fault(2)]
    public Task Killing_an_Escalation_process_loses_and_doubles_nothing() =>
        UnderLoadAsync("SIGKILL escalation, restarted 2 s later", () => KilledAndRestartedAsync("escalation"));

    [Fact, Fault(3)]
    public Task Killing_a_Notifications_process_loses_and_doubles_nothing() =>
        UnderLoadAsync("SIGKILL notifications, restarted 2 s later", () => KilledAndRestartedAsync("notifications"));

    [Fact, Fault(4)]
    public Task Killing_a_Committee_process_loses_and_doubles_nothing() =>
        UnderLoadAsync("SIGKILL committee, restarted 2 s later", () => KilledAndRestartedAsync("committee"));

    [Fact, Fault(5)]
    public Task Killing_the_Identity_process_loses_and_doubles_nothing() =>
        UnderLoadAsync("SIGKILL identity, restarted 2 s later", () => KilledAndRestartedAsync("identity"));

    [Fact, Fault(6)]
    public Task Stopping_RabbitMQ_for_20_seconds_loses_and_doubles_nothing() =>
        UnderLoadAsync("RabbitMQ stop_app for 20 s", () => StoppedAsync("stop-rabbitmq", TimeSpan.FromSeconds(20), "start-rabbitmq"));

    [Fact, Fault(7)]
    public Task Stopping_PostgreSQL_for_longer_than_any_retry_budget_loses_and_doubles_nothing() =>
        UnderLoadAsync("PostgreSQL stopped for 35 s", () => StoppedAsync("stop-postgres", TimeSpan.FromSeconds(35), "start-postgres"));

    [Fact, Fault(8)]
    public Task A_replica_of_each_service_killed_and_left_dead_loses_and_doubles_nothing() =>
        UnderLoadAsync("SIGKILL incidents-2, escalation-2, notifications-2, committee-2, left dead", async () =>
        {
            await deployment.KillAsync("incidents-2");
            await deployment.KillAsync("escalation-2");
            await deployment.KillAsync("notifications-2");
            await deployment.KillAsync("committee-2");
        });

    private async Task KilledAndRestartedAsync(string instance)
    {
        await deployment.KillAsync(instance);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await deployment.StartAsync();
    }

    /// <summary>A real outage through deploy/infra.sh (stop-postgres ... start-postgres).</summary>
    private static async Task StoppedAsync(string stop, TimeSpan outage, string start)
    {
        await TestInfrastructure.InfraAsync(stop);
        try
        {
            await Task.Delay(outage);
        }
        finally
        {
            await TestInfrastructure.InfraAsync(start);
        }
    }

    private async Task UnderLoadAsync(string fault, Func<Task> inject)
    {
        var filers = new RetryingFilers(deployment.Incidents, await deployment.FilingTokenAsync());
        using var stop = new CancellationTokenSource();
        var load = filers.RunAsync(stop.Token);

        await Task.Delay(LoadBefore);
        var faultTime = Stopwatch.StartNew();
        await inject();
        faultTime.Stop();
        await Task.Delay(LoadAfter);
        await stop.CancelAsync();
        await load;
        var faultEnded = Stopwatch.StartNew();

        lock (AcceptedSoFar)
        {
            AcceptedSoFar.UnionWith(filers.Accepted.Values);
        }

        // Converged: every effect of every accepted incident so far, counted from outside.
        Tally tally;
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        while (true)
        {
            try
            {
                tally = await Tally.CountAsync(deployment, AcceptedSoFar);
            }
            catch (Exception exception) when (TransientFaults.IsTransient(exception) && DateTime.UtcNow < deadline)
            {
                // The count's own connections were cut by the outage too: count again.
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }

            if (tally.Problems.Count == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var line = $"| {fault} | {faultTime.Elapsed.TotalSeconds:0.0} s | {filers.Accepted.Count} | {filers.Refused} | {filers.CutOff} | " +
                   $"{faultEnded.Elapsed.TotalSeconds:0.0} s | {tally.Lost} | {tally.Doubled} | {(tally.Problems.Count == 0 ? "converged" : "NOT converged")} |";
        output.WriteLine(line);
        output.WriteLine($"all so far: {AcceptedSoFar.Count} incidents, {tally.Escalations} escalations, {tally.FeedEntries} feed entries");
        await RecordAsync(line);

        Assert.True(filers.Wrong.IsEmpty, $"answers no retry could mend: {string.Join(" | ", filers.Wrong.Take(5))}");
        Assert.True(filers.Accepted.Count > 0, "the load filed nothing");
        Assert.True(tally.Problems.Count == 0,
            $"{fault}: not converged within {RecoveryTimeout.TotalMinutes:0} minutes: {string.Join(" | ", tally.Problems)} (logs: {deployment.LogDirectory})");
    }

    private static async Task RecordAsync(string line)
    {
        var file = Path.Combine(TestInfrastructure.RepositoryRoot, ".local", "test-results", "fault-suite.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file,
                "| fault | fault lasted | filed (accepted) | refused with 503 | cut off (retried) | recovered after the load stopped | lost | doubled | result |\n" +
                "|---|---|---|---|---|---|---|---|---|\n");
        }

        await File.AppendAllTextAsync(file, line + "\n");
    }
}
