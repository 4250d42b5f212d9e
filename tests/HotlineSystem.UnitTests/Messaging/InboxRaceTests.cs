using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>
/// Records IncidentReported, but just before it saves, another delivery of the same message (on a
/// DbContext of its own) commits its effect and inbox row: the race two replicas run when the broker
/// redelivers a message that is still being handled.
/// </summary>
public sealed class OutrunShipmentRecorder(MessagingTestDbContext db, TimeProvider time, IServiceScopeFactory scopes)
    : InboxConsumer<IncidentReported, MessagingTestDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentReported> context)
    {
        var messageId = context.MessageId!.Value;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var other = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
            other.Effects.Add(new Effect { Id = Guid.NewGuid(), MessageId = messageId, IncidentId = context.Message.IncidentId });
            other.InboxMessages.Add(new InboxMessage(messageId, ConsumerName, Time.GetUtcNow()));
            await other.SaveChangesAsync();
        }

        Db.Effects.Add(new Effect { Id = Guid.NewGuid(), MessageId = messageId, IncidentId = context.Message.IncidentId });
    }
}

public sealed class InboxRaceTests : IAsyncLifetime
{
    private MessagingTestbed _testbed = null!;

    public async Task InitializeAsync() => _testbed = await MessagingTestbed.CreateAsync(bus => bus.AddConsumer<OutrunShipmentRecorder>());

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task A_delivery_outrun_by_another_delivery_of_the_same_message_succeeds_and_the_effect_happens_once()
    {
        var messageId = Guid.NewGuid();
        var reported = new IncidentReported(Guid.NewGuid(), 1, "KR-CN", Visibility.Shared, "KR", "kr-officer-1", _testbed.Time.GetUtcNow(), "KR",
            "customs-hold", Severity.Sev2, "Shipment held at customs", ["Nd"], ["280530"], ["permanent-magnets"]);

        await _testbed.Harness.Bus.Publish(reported, context => context.MessageId = messageId);
        await _testbed.Deliveries.NextAsync();

        var delivery = Assert.Single(_testbed.Deliveries.Deliveries);
        Assert.Null(delivery.Fault);
        Assert.Equal(messageId, Assert.Single(await _testbed.WithDbAsync(db => db.Effects.AsNoTracking().ToListAsync())).MessageId);
        Assert.Equal(messageId, Assert.Single(await _testbed.WithDbAsync(db => db.InboxMessages.AsNoTracking().ToListAsync())).MessageId);
    }
}
