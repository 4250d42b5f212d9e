using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.Contracts.Registry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks.Messaging;

/// <summary>
/// Directory replay (docs/adr/0009): a service that keeps a copy of the parties, channels and people
/// asks the registry for all of it at every start, so a service started later or restored from a
/// backup converges to the state of one that was there from the start. The request is written to
/// the outbox once the bus is ready — every queue of this service declared and bound — because on a
/// fresh deployment an answer published before the queues exist would reach nobody. An outage of
/// the database delays the request, never drops it.
/// </summary>
public sealed class DirectoryReplayRequest<TContext>(
    DirectoryReplayService<TContext> service, IServiceScopeFactory scopes, TimeProvider time, IHostApplicationLifetime lifetime,
    ILogger<DirectoryReplayRequest<TContext>> logger) : IBusObserver
    where TContext : DbContext, IServiceDbContext
{
    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        _ = RequestWhenReadyAsync(bus, busReady, lifetime.ApplicationStopping);
        return Task.CompletedTask;
    }

    private async Task RequestWhenReadyAsync(IBus bus, Task<BusReady> busReady, CancellationToken stopping)
    {
        try
        {
            await busReady.WaitAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception exception)
        {
            // The broker was down at start: the bus keeps reconnecting, and the request waits for it.
            logger.LogWarning(exception, "The bus did not start at once; the directory replay is asked for when it is healthy");
            if (!await HealthyAsync(bus, stopping))
            {
                return;
            }
        }

        var outage = new WorkerOutage($"Directory replay request of {service.Name}", logger, time, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                var now = time.GetUtcNow();
                db.Set<OutboxMessage>().Add(OutboxMessage.For(new DirectoryReplayRequested(Guid.CreateVersion7(now), service.Name, now), now));
                await db.SaveChangesAsync(stopping);
                outage.Succeeded();
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (TransientFaults.IsTransient(exception))
            {
                await Task.Delay(outage.Failed(exception, "the database cannot be reached"), time, CancellationToken.None);
            }
        }
    }

    private async Task<bool> HealthyAsync(IBus bus, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (bus is not IBusControl control || control.CheckHealth().Status == BusHealthStatus.Healthy)
            {
                return true;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    public void PostCreate(IBus bus)
    {
    }

    public void CreateFaulted(Exception exception)
    {
    }

    public Task PreStart(IBus bus) => Task.CompletedTask;

    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PreStop(IBus bus) => Task.CompletedTask;

    public Task PostStop(IBus bus) => Task.CompletedTask;

    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
}

/// <summary>Which service asks (per DbContext, so that services composed in one process each ask for themselves).</summary>
public sealed record DirectoryReplayService<TContext>(string Name);

public static class DirectoryReplayRegistration
{
    /// <summary>This service keeps a copy of the directory: ask the registry for all of it at every start.</summary>
    public static IServiceCollection AddDirectoryReplay<TContext>(this IServiceCollection services, string service)
        where TContext : DbContext, IServiceDbContext
    {
        services.AddSingleton(new DirectoryReplayService<TContext>(service));
        services.AddBusObserver<DirectoryReplayRequest<TContext>>();
        return services;
    }
}
