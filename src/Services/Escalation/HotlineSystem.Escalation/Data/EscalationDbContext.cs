using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.Escalation.Rosters;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Data;

/// <summary>The Escalation service's database: policies, rosters, running escalations with their due times, and its directory of people.</summary>
public sealed class EscalationDbContext(DbContextOptions<EscalationDbContext> options) : ServiceDbContext(options, SchemaName)
{
    public const string SchemaName = "escalation";

    public DbSet<EscalationPolicy> Policies => Set<EscalationPolicy>();

    public DbSet<Escalations.Escalation> Escalations => Set<Escalations.Escalation>();

    public DbSet<DirectoryPerson> People => Set<DirectoryPerson>();

    public DbSet<DirectoryParty> Parties => Set<DirectoryParty>();

    public DbSet<DutyRoster> DutyRosters => Set<DutyRoster>();

    public DbSet<Measures.IncidentRecord> IncidentRecords => Set<Measures.IncidentRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<EscalationPolicy>(policy =>
        {
            policy.ToTable("policies");
            policy.HasKey(p => p.Id);
            policy.Property(p => p.Channel).HasMaxLength(20);
            policy.Property(p => p.OwnerParty).HasMaxLength(8);
            policy.Property(p => p.Severity).HasConversion<string>().HasMaxLength(8);
            policy.Property(p => p.UpdatedBy).HasMaxLength(100);
            policy.Property(p => p.Tiers).AsJson();
            policy.Property(p => p.Version).IsConcurrencyToken();
            policy.HasIndex(p => new { p.Channel, p.OwnerParty, p.Severity }).IsUnique();
        });

        modelBuilder.Entity<DutyRoster>(roster =>
        {
            roster.ToTable("duty_rosters");
            roster.HasKey(r => r.Id);
            roster.Property(r => r.Party).HasMaxLength(8);
            roster.Property(r => r.Role).HasMaxLength(40);
            roster.Property(r => r.TimeZone).HasMaxLength(64);
            roster.Property(r => r.UpdatedBy).HasMaxLength(100);
            roster.Property(r => r.Rotations).AsJson();
            roster.Property(r => r.Overrides).AsJson();
            roster.Property(r => r.Version).IsConcurrencyToken();
            roster.HasIndex(r => new { r.Party, r.Role }).IsUnique();
        });

        modelBuilder.Entity<Escalations.Escalation>(escalation =>
        {
            escalation.ToTable("escalations");
            escalation.HasKey(e => e.IncidentId);
            escalation.Property(e => e.IncidentId).ValueGeneratedNever();
            escalation.Property(e => e.Channel).HasMaxLength(20);
            escalation.Property(e => e.OwnerParty).HasMaxLength(8);
            escalation.Property(e => e.CounterpartParty).HasMaxLength(8);
            escalation.Property(e => e.Severity).HasConversion<string>().HasMaxLength(8);
            escalation.Property(e => e.State).HasConversion<string>().HasMaxLength(24);
            escalation.Property(e => e.StopReason).HasConversion<string>().HasMaxLength(24);
            escalation.Property(e => e.Policy).AsJson();
            escalation.Property(e => e.Fired).AsJson();
            escalation.Property(e => e.Version).IsConcurrencyToken();
            // The timer's query: what is due, oldest first; stopped escalations have no due time.
            escalation.HasIndex(e => e.DueAt);
            escalation.Ignore(e => e.Events);
        });

        modelBuilder.Entity<Measures.IncidentRecord>(record =>
        {
            record.ToTable("incident_records");
            record.HasKey(r => r.IncidentId);
            record.Property(r => r.IncidentId).ValueGeneratedNever();
            record.Property(r => r.Channel).HasMaxLength(20);
            record.Property(r => r.ReportingParty).HasMaxLength(8);
            record.Property(r => r.AcknowledgingParty).HasMaxLength(8);
            record.Property(r => r.Severity).HasConversion<string>().HasMaxLength(8);
            record.HasIndex(r => new { r.Channel, r.ReportedAt });
        });

        modelBuilder.HasPeopleDirectory().HasPartyDirectory();
    }
}
