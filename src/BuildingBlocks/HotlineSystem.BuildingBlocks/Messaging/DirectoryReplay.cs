using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Contracts.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// Directory replay (docs/adr/0009): a service that keeps a read model of parties, channels and
/// people asks for all of it at every start, through its outbox, so a service started later or
/// restored from a backup converges to the state of one that was there from the start. The request
/// waits in the outbox while the broker is away, like any event.
/// </summary>
public sealed class DirectoryReplayRequest<TContext>(TimeProvider time, string service) : IDataSeeder<TContext>
    where TContext : DbContext, IServiceDbContext
{
    public async Task SeedAsync(TContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        db.Set<OutboxMessage>().Add(OutboxMessage.For(new DirectoryReplayRequested(Guid.CreateVersion7(now), service, now), now));
        await db.SaveChangesAsync(cancellationToken);
    }
}

public static class DirectoryReplayRegistration
{
    /// <summary>This service keeps a directory: ask the registry for all of it at every start.</summary>
    public static IServiceCollection AddDirectoryReplay<TContext>(this IServiceCollection services, string service)
        where TContext : DbContext, IServiceDbContext =>
        services.AddScoped<IDataSeeder<TContext>>(sp => new DirectoryReplayRequest<TContext>(sp.GetRequiredService<TimeProvider>(), service));
}
