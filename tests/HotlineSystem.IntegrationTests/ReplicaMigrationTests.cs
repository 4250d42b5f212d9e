using System.Net;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>Replicas of one service started at the same moment on a fresh database: one migrates, the others wait and find nothing to do.</summary>
public sealed class ReplicaMigrationTests : IAsyncLifetime
{
    private const int Replicas = 4;
    private readonly string _prefix = $"t{Guid.NewGuid():N}"[..10];
    private readonly List<IncidentsApp> _replicas = [];
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestInfrastructure.CreateDatabaseAsync("replicas");

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Replicas_starting_together_on_a_fresh_database_all_start_and_migrate_it_once()
    {
        _replicas.AddRange(Enumerable.Range(0, Replicas).Select(_ => new IncidentsApp(_database.ConnectionString, _prefix)));

        // Each host starts on a thread of its own: migrations and seeding run in its start-up.
        await Task.WhenAll(_replicas.Select(replica => Task.Run(() => replica.CreateClient().Dispose())));

        foreach (var replica in _replicas)
        {
            using var client = replica.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }

        // The shared test Identity server also knows the parties and channels other tests registered:
        // count the seeded ones, which every replay carries.
        var partyCodes = TestRegistry.Parties.Select(p => p.Code).ToList();
        var channelCodes = TestRegistry.Channels.Select(c => c.Code).ToList();
        var (known, applied, minerals, parties, channels) = await _replicas[0].InDatabase(async db => (
            db.Database.GetMigrations().ToList(),
            (await db.Database.GetAppliedMigrationsAsync()).ToList(),
            await db.Minerals.CountAsync(),
            await db.Parties.CountAsync(p => partyCodes.Contains(p.Code)),
            await db.Channels.CountAsync(c => channelCodes.Contains(c.Code))));
        Assert.NotEmpty(known);
        Assert.Equal(known, applied);
        Assert.Equal(CatalogueSeed.Minerals.Count, minerals);
        // Each replica asked for the directory at its start: four answers, one copy.
        Assert.Equal(partyCodes.Count, parties);
        Assert.Equal(channelCodes.Count, channels);
    }
}
