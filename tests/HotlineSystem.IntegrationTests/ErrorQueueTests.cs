using System.Diagnostics;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.ErrorQueues;
using HotlineSystem.IntegrationTests.Infrastructure;
using MassTransit;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The error queue as an operator's tool (docs/error-queues.md): a message the probe's consumer
/// refuses reaches its _error queue on the real broker, the tool shows it with its exception, and
/// once the cause is gone the tool moves it back, where the inbox gives it exactly one effect.
/// </summary>
public sealed class ErrorQueueTests : IAsyncLifetime
{
    // A refused message is not retried (docs/adr/0008): it reaches the error queue on its first failure.
    private static readonly TimeSpan Failure = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Returned = TimeSpan.FromSeconds(5);
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..10];
    private ProbeService _probe = null!;
    private ErrorQueueTool _tool = null!;

    private string ErrorQueue => _probe.QueueName + ErrorQueueTool.ErrorSuffix;

    public async Task InitializeAsync()
    {
        _probe = await ProbeService.StartAsync(_prefix);
        _tool = await ErrorQueueTool.ConnectAsync(new Uri(TestInfrastructure.RabbitMqUri));
    }

    public async Task DisposeAsync()
    {
        await _tool.DisposeAsync();
        await _probe.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_message_lands_in_the_error_queue_and_show_explains_it_without_removing_it()
    {
        var incidentId = Guid.NewGuid();
        _probe.Poison.Add(incidentId);
        var messageId = NewId.NextGuid();

        await _probe.Bus.Publish(Reported(incidentId), context => context.MessageId = messageId);
        await WaitForErrorQueueAsync(messages: 1, Failure);

        Assert.Equal(1, _probe.Poison.RefusalsOf(incidentId)); // on its first failure: no retry for what no retry can mend
        var shown = Assert.Single(await _tool.ShowAsync(_probe.QueueName, limit: 10));
        Assert.Equal(messageId.ToString(), shown.MessageId);
        Assert.Equal("urn:message:HotlineSystem.Contracts.Incidents:IncidentReported", shown.MessageType);
        Assert.Equal("System.InvalidOperationException", shown.ExceptionType);
        Assert.Equal($"Incident {incidentId} is poison to the probe.", shown.ExceptionMessage);
        Assert.EndsWith("/" + _probe.QueueName, shown.InputAddress);
        Assert.InRange(shown.FailedAt!.Value, DateTimeOffset.UtcNow - Failure, DateTimeOffset.UtcNow);
        Assert.Contains(nameof(IncidentReportedProbe), string.Join('\n', shown.StackTraceHead(3)));

        // Shown, not taken: the message comes back (the broker returns it a moment after the channel closes).
        await WaitForErrorQueueAsync(messages: 1, Returned);
        Assert.Single(await _tool.ShowAsync(ErrorQueue, limit: 10));
        await WaitForErrorQueueAsync(messages: 1, Returned);
        Assert.Empty(await _probe.ReceivedAsync(incidentId));
    }

    [Fact]
    public async Task A_replayed_message_is_handled_exactly_once()
    {
        var incidentId = Guid.NewGuid();
        _probe.Poison.Add(incidentId);
        var messageId = NewId.NextGuid();

        // The same message twice, as a publisher's retry would send it: two copies in the error queue.
        await _probe.Bus.Publish(Reported(incidentId), context => context.MessageId = messageId);
        await _probe.Bus.Publish(Reported(incidentId), context => context.MessageId = messageId);
        await WaitForErrorQueueAsync(messages: 2, Failure);
        Assert.Empty(await _probe.ReceivedAsync(incidentId));

        _probe.Poison.Remove(incidentId);
        var replayed = await _tool.ReplayAsync(ErrorQueue);

        Assert.Equal(2, replayed.Count);
        Assert.All(replayed, moved =>
        {
            Assert.Equal(messageId.ToString(), moved.Message.MessageId);
            Assert.Equal(_probe.QueueName, moved.To);
        });
        Assert.Equal(0u, await ErrorQueueCountAsync());
        Assert.Single(await _probe.WaitForAsync(incidentId, r => r.Count >= 1, Delivery));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the duplicate would have had its effect by now
        Assert.Single(await _probe.ReceivedAsync(incidentId));
        Assert.Equal(0u, await ErrorQueueCountAsync());
    }

    [Fact]
    public async Task Replaying_one_message_id_leaves_the_other_messages_in_the_error_queue_in_their_order()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var third = Guid.NewGuid();
        var messageIds = new Dictionary<Guid, Guid>();
        foreach (var incidentId in new[] { first, second, third })
        {
            _probe.Poison.Add(incidentId);
            messageIds[incidentId] = NewId.NextGuid();
            await _probe.Bus.Publish(Reported(incidentId), context => context.MessageId = messageIds[incidentId]);
            await WaitForErrorQueueAsync(messages: (uint)messageIds.Count, Failure);
            _probe.Poison.Remove(incidentId);
        }

        var replayed = Assert.Single(await _tool.ReplayAsync(ErrorQueue, messageIds[second].ToString()));

        Assert.Equal(messageIds[second].ToString(), replayed.Message.MessageId);
        Assert.Single(await _probe.WaitForAsync(second, r => r.Count >= 1, Delivery));
        await WaitForErrorQueueAsync(messages: 2, Returned);
        var left = await _tool.ShowAsync(ErrorQueue, limit: 10);
        Assert.Equal([messageIds[first].ToString(), messageIds[third].ToString()], left.Select(m => m.MessageId));
        Assert.Empty(await _probe.ReceivedAsync(first));
        Assert.Empty(await _probe.ReceivedAsync(third));
    }

    [Fact]
    public async Task The_command_line_tool_lists_shows_and_replays_as_a_process_of_its_own()
    {
        var incidentId = Guid.NewGuid();
        _probe.Poison.Add(incidentId);
        var messageId = NewId.NextGuid();
        await _probe.Bus.Publish(Reported(incidentId), context => context.MessageId = messageId);
        await WaitForErrorQueueAsync(messages: 1, Failure);

        var list = await RunToolAsync("list", _probe.QueueName, "no-such-queue");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"{ErrorQueue}\t1", list.Output);
        Assert.Contains("no-such-queue_error\t-", list.Output);

        var show = await RunToolAsync("show", ErrorQueue);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"message   {messageId}", show.Output);
        Assert.Contains($"exception System.InvalidOperationException: Incident {incidentId} is poison to the probe.", show.Output);

        _probe.Poison.Remove(incidentId);
        await WaitForErrorQueueAsync(messages: 1, Returned);
        var replay = await RunToolAsync("replay", ErrorQueue, "--message-id", messageId.ToString());
        Assert.Equal(0, replay.ExitCode);
        Assert.Contains($"moved {messageId}", replay.Output);
        Assert.Single(await _probe.WaitForAsync(incidentId, r => r.Count >= 1, Delivery));

        var nothingLeft = await RunToolAsync("replay", ErrorQueue, "--message-id", messageId.ToString());
        Assert.Equal(1, nothingLeft.ExitCode);
        Assert.Contains("0 message(s) moved", nothingLeft.Output);
    }

    private static IncidentReported Reported(Guid incidentId) =>
        new(incidentId, 1, "KR-CN", Visibility.Shared, "KR", "kr-officer", DateTimeOffset.UtcNow,
            "KR", "customs-hold", Severity.Sev2, "Held at the border", ["Nd"], [], []);

    private async Task<uint?> ErrorQueueCountAsync() => Assert.Single(await _tool.ListAsync([_probe.QueueName])).Messages;

    private async Task WaitForErrorQueueAsync(uint messages, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await ErrorQueueCountAsync() != messages)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{ErrorQueue} did not reach {messages} message(s) within {timeout}.");
            await Task.Delay(200);
        }
    }

    /// <summary>The tool as an operator runs it: its own build output, the broker from the environment.</summary>
    private static async Task<(int ExitCode, string Output)> RunToolAsync(params string[] arguments)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(TestInfrastructure.RepositoryRoot, "src", "Tools", "HotlineSystem.ErrorQueues", "bin", configuration, "net10.0", "HotlineSystem.ErrorQueues.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [BrokerAddress.ConnectionStringVariable] = TestInfrastructure.RabbitMqUri },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
