using System.Net;
using HotlineSystem.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// More requests than a process serves at once: those beyond the limit and its queue are answered
/// at once with 503 "overloaded", the others are served when the database lets them.
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private const int ConcurrencyLimit = 2;
    private const int QueueLimit = 1;
    private TestDatabase _database = null!;
    private IncidentsApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("overload");
        _app = new IncidentsApp(_database.ConnectionString, $"t{Guid.NewGuid():N}"[..10])
        {
            Settings =
            {
                ["Overload:ConcurrencyLimit"] = $"{ConcurrencyLimit}",
                ["Overload:QueueLimit"] = $"{QueueLimit}",
            },
        };
        _app.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Requests_beyond_the_limit_and_its_queue_get_503_overloaded_and_the_others_are_served()
    {
        var client = _app.KrOfficerClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/incidents")).StatusCode); // warm: token keys, catalogue

        // The database holds every reader of incidents until the lock is released: requests pile up as in an overload.
        await using var blocker = new NpgsqlConnection(_database.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE incidents.incidents IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        var served = Enumerable.Range(0, ConcurrencyLimit).Select(_ => client.GetAsync("/api/incidents")).ToList();
        await WaitUntilAsync(async () => await ReadersWaitingOnLockAsync() == ConcurrencyLimit, "the first requests reach the database");
        served.Add(client.GetAsync("/api/incidents"));
        await WaitUntilAsync(() => Task.FromResult(QueuedRequests() == QueueLimit), "the next request waits in the queue");

        var refused = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync("/api/incidents")));
        foreach (var response in refused)
        {
            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "overloaded");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 tells the client when to retry");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.All(served, request => Assert.False(request.IsCompleted, "requests within the limit and the queue wait for the database"));

        await transaction.RollbackAsync();
        foreach (var response in await Task.WhenAll(served))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private async Task<long> ReadersWaitingOnLockAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private long QueuedRequests()
    {
        var limiter = _app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        return limiter.GetStatistics(new DefaultHttpContext())!.CurrentQueuedCount;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
