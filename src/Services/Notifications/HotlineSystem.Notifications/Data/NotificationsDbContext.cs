using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Notifications.Feed;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Data;

/// <summary>
/// The Notifications service's database: every person's feed with its read state, its directory of
/// people, and the committee delegations the committee's notices go to.
/// </summary>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : ServiceDbContext(options, SchemaName)
{
    public const string SchemaName = "notifications";

    public DbSet<UserFeed> Feeds => Set<UserFeed>();

    public DbSet<UserFeedEntry> FeedEntries => Set<UserFeedEntry>();

    public DbSet<DirectoryPerson> People => Set<DirectoryPerson>();

    public DbSet<IncidentTitle> IncidentTitles => Set<IncidentTitle>();

    public DbSet<KnownChannel> Channels => Set<KnownChannel>();

    public DbSet<KnownEscalation> Escalations => Set<KnownEscalation>();

    public DbSet<CommitteeDelegation> CommitteeDelegations => Set<CommitteeDelegation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<UserFeed>(feed =>
        {
            feed.ToTable("feeds");
            feed.HasKey(f => f.UserId);
            feed.Property(f => f.UserId).HasMaxLength(100);
            feed.Property(f => f.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<UserFeedEntry>(entry =>
        {
            entry.ToTable("feed_entries");
            entry.HasKey(e => new { e.UserId, e.Sequence });
            entry.Property(e => e.UserId).HasMaxLength(100);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(40);
            entry.Property(e => e.Channel).HasMaxLength(20);
            entry.Property(e => e.ActingParty).HasMaxLength(8);
            entry.Property(e => e.ActingUser).HasMaxLength(100);
            entry.Property(e => e.Visibility).HasConversion<string>().HasMaxLength(10);
            entry.Property(e => e.Title).HasMaxLength(UserFeedEntry.MaxTitleLength);
            entry.Property(e => e.Detail).HasMaxLength(UserFeedEntry.MaxDetailLength);
            // Unread counts and "who was told of this incident's escalation" (to tell them it stopped).
            entry.HasIndex(e => new { e.UserId, e.ReadAt });
            entry.HasIndex(e => new { e.IncidentId, e.Kind });
        });

        modelBuilder.HasPeopleDirectory();

        modelBuilder.Entity<KnownChannel>(channel =>
        {
            channel.ToTable("channels");
            channel.HasKey(c => c.Code);
            channel.Property(c => c.Code).HasMaxLength(20);
        });

        modelBuilder.Entity<KnownEscalation>(escalation =>
        {
            escalation.ToTable("escalations");
            escalation.HasKey(e => e.IncidentId);
            escalation.Property(e => e.IncidentId).ValueGeneratedNever();
            escalation.Property(e => e.StopReason).HasConversion<string>().HasMaxLength(40);
            escalation.Property(e => e.Channel).HasMaxLength(20);
            escalation.Property(e => e.ActingParty).HasMaxLength(8);
            escalation.Property(e => e.Visibility).HasConversion<string>().HasMaxLength(10);
        });

        modelBuilder.Entity<CommitteeDelegation>(delegation =>
        {
            delegation.ToTable("committee_delegations");
            delegation.HasKey(d => new { d.Channel, d.Party });
            delegation.Property(d => d.Channel).HasMaxLength(20);
            delegation.Property(d => d.Party).HasMaxLength(8);
            delegation.PrimitiveCollection(d => d.Members);
            // Announcements are handled concurrently: a later delegation must not be overwritten by an earlier one.
            delegation.Property(d => d.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<IncidentTitle>(incident =>
        {
            incident.ToTable("incident_titles");
            incident.HasKey(i => i.IncidentId);
            incident.Property(i => i.IncidentId).ValueGeneratedNever();
            incident.Property(i => i.Title).HasMaxLength(UserFeedEntry.MaxTitleLength);
        });
    }
}
