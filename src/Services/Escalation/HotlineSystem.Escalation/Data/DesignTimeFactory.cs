using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HotlineSystem.Escalation.Data;

/// <summary>For `dotnet ef migrations add` only: migrations are written for PostgreSQL (see docs/adr/0003).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EscalationDbContext>
{
    public EscalationDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<EscalationDbContext>()
        .UseNpgsql("Host=localhost;Database=design_time_only", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", EscalationDbContext.SchemaName))
        .UseSnakeCaseNamingConvention()
        .Options);
}
