using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.UnitTests.Messaging;

public sealed class OutboxInterceptorTests : IAsyncLifetime
{
    private MessagingTestbed _testbed = null!;

    public async Task InitializeAsync() => _testbed = await MessagingTestbed.CreateAsync(startBus: false);

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task Saving_an_aggregate_writes_its_state_and_one_outbox_row_per_raised_event()
    {
        var heldAt = _testbed.Time.GetUtcNow();
        var releasedAt = heldAt.AddHours(2);
        var shipment = Shipment.Hold("TJN-0042", heldAt);
        shipment.Release(releasedAt);
        var raised = shipment.Events.ToList();

        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(shipment);
            await db.SaveChangesAsync();
        });

        Assert.Empty(shipment.Events);
        var saved = await _testbed.WithDbAsync(db => db.Shipments.AsNoTracking().SingleAsync());
        Assert.Equal(("TJN-0042", true), (saved.Reference, saved.Released));
        var outbox = await _testbed.OutboxAsync();
        Assert.Equal(2, outbox.Count);
        Assert.Equal(
            [typeof(IncidentReported).FullName, typeof(IncidentStatusChanged).FullName],
            outbox.Select(m => m.MessageType));
        Assert.Equal([heldAt, releasedAt], outbox.Select(m => m.CreatedAt));
        Assert.All(outbox, m => Assert.Equal((null, 0, null), (m.SentAt, m.Attempts, m.LastError)));
        Assert.Equal(raised[1], MessageSerialization.Deserialize(outbox[1].Body, typeof(IncidentStatusChanged)));
    }

    [Fact]
    public async Task Saving_again_does_not_write_the_same_events_twice()
    {
        var shipment = Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow());
        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(shipment);
            await db.SaveChangesAsync();
            await db.SaveChangesAsync();

            _testbed.Time.Advance(TimeSpan.FromMinutes(1));
            shipment.Release(_testbed.Time.GetUtcNow());
            await db.SaveChangesAsync();
        });

        Assert.Equal(
            [typeof(IncidentReported).FullName, typeof(IncidentStatusChanged).FullName],
            (await _testbed.OutboxAsync()).Select(m => m.MessageType));
    }

    [Fact]
    public async Task When_saving_fails_neither_the_state_change_nor_its_outbox_row_is_kept()
    {
        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        var first = Assert.Single(await _testbed.OutboxAsync());
        var commandsBefore = _testbed.CommandLog.Commands.Count;

        var duplicate = Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow());
        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });

        // The outbox row was sent to the database before the unique violation: only the transaction's rollback removed it.
        var attempted = _testbed.CommandLog.Commands.Skip(commandsBefore).ToList();
        var outboxInsert = attempted.FindIndex(sql => sql.Contains("INSERT INTO \"outbox_messages\"", StringComparison.Ordinal));
        var shipmentInsert = attempted.FindIndex(sql => sql.Contains("INSERT INTO \"shipments\"", StringComparison.Ordinal));
        Assert.True(outboxInsert >= 0 && outboxInsert < shipmentInsert, string.Join("\n---\n", attempted));

        Assert.Equal(1, await _testbed.WithDbAsync(db => db.Shipments.CountAsync()));
        Assert.Equal(first.Id, Assert.Single(await _testbed.OutboxAsync()).Id);
    }

    [Fact]
    public async Task Saving_wakes_the_relay_and_a_failed_save_does_not()
    {
        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow()));
            await db.SaveChangesAsync();
        });
        Assert.True(await _testbed.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));

        await _testbed.WithDbAsync(async db =>
        {
            db.Shipments.Add(Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow()));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        });
        Assert.False(await _testbed.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Inside_an_explicit_transaction_the_relay_is_woken_only_when_it_commits()
    {
        await _testbed.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Shipments.Add(Shipment.Hold("TJN-0042", _testbed.Time.GetUtcNow()));
            await db.SaveChangesAsync();
            Assert.False(await _testbed.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));

            await transaction.CommitAsync();
            Assert.True(await _testbed.Signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        });
    }
}

public sealed class MessageSerializationTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 15, 12, 30, 0, TimeSpan.FromHours(9));

    [Fact]
    public void An_incident_event_round_trips_through_the_outbox_body()
    {
        var reported = new IncidentReported(Guid.NewGuid(), 1, "KR-CN", Visibility.Shared, "KR", "kr-officer-1", At, "KR",
            "customs-hold", Severity.Sev1, "Nd oxide held in Tianjin", ["Nd"], ["2805301000", "284690"], ["permanent-magnets", "electric-vehicles"]);
        var row = OutboxMessage.For(reported, At);

        var type = MessageSerialization.ResolveType(row.MessageType);
        var back = Assert.IsType<IncidentReported>(MessageSerialization.Deserialize(row.Body, type));

        Assert.Equal(reported with { Minerals = back.Minerals, HsCodes = back.HsCodes, Sectors = back.Sectors }, back);
        Assert.Equal(reported.Minerals, back.Minerals);
        Assert.Equal(reported.HsCodes, back.HsCodes);
        Assert.Equal(reported.Sectors, back.Sectors);
        Assert.Equal(At, back.OccurredAt);
        Assert.Equal(At.Offset, back.OccurredAt.Offset);
    }

    [Fact]
    public void An_internal_comment_keeps_its_visibility_through_the_outbox()
    {
        var comment = new IncidentCommentAdded(Guid.NewGuid(), 3, "KR-CN", Visibility.Internal, "KR", "kr-officer-1", At, Guid.NewGuid(), "Our stock: 9 days.");

        var back = MessageSerialization.Deserialize(MessageSerialization.Serialize(comment), typeof(IncidentCommentAdded));

        Assert.Equal(comment, back);
    }

    [Fact]
    public void Enums_are_written_by_name_so_that_renumbering_cannot_change_a_stored_message()
    {
        var changed = new IncidentSeverityChanged(Guid.NewGuid(), 2, "KR-CN", Visibility.Shared, "CN", "cn-officer-1", At, Severity.Sev3, Severity.Sev1, null);

        var body = MessageSerialization.Serialize(changed);

        Assert.Contains("\"oldSeverity\":\"Sev3\"", body, StringComparison.Ordinal);
        Assert.Contains("\"newSeverity\":\"Sev1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"visibility\":\"Shared\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_message_contracts_go_through_the_outbox() =>
        Assert.Throws<InvalidOperationException>(() => MessageSerialization.Serialize(new { IncidentId = Guid.NewGuid() }));

    [Fact]
    public void A_stored_type_name_that_is_not_a_contract_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => MessageSerialization.ResolveType("System.Object"));
}
