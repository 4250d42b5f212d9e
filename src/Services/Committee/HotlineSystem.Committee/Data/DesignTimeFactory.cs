using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HotlineSystem.Committee.Data;

/// <summary>For `dotnet ef migrations add` only: migrations are written for PostgreSQL (see docs/adr/0003).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CommitteeDbContext>
{
    public CommitteeDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<CommitteeDbContext>()
        .UseNpgsql("Host=localhost;Database=design_time_only", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", CommitteeDbContext.SchemaName))
        .UseSnakeCaseNamingConvention()
        .Options);
}
