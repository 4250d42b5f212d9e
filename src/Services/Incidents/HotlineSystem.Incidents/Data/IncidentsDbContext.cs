using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Domain;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Data;

public sealed class IncidentsDbContext(DbContextOptions<IncidentsDbContext> options) : ServiceDbContext(options, Schema)
{
    public new const string Schema = "incidents";

    public DbSet<Incident> Incidents => Set<Incident>();

    public DbSet<TimelineEntry> TimelineEntries => Set<TimelineEntry>();

    public DbSet<Mineral> Minerals => Set<Mineral>();

    public DbSet<HsCode> HsCodes => Set<HsCode>();

    public DbSet<Sector> Sectors => Set<Sector>();

    public DbSet<IncidentType> IncidentTypes => Set<IncidentType>();

    public DbSet<Party> Parties => Set<Party>();

    public DbSet<Channel> Channels => Set<Channel>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<Incident>(incident =>
        {
            incident.HasKey(i => i.Id);
            incident.Property(i => i.Version).IsConcurrencyToken();
            incident.HasIndex(i => new { i.ReportingParty, i.RequestId }).IsUnique();
            incident.HasIndex(i => new { i.Channel, i.ReportedAt });
            incident.Property(i => i.Channel).HasMaxLength(20);
            incident.Property(i => i.ReportingParty).HasMaxLength(2);
            incident.Property(i => i.CounterpartParty).HasMaxLength(2);
            incident.Property(i => i.ReportedBy).HasMaxLength(200);
            incident.Property(i => i.AcknowledgedBy).HasMaxLength(200);
            incident.Property(i => i.Type).HasMaxLength(50);
            incident.Property(i => i.Severity).HasConversion<string>().HasMaxLength(10);
            incident.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
            incident.Property(i => i.Title).HasMaxLength(Features.TextLimits.Title);
            incident.Property(i => i.Description).HasMaxLength(Features.TextLimits.Description);
            incident.Property(i => i.Language).HasMaxLength(10);
            incident.Property(i => i.CounterpartAgency).HasMaxLength(Features.TextLimits.Agency);
            incident.Property(i => i.QuantityTonnes).HasPrecision(12, 3);
            incident.HasMany(i => i.Timeline).WithOne().HasForeignKey(e => e.IncidentId);
            incident.Navigation(i => i.Timeline).HasField("_timeline").UsePropertyAccessMode(PropertyAccessMode.Field);
            incident.Ignore(i => i.Events);
        });

        modelBuilder.Entity<TimelineEntry>(entry =>
        {
            entry.HasKey(e => e.Id);
            // The aggregate makes the id when it appends the entry: an entry found on a loaded incident is new, never an update.
            entry.Property(e => e.Id).ValueGeneratedNever();
            entry.HasIndex(e => new { e.IncidentId, e.OccurredAt });
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
            entry.Property(e => e.Source).HasConversion<string>().HasMaxLength(20);
            entry.Property(e => e.Visibility).HasConversion<string>().HasMaxLength(10);
            entry.Property(e => e.ActorUserId).HasMaxLength(200);
            entry.Property(e => e.ActorParty).HasMaxLength(2);
            entry.Property(e => e.OldValue).HasMaxLength(100);
            entry.Property(e => e.NewValue).HasMaxLength(100);
            entry.Property(e => e.Text).HasMaxLength(Features.TextLimits.Comment);
        });

        modelBuilder.Entity<Mineral>().HasKey(m => m.Symbol);
        modelBuilder.Entity<HsCode>(hs =>
        {
            hs.HasKey(h => h.Code);
            hs.Ignore(h => h.Display);
        });
        modelBuilder.Entity<Sector>().HasKey(s => s.Code);
        modelBuilder.Entity<IncidentType>().HasKey(t => t.Code);
        modelBuilder.Entity<Party>().HasKey(p => p.Code);
        modelBuilder.Entity<Channel>(channel =>
        {
            channel.HasKey(c => c.Code);
            channel.Property(c => c.Status).HasConversion<string>().HasMaxLength(12);
            channel.Ignore(c => c.IsOpen);
        });
    }
}
