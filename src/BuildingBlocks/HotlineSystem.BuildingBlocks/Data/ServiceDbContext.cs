using HotlineSystem.BuildingBlocks.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HotlineSystem.BuildingBlocks.Data;

/// <summary>
/// The base of every service's DbContext: its own schema (PostgreSQL), the outbox and the inbox.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options, string schema) : DbContext(options)
{
    public string Schema { get; } = schema;

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>Set by the outbox interceptor when a SaveChanges wrote outbox rows, until the relay is woken for them.</summary>
    internal bool OutboxWritten { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // SQLite has no schemas: each service has a file of its own instead.
        if (!Database.IsSqlite())
        {
            modelBuilder.HasDefaultSchema(Schema);
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

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset columns; store them as sortable integers there.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
