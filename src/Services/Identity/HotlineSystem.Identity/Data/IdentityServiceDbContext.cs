using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Identity.Audit;
using HotlineSystem.Identity.Domain;
using HotlineSystem.Identity.Registry;
using HotlineSystem.Identity.Server;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Identity.Data;

/// <summary>
/// The Identity service's database: people (ASP.NET Core Identity), the OpenID Connect server's
/// clients, authorizations and tokens (OpenIddict), its keys, parties, the audit trail, and the
/// shared outbox and inbox.
/// </summary>
public sealed class IdentityServiceDbContext(DbContextOptions<IdentityServiceDbContext> options)
    : IdentityUserContext<HotlineUser, Guid>(options), IServiceDbContext, IDataProtectionKeyContext
{
    public const string SchemaName = "identity";

    public string Schema => SchemaName;

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public OutboxState Outbox { get; } = new();

    public DbSet<Party> Parties => Set<Party>();

    public DbSet<Channel> Channels => Set<Channel>();

    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ConfigureServiceModel(Database, Schema);
        builder.UseOpenIddict();

        builder.Entity<HotlineUser>(user =>
        {
            user.Property(u => u.Party).HasMaxLength(8);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.OfficialTier).HasMaxLength(40);
            user.PrimitiveCollection(u => u.Roles);
            user.HasIndex(u => u.Party);
            user.Ignore(u => u.Events);
        });

        builder.Entity<Party>(party =>
        {
            party.HasKey(p => p.Code);
            party.Property(p => p.Code).HasMaxLength(8);
            party.Property(p => p.EnglishName).HasMaxLength(200).HasColumnName("name");
            party.Property(p => p.NativeName).HasMaxLength(200);
            party.Property(p => p.TimeZone).HasMaxLength(64);
            party.Property(p => p.WorkingLanguage).HasMaxLength(20);
            party.Property(p => p.Version).IsConcurrencyToken();
            party.Ignore(p => p.Events);
        });

        builder.Entity<Channel>(channel =>
        {
            channel.HasKey(c => c.Code);
            channel.Property(c => c.Code).HasMaxLength(8);
            channel.Property(c => c.FirstParty).HasMaxLength(8);
            channel.Property(c => c.SecondParty).HasMaxLength(8);
            channel.Property(c => c.Name).HasMaxLength(200);
            channel.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            channel.Property(c => c.ProposedBy).HasMaxLength(8);
            channel.Property(c => c.ChangedBy).HasMaxLength(100);
            channel.Property(c => c.Version).IsConcurrencyToken();
            channel.Ignore(c => c.ChannelCode);
            channel.Ignore(c => c.Events);
            channel.Property(c => c.PairKey).HasMaxLength(8);
            // One channel per pair of parties, whichever proposed it.
            channel.HasIndex(c => c.PairKey).IsUnique();
        });

        builder.Entity<SecurityEvent>(entry =>
        {
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(40);
            entry.Property(e => e.UserName).HasMaxLength(256);
            entry.Property(e => e.Party).HasMaxLength(8);
            entry.Property(e => e.ActorId).HasMaxLength(100);
            entry.Property(e => e.ClientId).HasMaxLength(100);
            entry.Property(e => e.IpAddress).HasMaxLength(64);
            entry.Property(e => e.UserAgent).HasMaxLength(300);
            entry.Property(e => e.Detail).HasMaxLength(500);
            entry.HasIndex(e => new { e.Party, e.OccurredAt });
            entry.HasIndex(e => new { e.UserId, e.OccurredAt });
            entry.Ignore(e => e.Events);
        });

        builder.Entity<ServerKey>(key =>
        {
            key.HasKey(k => k.Id);
            key.Property(k => k.Use).HasMaxLength(20);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.ConfigureServiceConventions(Database);
}
