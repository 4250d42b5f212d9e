using System.Net;
using System.Net.Http.Json;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// A unique key that settles a race is an expected outcome, not an error: the logs say so. A database
/// error nobody expected is still logged as an error, once.
/// </summary>
public sealed class ExpectedRaceLoggingTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private TestDatabase _database = null!;
    private IncidentsApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("logging");
        _app = new IncidentsApp(_database.ConnectionString, $"t{Guid.NewGuid():N}"[..10]) { Logs = _logs };
        _app.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Filing_again_with_the_same_request_id_logs_no_error()
    {
        var client = _app.KrOfficerClient();
        var filing = Requests.Incident(Guid.NewGuid());
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/incidents", filing)).StatusCode);
        _logs.Clear();

        var again = await client.PostAsJsonAsync("/api/incidents", filing);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Empty(_logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task A_database_error_nobody_expected_is_logged_as_one_error()
    {
        var client = _app.KrOfficerClient();
        await client.FileAsync(); // warm: the catalogue is cached
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("ALTER TABLE incidents.timeline_entries RENAME TO timeline_entries_gone", connection);
            await command.ExecuteNonQueryAsync();
        }

        _logs.Clear();

        var filing = await client.PostAsJsonAsync("/api/incidents", Requests.Incident(Guid.NewGuid()));

        await filing.AssertProblemAsync(HttpStatusCode.InternalServerError, "internal-error");
        var error = Assert.Single(_logs.AtLeast(LogLevel.Error));
        Assert.Equal(typeof(ProblemExceptionHandler).FullName, error.Category);
        Assert.IsType<PostgresException>(error.Exception?.GetBaseException());
    }
}
