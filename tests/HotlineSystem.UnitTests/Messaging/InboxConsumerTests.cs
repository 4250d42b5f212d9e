using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.UnitTests.Messaging;

public sealed class InboxConsumerTests : IAsyncLifetime
{
    private MessagingTestbed _testbed = null!;

    public async Task InitializeAsync() => _testbed = await MessagingTestbed.CreateAsync(bus => bus.AddConsumer<HeldShipmentRecorder>());

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private IncidentReported Held(Guid incidentId) => new(incidentId, 1, "KR-CN", Visibility.Shared, "KR", "kr-officer-1",
        _testbed.Time.GetUtcNow(), "KR", "customs-hold", Severity.Sev2, "Shipment held at customs", ["Nd"], ["280530"], ["permanent-magnets"]);

    /// <summary>One delivery at a time: the test's single SQLite connection is not for concurrent use.</summary>
    private async Task DeliverAsync(IncidentReported message, Guid messageId)
    {
        await _testbed.Harness.Bus.Publish(message, context => context.MessageId = messageId);
        await _testbed.Deliveries.NextAsync();
    }

    [Fact]
    public async Task The_same_message_delivered_twice_has_one_effect_and_the_second_delivery_succeeds_without_one()
    {
        var incidentId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await DeliverAsync(Held(incidentId), messageId);
        await DeliverAsync(Held(incidentId), messageId);

        Assert.Equal([(messageId, null), (messageId, null)], _testbed.Deliveries.Deliveries.Select(d => (d.MessageId, d.Fault?.Message)));
        var effect = Assert.Single(await _testbed.WithDbAsync(db => db.Effects.AsNoTracking().ToListAsync()));
        Assert.Equal((messageId, incidentId), (effect.MessageId, effect.IncidentId));
        var handled = Assert.Single(await _testbed.WithDbAsync(db => db.InboxMessages.AsNoTracking().ToListAsync()));
        Assert.Equal((messageId, nameof(HeldShipmentRecorder), MessagingTestbed.Start), (handled.MessageId, handled.Consumer, handled.ProcessedAt));
    }

    [Fact]
    public async Task Messages_with_different_ids_each_have_their_effect()
    {
        var incidentId = Guid.NewGuid();

        await DeliverAsync(Held(incidentId), Guid.NewGuid());
        await DeliverAsync(Held(incidentId), Guid.NewGuid());

        Assert.Equal(2, await _testbed.WithDbAsync(db => db.Effects.CountAsync()));
        Assert.Equal(2, await _testbed.WithDbAsync(db => db.InboxMessages.CountAsync()));
    }
}
