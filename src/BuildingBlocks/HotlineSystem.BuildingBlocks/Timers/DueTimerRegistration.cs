using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HotlineSystem.BuildingBlocks.Timers;

public static class DueTimerRegistration
{
    /// <summary>
    /// Runs a durable timer over the rows of <typeparamref name="TRow"/>: when a row's
    /// <paramref name="dueAt"/> has come, <typeparamref name="THandler"/> handles it. Settings
    /// (<see cref="DueTimerOptions"/>) come from <paramref name="section"/>, e.g. "Escalation:Timer".
    /// </summary>
    public static IServiceCollection AddDueTimer<TContext, TRow, THandler>(
        this IServiceCollection services, string name, IConfigurationSection section, Expression<Func<TRow, DateTimeOffset?>> dueAt)
        where TContext : DbContext
        where TRow : class
        where THandler : class, IDueHandler<TRow>
    {
        services.Configure<DueTimerOptions>(name, section);
        services.AddScoped<IDueHandler<TRow>, THandler>();
        services.AddSingleton(sp => new DueTimer<TContext, TRow>(
            name, dueAt, sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptionsMonitor<DueTimerOptions>>().Get(name),
            sp.GetRequiredService<ILogger<DueTimer<TContext, TRow>>>()));
        services.AddHostedService(sp => sp.GetRequiredService<DueTimer<TContext, TRow>>());
        return services;
    }
}
