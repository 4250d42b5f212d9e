using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Incidents;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>Makes the bus refuse to publish the messages it is told to, as a broker that is down would: a publish that throws.</summary>
public sealed class BrokenBroker : IPublishObserver
{
    public Func<object, bool> Refuses { get; set; } = _ => false;

    public Task PrePublish<T>(PublishContext<T> context) where T : class =>
        Refuses(context.Message) ? throw new InvalidOperationException("The broker refused the message.") : Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}

public sealed class OutboxRelayTests : IAsyncLifetime
{
    private readonly BrokenBroker _broker = new();
    private MessagingTestbed _testbed = null!;

    public async Task InitializeAsync()
    {
        _testbed = await MessagingTestbed.CreateAsync();
        _testbed.Harness.Bus.ConnectPublishObserver(_broker);
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task Relaying_publishes_each_pending_row_with_the_row_id_as_MessageId_and_marks_it_sent()
    {
        var tianjin = await _testbed.HoldAsync("TJN-0042");
        var dalian = await _testbed.HoldAsync("DLC-0007");
        var rows = await _testbed.OutboxAsync();
        var relayedAt = _testbed.Time.GetUtcNow();

        var (published, failed) = await _testbed.Relay.RelayBatchAsync(CancellationToken.None);

        Assert.Equal((2, 0), (published, failed));
        Assert.Equal(rows.Select(r => (Guid?)r.Id).Order(), _testbed.Publishes.Published.Select(p => p.MessageId).Order());
        Assert.True(await _testbed.Harness.Published.Any<IncidentReported>(m => m.Context.MessageId == rows[0].Id && m.Context.Message.IncidentId == tianjin.Id));
        Assert.True(await _testbed.Harness.Published.Any<IncidentReported>(m => m.Context.MessageId == rows[1].Id && m.Context.Message.IncidentId == dalian.Id));
        Assert.All(await _testbed.OutboxAsync(), row => Assert.Equal((relayedAt, 1, null), (row.SentAt, row.Attempts, row.LastError)));
    }

    [Fact]
    public async Task The_published_message_is_the_event_as_it_was_raised()
    {
        var shipment = Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow());
        var raised = (IncidentReported)shipment.Events.Single();
        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(shipment);
            await db.SaveChangesAsync();
        });

        await _testbed.Relay.RelayBatchAsync(CancellationToken.None);

        var message = Assert.IsType<IncidentReported>(Assert.Single(_testbed.Publishes.Published).Message);
        Assert.Equal(raised with { Minerals = message.Minerals, HsCodes = message.HsCodes, Sectors = message.Sectors }, message);
        Assert.Equal(raised.Minerals, message.Minerals);
        Assert.Equal(raised.HsCodes, message.HsCodes);
    }

    [Fact]
    public async Task A_row_already_sent_is_not_published_again()
    {
        await _testbed.HoldAsync("TJN-0042");
        Assert.Equal((1, 0), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));
        var sentAt = Assert.Single(await _testbed.OutboxAsync()).SentAt;

        Assert.Equal((0, 0), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));
        await _testbed.HoldAsync("DLC-0007");
        Assert.Equal((1, 0), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));

        var rows = await _testbed.OutboxAsync();
        Assert.Equal(rows.Select(r => (Guid?)r.Id), _testbed.Publishes.Published.Select(p => p.MessageId));
        Assert.Equal(sentAt, rows[0].SentAt);
        Assert.Equal(1, rows[0].Attempts);
    }

    [Fact]
    public async Task When_publishing_fails_the_row_stays_pending_with_the_attempt_counted_and_the_error_kept()
    {
        _broker.Refuses = _ => true;
        await _testbed.HoldAsync("TJN-0042");

        Assert.Equal((0, 1), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));
        var row = Assert.Single(await _testbed.OutboxAsync());
        Assert.Null(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("The broker refused the message.", row.LastError);

        Assert.Equal((0, 1), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));
        Assert.Equal(2, Assert.Single(await _testbed.OutboxAsync()).Attempts);
        Assert.Empty(_testbed.Publishes.Published);
    }

    [Fact]
    public async Task A_row_that_failed_is_published_once_the_broker_takes_it_again()
    {
        _broker.Refuses = _ => true;
        await _testbed.HoldAsync("TJN-0042");
        await _testbed.Relay.RelayBatchAsync(CancellationToken.None);

        _broker.Refuses = _ => false;
        var relayedAt = _testbed.Time.GetUtcNow();
        Assert.Equal((1, 0), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));

        var row = Assert.Single(await _testbed.OutboxAsync());
        Assert.Equal((relayedAt, 2, null), (row.SentAt, row.Attempts, row.LastError));
        Assert.Equal(row.Id, Assert.Single(_testbed.Publishes.Published).MessageId);
    }

    [Fact]
    public async Task One_refused_message_does_not_hold_back_the_others_of_its_batch()
    {
        _broker.Refuses = message => message is IncidentReported { Title: var title } && title.Contains("DLC", StringComparison.Ordinal);
        var tianjin = await _testbed.HoldAsync("TJN-0042");
        var dalian = await _testbed.HoldAsync("DLC-0007");

        Assert.Equal((1, 1), await _testbed.Relay.RelayBatchAsync(CancellationToken.None));

        var rows = await _testbed.OutboxAsync();
        var sent = Assert.Single(rows, r => r.SentAt is not null);
        var pending = Assert.Single(rows, r => r.SentAt is null);
        Assert.Equal(tianjin.Id, ((IncidentReported)MessageSerialization.Deserialize(sent.Body, typeof(IncidentReported))).IncidentId);
        Assert.Equal(dalian.Id, ((IncidentReported)MessageSerialization.Deserialize(pending.Body, typeof(IncidentReported))).IncidentId);
        Assert.Equal((1, "The broker refused the message."), (pending.Attempts, pending.LastError));
    }
}

public sealed class OutboxRelayBatchDelayTests
{
    [Fact]
    public async Task A_commit_that_wakes_the_relay_waits_the_batch_delay_and_goes_out_in_one_batch_with_the_commits_meanwhile()
    {
        await using var testbed = await MessagingTestbed.CreateAsync(configureOutbox: options => options.BatchDelay = TimeSpan.FromSeconds(10));
        var tianjin = await testbed.HoldAsync("TJN-0042");
        var commitsBefore = testbed.Transactions.Committed;
        await testbed.Relay.StartAsync(CancellationToken.None);
        try
        {
            // Found on the relay's first look, not announced by a wake-up: published at once.
            await PublishedAsync(testbed, 1);
            await RelayCommittedAsync(testbed, commitsBefore); // it is marked sent, and the next writes may have the connection

            var dalian = await testbed.HoldAsync("DLC-0007");
            var ningbo = await testbed.HoldAsync("NGB-0113");
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.Single(testbed.Publishes.Published);

            var commitsBeforeSecondBatch = testbed.Transactions.Committed;
            testbed.Time.Advance(TimeSpan.FromSeconds(10));
            await PublishedAsync(testbed, 3);
            await RelayCommittedAsync(testbed, commitsBeforeSecondBatch); // the test's next read needs the connection too

            var sentAt = (await testbed.OutboxAsync()).ToDictionary(row => IncidentOf(row), row => row.SentAt);
            Assert.Equal(sentAt[dalian.Id], sentAt[ningbo.Id]);
            Assert.NotEqual(sentAt[tianjin.Id], sentAt[dalian.Id]);
        }
        finally
        {
            await testbed.Relay.StopAsync(CancellationToken.None);
        }
    }

    private static async Task PublishedAsync(MessagingTestbed testbed, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (testbed.Publishes.Published.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(count, testbed.Publishes.Published.Count);
    }

    private static async Task RelayCommittedAsync(MessagingTestbed testbed, int commitsBefore)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (testbed.Transactions.Committed == commitsBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(commitsBefore + 1, testbed.Transactions.Committed);
    }

    private static Guid IncidentOf(OutboxMessage row) => ((IncidentReported)MessageSerialization.Deserialize(row.Body, typeof(IncidentReported))).IncidentId;
}
