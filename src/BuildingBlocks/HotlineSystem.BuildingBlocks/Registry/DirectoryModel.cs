using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.BuildingBlocks.Registry;

/// <summary>The tables of a service's copy of the directory, mapped once for every service that keeps one.</summary>
public static class DirectoryModel
{
    public static ModelBuilder HasPeopleDirectory(this ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DirectoryPerson>(person =>
        {
            person.ToTable("people");
            person.HasKey(p => p.UserId);
            person.Property(p => p.UserId).HasMaxLength(100);
            person.Property(p => p.UserName).HasMaxLength(256);
            person.Property(p => p.DisplayName).HasMaxLength(200);
            person.Property(p => p.Party).HasMaxLength(8);
            person.Property(p => p.OfficialTier).HasMaxLength(40);
            person.PrimitiveCollection(p => p.Roles);
            // Announcements are handled concurrently: a later version committed meanwhile must not be overwritten by an earlier one.
            person.Property(p => p.Version).IsConcurrencyToken();
            person.HasIndex(p => p.Party);
        });

    public static ModelBuilder HasPartyDirectory(this ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DirectoryParty>(party =>
        {
            party.ToTable("parties");
            party.HasKey(p => p.Code);
            party.Property(p => p.Code).HasMaxLength(2);
            party.Property(p => p.EnglishName).HasMaxLength(100);
            party.Property(p => p.NativeName).HasMaxLength(100);
            party.Property(p => p.TimeZone).HasMaxLength(64);
            party.Property(p => p.WorkingLanguage).HasMaxLength(16);
            party.Property(p => p.Version).IsConcurrencyToken();
        });

    public static ModelBuilder HasChannelDirectory(this ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DirectoryChannel>(channel =>
        {
            channel.ToTable("channels");
            channel.HasKey(c => c.Code);
            channel.Property(c => c.Code).HasMaxLength(20);
            channel.Property(c => c.FirstParty).HasMaxLength(2);
            channel.Property(c => c.SecondParty).HasMaxLength(2);
            channel.Property(c => c.Name).HasMaxLength(200);
            channel.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
            channel.Property(c => c.Version).IsConcurrencyToken();
            channel.Ignore(c => c.IsOpen);
        });
}
