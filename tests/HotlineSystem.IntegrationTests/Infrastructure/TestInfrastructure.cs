using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// The real PostgreSQL and RabbitMQ that tests/run-tests.sh installed and started; their settings
/// come from the environment it exports. Without them the tests fail loudly: they never fall back.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresConnectionString => Required("HOTLINE_POSTGRES");

    public static string RabbitMqUri
    {
        get
        {
            var vhost = Environment.GetEnvironmentVariable("HOTLINE_RABBITMQ_VHOST") ?? "hotline-tests";
            return $"amqp://{Required("HOTLINE_RABBITMQ_USER")}:{Required("HOTLINE_RABBITMQ_PASSWORD")}@localhost:5672/{Uri.EscapeDataString(vhost)}";
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HotlineSystem.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("HotlineSystem.sln not found above the test assembly.");
        }
    }

    /// <summary>A service host as the tests run it: Testing environment, its PostgreSQL database, the real broker, quick outbox retries.</summary>
    public static IWebHostBuilder UseServiceSettings(this IWebHostBuilder builder, string connectionString, string endpointPrefix) =>
        builder.UseEnvironment("Testing")
            .UseSetting("Database:Provider", "PostgreSQL")
            .UseSetting("ConnectionStrings:Hotline", connectionString)
            .UseSetting("Messaging:Transport", "RabbitMQ")
            .UseSetting("ConnectionStrings:RabbitMQ", RabbitMqUri)
            .UseSetting("Messaging:EndpointPrefix", endpointPrefix)
            .UseSetting("Outbox:PublishTimeout", "00:00:03")
            .UseSetting("Outbox:MaxBackoff", "00:00:01")
            .UseSetting("Logging:LogLevel:Default", "Warning")
            // A test host is disposed soon after it starts; a bus still starting then would finish
            // starting after the host stopped and consume every later test's events with a disposed
            // container (seen: thousands of messages faulted that way in one run).
            .ConfigureServices(services => services.AddOptions<MassTransitHostOptions>().Configure(host => host.WaitUntilStarted = true));

    /// <summary>A fresh, empty database of its own; dropped again when disposed.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string purpose)
    {
        var name = $"hotline_test_{purpose}_{Guid.NewGuid():N}"[..50].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name, Pooling = true };
        return new TestDatabase(name, builder.ConnectionString);
    }

    /// <summary>Runs deploy/infra.sh (stop-postgres, start-rabbitmq ...): real outages, not simulated ones.</summary>
    public static async Task InfraAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "deploy", "infra.sh"), command])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/infra.sh {command} failed: {await stderr}");
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the tests with tests/run-tests.sh, which starts PostgreSQL and RabbitMQ and exports their settings.");
}

public sealed class TestDatabase(string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(TestInfrastructure.PostgresConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // PostgreSQL may be down after a fault test; the run's databases go with the machine.
        }
    }
}
