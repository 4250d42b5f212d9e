using HotlineSystem.BuildingBlocks.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.Web.KeyRing;

/// <summary>
/// The console's Data Protection keys, shared by its replicas in PostgreSQL (schema "console"): the
/// sign-in cookie and the antiforgery token one replica issues, another reads. The console keeps no
/// other data. In the all-in-one host the console uses the host's key ring instead (the Identity
/// service's), so this is for the console's own host only.
/// </summary>
public static class ConsoleKeyRing
{
    public const string Schema = "console";

    /// <summary>Replicas must agree on this name as well as on the keys, or they protect for different purposes.</summary>
    public const string ApplicationName = "HotlineSystem.Web";

    /// <summary>With ConnectionStrings:Hotline, keys in PostgreSQL; without it (a developer's run), the default per-user key folder.</summary>
    public static IHostApplicationBuilder AddConsoleKeyRing(this IHostApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        var connectionString = builder.Configuration.GetConnectionString(DatabaseSetup.PostgresConnectionName);
        if (connectionString is null)
        {
            return builder;
        }

        builder.Services.AddDbContext<ConsoleKeyRingDbContext>(db => ConsoleKeyRingDbContext.Configure(db, connectionString));
        dataProtection.PersistKeysToDbContext<ConsoleKeyRingDbContext>();
        // Before Data Protection's own hosted service reads the key ring: the table exists by then.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KeyRingMigration>());
        builder.Services.AddHealthChecks().AddDbContextCheck<ConsoleKeyRingDbContext>("console-key-ring", tags: ["ready"]);
        return builder;
    }

    /// <summary>Brings the key ring's table up to date at start, one replica at a time.</summary>
    private sealed class KeyRingMigration(IServiceProvider services, ILogger<KeyRingMigration> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsoleKeyRingDbContext>();
            await MigrationLock.MigrateAsync(db, Schema, logger, cancellationToken);
            logger.LogInformation("The console's key ring is ready (PostgreSQL, schema {Schema})", Schema);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>One table: the Data Protection keys of every console replica.</summary>
public sealed class ConsoleKeyRingDbContext(DbContextOptions<ConsoleKeyRingDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public static void Configure(DbContextOptionsBuilder db, string connectionString) => db
        .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", ConsoleKeyRing.Schema))
        .UseSnakeCaseNamingConvention()
        // The first start asks for a history table that is not there yet: expected, not an error to log.
        .ConfigureWarnings(warnings => warnings.Log((RelationalEventId.CommandError, LogLevel.Debug)));

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema(ConsoleKeyRing.Schema);
}

/// <summary>For `dotnet ef migrations add` only.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ConsoleKeyRingDbContext>
{
    public ConsoleKeyRingDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ConsoleKeyRingDbContext>();
        ConsoleKeyRingDbContext.Configure(options, "Host=localhost;Database=design_time_only");
        return new ConsoleKeyRingDbContext(options.Options);
    }
}
