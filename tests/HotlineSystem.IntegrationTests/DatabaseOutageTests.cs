using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>PostgreSQL really stopped under the running Incidents host: 503 problem details, nothing half-written.</summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..10];
    private TestDatabase _database = null!;
    private IncidentsApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("outage");
        _app = new IncidentsApp(_database.ConnectionString, _prefix);
        _app.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_PostgreSQL_outage_gives_503_problem_details_and_no_partial_write()
    {
        var client = _app.KrOfficerClient();
        await client.FileAsync(); // warm: the catalogue is cached, the pool holds connections
        var retried = Requests.Incident(Guid.NewGuid(), title: "Filed during a database outage");

        await TestInfrastructure.InfraAsync("stop-postgres");
        HttpResponseMessage filing, listing, ready;
        try
        {
            filing = await client.PostAsJsonAsync("/api/incidents", retried);
            listing = await client.GetAsync("/api/incidents");
            ready = await client.GetAsync("/health/ready");
        }
        finally
        {
            await TestInfrastructure.InfraAsync("start-postgres");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, filing.StatusCode);
        var problem = await filing.ProblemAsync();
        Assert.Equal("database-unavailable", problem.GetProperty("code").GetString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.True(filing.Headers.RetryAfter is not null, "a 503 tells the client when to retry");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, listing.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        // Nothing of the failed request was written: not the incident, not its timeline, not its event.
        Assert.Equal(1, await _app.InDatabase(db => db.Incidents.CountAsync()));
        Assert.Equal(1, await _app.InDatabase(db => db.TimelineEntries.CountAsync()));
        Assert.Equal(1, await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(IncidentReported).FullName)));

        // The client retries with the same request id once the database is back: filed once.
        var again = await client.PostAsJsonAsync("/api/incidents", retried);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(2, await _app.InDatabase(db => db.Incidents.CountAsync()));
        Assert.Equal(2, await _app.InDatabase(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(IncidentReported).FullName)));
    }
}
