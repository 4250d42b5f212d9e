using System.Security.Cryptography;
using System.Text;
using HotlineSystem.BuildingBlocks.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks.Data;

public static class DatabaseSetup
{
    /// <summary>The connection string name used in the distributed mode (PostgreSQL).</summary>
    public const string PostgresConnectionName = "Hotline";

    /// <summary>
    /// Registers a service's DbContext on PostgreSQL (schema per service, migrations) or SQLite
    /// (a file per service), as configuration says, with the outbox wired in and its relay running.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string serviceName)
        where TContext : DbContext, IServiceDbContext
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection(OutboxOptions.Section));
        builder.Services.AddSingleton<OutboxSignal<TContext>>();
        builder.Services.AddSingleton<OutboxInterceptor<TContext>>();
        // Pooled: a context's internal services are built once and reused, not for every request and
        // message (the notifications benchmark found 6 % of the Incidents service's CPU in context start-up).
        // The options are built once from the root provider; the interceptor is a singleton anyway.
        builder.Services.AddDbContextPool<TContext>((sp, db) =>
        {
            UseProvider(db, options, builder.Configuration, builder.Environment.ContentRootPath, serviceName);
            db.UseSnakeCaseNamingConvention();
            db.AddInterceptors(sp.GetRequiredService<OutboxInterceptor<TContext>>());
            // A failed command is not yet an error: a unique key that settles a race (a repeated request
            // id, two deliveries of one message) is expected and handled. What is not handled escapes to
            // a place that logs it once, as what it is: the problem handler (500, or 503 when the
            // database is away), MassTransit (retry, fault), the outbox relay, the host's start.
            db.ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.CommandError, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug)));
        });

        // First of all hosted services: others (Data Protection's key ring, the outbox relay) read tables it creates.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseInitializer<TContext>>());
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{serviceName}-database", tags: ["ready"]);
        return builder;
    }

    private static void UseProvider(DbContextOptionsBuilder db, DatabaseOptions options, IConfiguration configuration, string contentRoot, string serviceName)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.PostgreSQL:
                var connectionString = configuration.GetConnectionString(PostgresConnectionName)
                    ?? throw new InvalidOperationException(
                        $"Database:Provider is PostgreSQL but ConnectionStrings:{PostgresConnectionName} is not set.");
                db.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", serviceName));
                break;
            case DatabaseProvider.Sqlite:
                var directory = Path.GetFullPath(options.DataDirectory, contentRoot);
                Directory.CreateDirectory(directory);
                var file = Path.Combine(directory, $"{serviceName}.db");
                db.UseSqlite(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString());
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }
    }
}

/// <summary>
/// Brings the database up to date before the service takes requests: EF Core migrations on
/// PostgreSQL, one replica at a time (<see cref="MigrationLock"/>), so replicas may start together;
/// on SQLite, the schema is created from the model the first time (embedded mode has no
/// migrations, see docs/adr/0003).
/// </summary>
internal sealed class DatabaseInitializer<TContext>(IServiceProvider services, ILogger<DatabaseInitializer<TContext>> logger)
    : IHostedService where TContext : DbContext, IServiceDbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (db.Database.IsSqlite())
        {
            await EnsureEmbeddedSchemaAsync(db, cancellationToken);
            await SeedAsync(scope, db, cancellationToken);
        }
        else
        {
            await using var migrationLock = await MigrationLock.AcquireAsync(db, db.Schema, logger, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            await SeedAsync(scope, db, cancellationToken);
        }

        logger.LogInformation("Database of {Context} is ready ({Provider})", typeof(TContext).Name, db.Database.ProviderName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task SeedAsync(AsyncServiceScope scope, TContext db, CancellationToken cancellationToken)
    {
        foreach (var seeder in scope.ServiceProvider.GetServices<IDataSeeder<TContext>>())
        {
            await seeder.SeedAsync(db, cancellationToken);
        }
    }

    /// <summary>
    /// Embedded mode creates the schema from the model (no migrations, docs/adr/0003). A file made
    /// by an older model would fail on first use in obscure ways, so the model's fingerprint is
    /// kept beside the data and a mismatch stops the start with a clear instruction instead.
    /// </summary>
    private async Task EnsureEmbeddedSchemaAsync(TContext db, CancellationToken cancellationToken)
    {
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(db.Database.GenerateCreateScript())));
        var created = await db.Database.EnsureCreatedAsync(cancellationToken);
        // Write-ahead logging lets readers and the outbox relay work while a request writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE IF NOT EXISTS __embedded_schema (fingerprint TEXT NOT NULL);", cancellationToken);
        var stored = await db.Database.SqlQueryRaw<string>("SELECT fingerprint AS \"Value\" FROM __embedded_schema").ToListAsync(cancellationToken);
        if (created || stored.Count == 0)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM __embedded_schema; INSERT INTO __embedded_schema (fingerprint) VALUES ({0});", [fingerprint], cancellationToken);
        }
        else if (stored[0] != fingerprint)
        {
            throw new InvalidOperationException(
                $"The embedded database '{db.Database.GetDbConnection().DataSource}' was created by another version of {typeof(TContext).Name}. " +
                "Embedded mode has no migrations: move the data folder aside (or delete it) and start again; demo data is seeded anew.");
        }
    }
}

/// <summary>Reference data a service needs in its database (catalogues, parties), written idempotently at start.</summary>
public interface IDataSeeder<in TContext> where TContext : DbContext, IServiceDbContext
{
    Task SeedAsync(TContext db, CancellationToken cancellationToken);
}

/// <summary>
/// A PostgreSQL session-level advisory lock per service schema, held while one replica migrates
/// and seeds: EF Core's own migration lock is taken only after the schema and the history table
/// are created, and replicas creating those at the same moment can collide. The second replica
/// waits and then finds nothing to do.
/// </summary>
public sealed class MigrationLock : IAsyncDisposable
{
    private readonly DbContext _db;
    private readonly long _key;

    private MigrationLock(DbContext db, long key)
    {
        _db = db;
        _key = key;
    }

    /// <summary>Applies a PostgreSQL context's migrations, one process at a time per schema (a context without an outbox, such as the console's key ring, too).</summary>
    public static async Task MigrateAsync(DbContext db, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        await using var migrationLock = await AcquireAsync(db, schema, logger, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>The lock's key: stable across processes and versions (not string.GetHashCode, which is per process).</summary>
    public static long KeyOf(string schema) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"hotline-migrations:{schema}")), 0);

    public static async Task<MigrationLock> AcquireAsync(DbContext db, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        var key = KeyOf(schema);
        // Session-level: the lock belongs to this connection, so it stays open until released.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!await TryLockAsync(db, key, cancellationToken))
            {
                logger.LogInformation("Another replica is migrating the {Schema} schema; waiting for it", schema);
                // A migration may take longer than a command's timeout: wait as long as it takes (or until stopped).
                var timeout = db.Database.GetCommandTimeout();
                db.Database.SetCommandTimeout(TimeSpan.Zero);
                try
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({key})", cancellationToken);
                }
                finally
                {
                    db.Database.SetCommandTimeout(timeout);
                }
            }
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }

        return new MigrationLock(db, key);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Explicitly: the pool keeps the session (No Reset On Close), and with it a lock not released.
            await _db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({_key})");
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> TryLockAsync(DbContext db, long key, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").ToListAsync(cancellationToken)).Single();
}
