using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HotlineSystem.Notifications.Data;

/// <summary>For `dotnet ef migrations add` only: migrations are written for PostgreSQL (see docs/adr/0003).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NotificationsDbContext>
{
    public NotificationsDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<NotificationsDbContext>()
        .UseNpgsql("Host=localhost;Database=design_time_only", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", NotificationsDbContext.SchemaName))
        .UseSnakeCaseNamingConvention()
        .Options);
}
