using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Nothing lost, nothing doubled: the Incidents host on real PostgreSQL, the real RabbitMQ broker,
/// and another service consuming IncidentReported through its inbox.
/// </summary>
public sealed class DeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..10];
    private TestDatabase _database = null!;
    private IncidentsApp _app = null!;
    private ProbeService _probe = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("incidents");
        _probe = await ProbeService.StartAsync(_prefix);
        _app = new IncidentsApp(_database.ConnectionString, _prefix);
        _app.CreateClient().Dispose(); // start the host: migrations, seed, bus
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _probe.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Filing_persists_the_incident_and_another_service_receives_exactly_one_IncidentReported()
    {
        var filed = await _app.KrOfficerClient().FileAsync();

        Assert.True(await _app.InDatabase(db => Task.FromResult(db.Database.IsNpgsql())), "the test must run on PostgreSQL");

        var stored = await _app.InDatabase(db => db.Incidents.Include(i => i.Timeline).SingleAsync(i => i.Id == filed.Id));
        Assert.Equal("KR", stored.ReportingParty);
        Assert.Equal(IncidentStatus.Reported, stored.Status);
        Assert.Equal(["280530", "8505" + "11"], stored.HsCodes.Order().Select(c => c[..6]).ToList());
        Assert.Single(stored.Timeline);

        var received = await _probe.WaitForAsync(filed.Id, r => r.Count >= 1, Delivery);
        Assert.Single(received);
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second delivery would have arrived by now
        Assert.Single(await _probe.ReceivedAsync(filed.Id));
        Assert.Equal(1, _probe.Deliveries.CountFor(filed.Id));

        var outboxPending = await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.SentAt == null));
        Assert.Equal(0, outboxPending);
    }

    [Fact]
    public async Task The_same_request_id_filed_twice_gives_one_incident_and_one_event()
    {
        var client = _app.KrOfficerClient();
        var body = Requests.Incident(Guid.NewGuid());

        var first = await client.PostAsJsonAsync("/api/incidents", body);
        var second = await client.PostAsJsonAsync("/api/incidents", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstIncident = await first.ReadAsync<IncidentDetails>();
        var secondIncident = await second.ReadAsync<IncidentDetails>();
        Assert.Equal(firstIncident.Id, secondIncident.Id);
        Assert.Equal(1, await _app.InDatabase(db => db.Incidents.CountAsync()));
        Assert.Equal(1, await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(IncidentReported).FullName)));

        await _probe.WaitForAsync(firstIncident.Id, r => r.Count >= 1, Delivery);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await _probe.ReceivedAsync(firstIncident.Id));
    }

    [Fact]
    public async Task The_same_request_id_filed_concurrently_gives_one_incident()
    {
        var client = _app.KrOfficerClient();
        var body = Requests.Incident(Guid.NewGuid());

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync("/api/incidents", body)));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, await _app.InDatabase(db => db.Incidents.CountAsync()));
        Assert.Equal(1, await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(IncidentReported).FullName)));
    }

    [Fact]
    public async Task A_message_delivered_twice_has_one_effect()
    {
        // As when the relay crashes after the broker confirmed but before it marked the row sent:
        // the same event (same MessageId) is published again.
        var incidentId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        var reported = new IncidentReported(incidentId, 1, "KR-CN", Visibility.Shared, "KR", "kr-officer", DateTimeOffset.UtcNow,
            "KR", "customs-hold", Severity.Sev2, "Redelivered", ["Nd"], ["850511"], ["permanent-magnets"]);

        await _probe.Bus.Publish(reported, context => context.MessageId = messageId);
        await _probe.Bus.Publish(reported, context => context.MessageId = messageId);

        var deadline = DateTime.UtcNow + Delivery;
        while (_probe.Deliveries.CountFor(incidentId) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2, _probe.Deliveries.CountFor(incidentId));
        var received = await _probe.ReceivedAsync(incidentId);
        Assert.Single(received);
        Assert.Equal(messageId, received[0].MessageId);
    }

    [Fact]
    public async Task With_RabbitMQ_stopped_filing_succeeds_and_the_event_is_delivered_once_the_broker_is_back()
    {
        await TestInfrastructure.InfraAsync("stop-rabbitmq");
        IncidentDetails filed;
        try
        {
            filed = await _app.KrOfficerClient().FileAsync(Requests.Incident(title: "Filed while the broker was down"));
            await Task.Delay(TimeSpan.FromSeconds(3)); // the relay tries, and fails, meanwhile
            Assert.Equal(1, await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.SentAt == null)));
        }
        finally
        {
            await TestInfrastructure.InfraAsync("start-rabbitmq");
        }

        var received = await _probe.WaitForAsync(filed.Id, r => r.Count >= 1, TimeSpan.FromSeconds(60));
        Assert.Single(received);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await _probe.ReceivedAsync(filed.Id));
        Assert.Equal(0, await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.SentAt == null)));
    }

    [Fact]
    public async Task An_event_committed_by_a_host_that_died_before_publishing_is_published_by_the_next_host()
    {
        await TestInfrastructure.InfraAsync("stop-rabbitmq");
        IncidentDetails filed;
        try
        {
            filed = await _app.KrOfficerClient().FileAsync(Requests.Incident(title: "Committed, never published"));
            await _app.DisposeAsync(); // the host goes away with the event still in its outbox
        }
        finally
        {
            await TestInfrastructure.InfraAsync("start-rabbitmq");
        }

        _app = new IncidentsApp(_database.ConnectionString, _prefix);
        _app.CreateClient().Dispose();

        var received = await _probe.WaitForAsync(filed.Id, r => r.Count >= 1, TimeSpan.FromSeconds(60));
        Assert.Single(received);
        Assert.Equal("Committed, never published", received[0].Title);
    }
}
