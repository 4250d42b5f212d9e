using HotlineSystem.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HotlineSystem.BuildingBlocks.Data;

/// <summary>
/// What the building blocks need of a service's DbContext: its schema, the outbox and the inbox.
/// Most services derive from <see cref="ServiceDbContext"/>; a context that must derive from another
/// base (Identity's, from ASP.NET Core Identity) implements this and calls <see cref="ServiceModel"/>.
/// </summary>
public interface IServiceDbContext
{
    string Schema { get; }

    DbSet<OutboxMessage> OutboxMessages { get; }

    DbSet<InboxMessage> InboxMessages { get; }

    /// <summary>Whether a SaveChanges wrote outbox rows the relay has not been woken for yet.</summary>
    OutboxState Outbox { get; }
}

/// <summary>Set by the outbox interceptor when a SaveChanges wrote outbox rows, until the relay is woken for them.</summary>
public sealed class OutboxState
{
    internal bool Written { get; set; }
}

/// <summary>The base of every service's DbContext: its own schema (PostgreSQL), the outbox and the inbox.</summary>
public abstract class ServiceDbContext(DbContextOptions options, string schema) : DbContext(options), IServiceDbContext
{
    public string Schema { get; } = schema;

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public OutboxState Outbox { get; } = new();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ConfigureServiceModel(Database, Schema);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.ConfigureServiceConventions(Database);
}

/// <summary>The model every service's database shares: schema, outbox and inbox, and SQLite's time conversions.</summary>
public static class ServiceModel
{
    public static void ConfigureServiceModel(this ModelBuilder modelBuilder, DatabaseFacade database, string schema)
    {
        // SQLite has no schemas: each service has a file of its own instead.
        if (!database.IsSqlite())
        {
            modelBuilder.HasDefaultSchema(schema);
        }

        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.MessageType).HasMaxLength(300);
            outbox.HasIndex(m => new { m.SentAt, m.CreatedAt });
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.Consumer).HasMaxLength(300);
        });
    }

    public static void ConfigureServiceConventions(this ModelConfigurationBuilder configurationBuilder, DatabaseFacade database)
    {
        // SQLite cannot order or compare DateTimeOffset columns; store them as sortable integers there.
        if (database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
