using System.Reflection;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.BuildingBlocks.Messaging;

public enum BusTransport
{
    /// <summary>Embedded mode: MassTransit's in-memory transport, one process.</summary>
    InMemory,

    /// <summary>Distributed mode: RabbitMQ with quorum queues and publisher confirms.</summary>
    RabbitMQ,
}

/// <summary>The "Messaging" configuration section.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>
    /// Prefix of every queue name before the service's own, so that separate deployments (or test runs)
    /// can share one broker. Usually empty: each service names its queues after itself in code.
    /// </summary>
    public string? EndpointPrefix { get; set; }

    /// <summary>The longest wait between two tries of a message that waits out an outage (<see cref="OutageRetryPolicy"/>).</summary>
    public TimeSpan OutageRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The consumer assemblies that services registered, each with its service's name; the bus picks them all up.</summary>
public sealed class ConsumerAssemblies
{
    public Dictionary<Assembly, string> Services { get; } = [];
}

/// <summary>
/// Queue names from MassTransit's kebab-case formatter, each consumer's prefixed with its service's
/// name (escalation-incident-reported, notifications-incident-reported-feed): replicas of one service
/// share a queue, two services never do, in the all-in-one host as in the distributed mode.
/// </summary>
public sealed class ServiceEndpointNameFormatter(string? deploymentPrefix, IReadOnlyDictionary<Assembly, string> services)
    : KebabCaseEndpointNameFormatter(includeNamespace: false)
{
    protected override string GetConsumerName(Type type)
    {
        var service = services.TryGetValue(type.Assembly, out var name) ? name : null;
        return string.Join("-", new[] { deploymentPrefix, service, base.GetConsumerName(type) }.Where(part => !string.IsNullOrEmpty(part)));
    }
}

/// <summary>
/// A queue of one process only (e.g. the pushes for the SignalR connections a Notifications replica
/// holds): temporary, so it disappears with its process, and a classic queue, since replicating what
/// only that process can act on buys nothing. Every other queue is a durable quorum queue.
/// </summary>
public static class ReplicaEndpoint
{
    private const string Marker = "replica-";

    /// <summary>The endpoint name for a purpose, unique to this process: "replica-notification-push-3f9c...".</summary>
    public static string Name(string purpose) => $"{Marker}{purpose}-{NewId.Next().ToString("N")[^12..]}";

    public static bool Is(string endpointName) => endpointName.Contains(Marker, StringComparison.Ordinal);
}

public static class BusSetup
{
    /// <summary>The connection string name of the broker in the distributed mode (an amqp:// URI).</summary>
    public const string RabbitMqConnectionName = "RabbitMQ";

    /// <summary>
    /// Called by a service's Add&lt;Service&gt;() so that the one bus of the host runs its consumers, on
    /// queues named after the service (<see cref="ServiceEndpointNameFormatter"/>).
    /// </summary>
    public static IServiceCollection AddConsumersFrom(this IServiceCollection services, Assembly assembly, string serviceName)
    {
        var registry = services.Select(d => d.ImplementationInstance).OfType<ConsumerAssemblies>().FirstOrDefault();
        if (registry is null)
        {
            registry = new ConsumerAssemblies();
            services.AddSingleton(registry);
        }

        registry.Services.TryAdd(assembly, serviceName);

        return services;
    }

    /// <summary>
    /// The one bus of a host: RabbitMQ or in-memory by configuration, kebab-case endpoint names,
    /// retries with back-off, and every consumer the host's services registered.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var options = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        var services = builder.Services.Select(d => d.ImplementationInstance).OfType<ConsumerAssemblies>().FirstOrDefault()?.Services
            ?? new Dictionary<Assembly, string>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConsumerOutages>();
        builder.Services.AddSingleton<MessagingMetrics>();
        builder.Services.AddHealthChecks().AddCheck<ConsumerOutagesHealthCheck>(ConsumerOutagesHealthCheck.Name, tags: ["ready"]);

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage to its vendor over the internet by default: a government
            // hotline calls nobody it was not built to call.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new ServiceEndpointNameFormatter(options.EndpointPrefix, services));
            foreach (var assembly in services.Keys)
            {
                bus.AddConsumers(type => !IsInboxBatchConsumer(type), assembly);
                foreach (var batchConsumer in assembly.GetTypes().Where(IsInboxBatchConsumer))
                {
                    bus.AddConsumer(batchConsumer, typeof(InboxBatchConsumerDefinition<>).MakeGenericType(batchConsumer));
                }
            }

            configure?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((context, _, endpoint) => WatchErrorQueue(context, endpoint));

            switch (options.Transport)
            {
                case BusTransport.RabbitMQ:
                    var uri = builder.Configuration.GetConnectionString(RabbitMqConnectionName)
                        ?? throw new InvalidOperationException($"Messaging:Transport is RabbitMQ but ConnectionStrings:{RabbitMqConnectionName} is not set.");
                    bus.AddConfigureEndpointsCallback((_, name, endpoint) =>
                    {
                        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && !ReplicaEndpoint.Is(name))
                        {
                            rabbit.SetQuorumQueue();
                        }
                    });
                    bus.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.Host(new Uri(uri), host => host.PublisherConfirmation = true);
                        ConfigureCommon(context, cfg, options);
                    });
                    break;
                case BusTransport.InMemory:
                    bus.UsingInMemory((context, cfg) => ConfigureCommon(context, cfg, options));
                    break;
            }
        });

        return builder;
    }

    private static bool IsInboxBatchConsumer(Type type)
    {
        if (type.IsAbstract)
        {
            return false;
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.IsGenericType && baseType.GetGenericTypeDefinition() == typeof(InboxBatchConsumer<,>))
            {
                return true;
            }
        }

        return false;
    }

    private static void ConfigureCommon<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> cfg, MessagingOptions options)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        cfg.ConfigureJsonSerializerOptions(json =>
        {
            json.Converters.Add(new JsonStringEnumConverter());
            return json;
        });

        // An outage is waited out, however long; a race is tried again; anything else goes to the
        // endpoint's _error queue on its first failure, with the exception in its headers (docs/adr/0008).
        var policy = new OutageRetryPolicy(context.GetRequiredService<ConsumerOutages>(), context.GetRequiredService<TimeProvider>(),
            options.OutageRetryMaxDelay, context.GetRequiredService<ILoggerFactory>().CreateLogger<OutageRetryPolicy>());
        cfg.UseMessageRetry(retry => retry.SetRetryPolicy(_ => policy));
        cfg.ConfigureEndpoints(context);
    }

    /// <summary>The error pipe of every endpoint: logged and counted (<see cref="ErrorQueueWatch"/>), then MassTransit's own fault and move.</summary>
    private static void WatchErrorQueue(IRegistrationContext context, IReceiveEndpointConfigurator endpoint)
    {
        var watch = new ErrorQueueWatch(context.GetRequiredService<ILoggerFactory>().CreateLogger<ErrorQueueWatch>(),
            context.GetRequiredService<MessagingMetrics>());
        endpoint.ConfigureError(error =>
        {
            error.UseFilter(watch);
            error.UseFilter(new MassTransit.Middleware.GenerateFaultFilter());
            error.UseFilter(new MassTransit.Middleware.ErrorTransportFilter());
        });
    }
}
