using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Registry;
using HotlineSystem.Committee.ActionItems;
using HotlineSystem.Committee.Agenda;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Decisions;
using HotlineSystem.Committee.Incidents;
using HotlineSystem.Committee.Keys;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Committee.Minutes.Printing;
using MeetingMinutes = HotlineSystem.Committee.Minutes.Minutes;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Data;

/// <summary>
/// The Committee service's database: committees with their delegations, meetings and agenda items;
/// and its copies of the registry (people, parties, channels) and of the incidents items may link.
/// </summary>
public sealed class CommitteeDbContext(DbContextOptions<CommitteeDbContext> options) : ServiceDbContext(options, SchemaName)
{
    public const string SchemaName = "committee";

    public DbSet<JointCommittee> Committees => Set<JointCommittee>();

    public DbSet<Meeting> Meetings => Set<Meeting>();

    public DbSet<AgendaItem> AgendaItems => Set<AgendaItem>();

    public DbSet<MeetingMinutes> Minutes => Set<MeetingMinutes>();

    public DbSet<ActionItem> ActionItems => Set<ActionItem>();

    public DbSet<Decision> Decisions => Set<Decision>();

    public DbSet<LinkedIncident> LinkedIncidents => Set<LinkedIncident>();

    public DbSet<PartySigningKey> PartySigningKeys => Set<PartySigningKey>();

    public DbSet<KeptPdf> KeptPdfs => Set<KeptPdf>();

    public DbSet<DirectoryPerson> People => Set<DirectoryPerson>();

    public DbSet<DirectoryParty> Parties => Set<DirectoryParty>();

    public DbSet<DirectoryChannel> Channels => Set<DirectoryChannel>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasPeopleDirectory().HasPartyDirectory().HasChannelDirectory();

        modelBuilder.Entity<JointCommittee>(committee =>
        {
            committee.ToTable("committees");
            committee.HasKey(c => c.Id);
            committee.Property(c => c.Channel).HasMaxLength(20);
            committee.Property(c => c.Delegates).AsJson();
            committee.Property(c => c.Version).IsConcurrencyToken();
            // One committee per channel.
            committee.HasIndex(c => c.Channel).IsUnique();
            committee.Ignore(c => c.ChannelCode);
            committee.Ignore(c => c.Events);
        });

        modelBuilder.Entity<Meeting>(meeting =>
        {
            meeting.ToTable("meetings");
            meeting.HasKey(m => m.Id);
            meeting.Property(m => m.Channel).HasMaxLength(20);
            meeting.Property(m => m.Place).HasMaxLength(200);
            meeting.Property(m => m.Mode).HasConversion<string>().HasMaxLength(16);
            meeting.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            meeting.Property(m => m.ScheduledBy).HasMaxLength(100);
            meeting.Property(m => m.Attendance).AsJson();
            meeting.Property(m => m.Version).IsConcurrencyToken();
            // Numbered per committee: two meetings scheduled at once cannot take the same number.
            meeting.HasIndex(m => new { m.CommitteeId, m.Number }).IsUnique();
            meeting.HasIndex(m => m.RequestId).IsUnique();
            meeting.Ignore(m => m.Events);
        });

        modelBuilder.Entity<AgendaItem>(item =>
        {
            item.ToTable("agenda_items");
            item.HasKey(i => i.Id);
            item.Property(i => i.Channel).HasMaxLength(20);
            item.Property(i => i.ProposingParty).HasMaxLength(8);
            item.Property(i => i.ProposedBy).HasMaxLength(100);
            item.Property(i => i.Title).HasMaxLength(200);
            item.Property(i => i.Description).HasMaxLength(8000);
            item.Property(i => i.Language).HasMaxLength(16);
            item.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            item.Property(i => i.Incidents).AsJson();
            item.Property(i => i.Agreements).AsJson();
            item.Property(i => i.Positions).AsJson();
            item.Property(i => i.Version).IsConcurrencyToken();
            item.HasIndex(i => i.MeetingId);
            item.HasIndex(i => i.RequestId).IsUnique();
            item.HasIndex(i => i.CarriedOverFrom);
            item.Ignore(i => i.ChannelCode);
            item.Ignore(i => i.OnAgenda);
            item.Ignore(i => i.Events);
        });

        modelBuilder.Entity<KeptPdf>(pdf =>
        {
            pdf.ToTable("kept_pdfs");
            pdf.HasKey(p => p.MinutesId);
        });

        modelBuilder.Entity<MeetingMinutes>(minutes =>
        {
            minutes.ToTable("minutes");
            minutes.HasKey(m => m.Id);
            minutes.Property(m => m.Channel).HasMaxLength(20);
            minutes.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            minutes.Property(m => m.Texts).AsJson();
            minutes.Property(m => m.Comments).AsJson();
            minutes.Property(m => m.AgreedBy).AsJson();
            minutes.Property(m => m.Signatures).AsJson();
            minutes.Property(m => m.ReleaseAgreedBy).AsJson();
            minutes.Property(m => m.Version).IsConcurrencyToken();
            // One original per meeting, one correction per record: a retried draft or correction finds the first.
            minutes.HasIndex(m => m.MeetingId).IsUnique().HasFilter("correction_of IS NULL").HasDatabaseName("ix_minutes_original");
            minutes.HasIndex(m => m.CorrectionOf).IsUnique();
            minutes.Ignore(m => m.Released);
            minutes.Ignore(m => m.Events);
        });

        modelBuilder.Entity<PartySigningKey>(key =>
        {
            key.ToTable("party_signing_keys");
            key.HasKey(k => k.KeyId);
            key.Property(k => k.KeyId).HasMaxLength(64);
            key.Property(k => k.Party).HasMaxLength(2);
            key.Property(k => k.PublicKeyPem).HasMaxLength(1000);
            key.Property(k => k.CreatedBy).HasMaxLength(100);
            key.Ignore(k => k.IsCurrent);
            // At most one current key per party: two replicas making a first key agree on one.
            key.HasIndex(k => k.Party).IsUnique().HasFilter("valid_until IS NULL").HasDatabaseName("ix_party_signing_keys_current");
            key.HasIndex(k => new { k.Party, k.ValidFrom });
        });

        modelBuilder.Entity<ActionItem>(item =>
        {
            item.ToTable("action_items");
            item.HasKey(i => i.Id);
            item.Property(i => i.Channel).HasMaxLength(20);
            item.Property(i => i.Title).HasMaxLength(CommitteeTextLimits.Title);
            item.Property(i => i.OwnerParty).HasMaxLength(8);
            item.Property(i => i.OwnerUserId).HasMaxLength(100);
            item.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            item.Property(i => i.Notes).AsJson();
            item.Property(i => i.ProposedBy).HasMaxLength(8);
            item.Property(i => i.Version).IsConcurrencyToken();
            item.HasIndex(i => i.RequestId).IsUnique();
            item.HasIndex(i => i.MeetingId);
            // The durable timer's claim: the next reminder or due time.
            item.HasIndex(i => i.NextTimerAt);
            item.Ignore(i => i.IsClosed);
            item.Ignore(i => i.Events);
        });

        modelBuilder.Entity<Decision>(decision =>
        {
            decision.ToTable("decisions");
            decision.HasKey(d => d.Id);
            decision.Property(d => d.Channel).HasMaxLength(20);
            decision.Property(d => d.Title).HasMaxLength(CommitteeTextLimits.Title);
            decision.Property(d => d.Text).HasMaxLength(CommitteeTextLimits.Position);
            decision.Property(d => d.RecordedBy).HasMaxLength(100);
            decision.Property(d => d.AgendaItems).AsJson();
            decision.Property(d => d.Approvals).AsJson();
            decision.Property(d => d.Version).IsConcurrencyToken();
            // Numbered per committee and year: two decisions recorded at once cannot take the same number.
            decision.HasIndex(d => new { d.CommitteeId, d.Year, d.Sequence }).IsUnique();
            decision.HasIndex(d => d.RequestId).IsUnique();
            decision.HasIndex(d => d.MeetingId);
            decision.Ignore(d => d.Number);
            decision.Ignore(d => d.Events);
        });

        modelBuilder.Entity<LinkedIncident>(incident =>
        {
            incident.ToTable("linked_incidents");
            incident.HasKey(i => i.IncidentId);
            incident.Property(i => i.IncidentId).ValueGeneratedNever();
            incident.Property(i => i.Channel).HasMaxLength(20);
            incident.Property(i => i.Title).HasMaxLength(200);
            incident.Property(i => i.ReportingParty).HasMaxLength(8);
            incident.Property(i => i.Severity).HasConversion<string>().HasMaxLength(8);
            incident.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
            // Events of one incident are handled concurrently: a later fact must not be overwritten by an earlier one.
            incident.Property(i => i.StatusVersion).IsConcurrencyToken();
            incident.Property(i => i.SeverityVersion).IsConcurrencyToken();
            incident.HasIndex(i => i.Channel);
            incident.Ignore(i => i.Reported);
        });
    }
}
