using System.Reflection;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    /// <summary>Prefix of every queue name, so that separate deployments (or test runs) can share one broker.</summary>
    public string? EndpointPrefix { get; set; }
}

/// <summary>The consumer assemblies that services registered; the bus picks them all up.</summary>
public sealed class ConsumerAssemblies
{
    public List<Assembly> Assemblies { get; } = [];
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

    /// <summary>Called by a service's Add&lt;Service&gt;() so that the one bus of the host runs its consumers.</summary>
    public static IServiceCollection AddConsumersFrom(this IServiceCollection services, Assembly assembly)
    {
        var registry = services.Select(d => d.ImplementationInstance).OfType<ConsumerAssemblies>().FirstOrDefault();
        if (registry is null)
        {
            registry = new ConsumerAssemblies();
            services.AddSingleton(registry);
        }

        if (!registry.Assemblies.Contains(assembly))
        {
            registry.Assemblies.Add(assembly);
        }

        return services;
    }

    /// <summary>
    /// The one bus of a host: RabbitMQ or in-memory by configuration, kebab-case endpoint names,
    /// retries with back-off, and every consumer the host's services registered.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var options = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        var assemblies = builder.Services.Select(d => d.ImplementationInstance).OfType<ConsumerAssemblies>().FirstOrDefault()?.Assemblies ?? [];

        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage to its vendor over the internet by default: a government
            // hotline calls nobody it was not built to call.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix, includeNamespace: false));
            foreach (var assembly in assemblies)
            {
                bus.AddConsumers(type => !IsInboxBatchConsumer(type), assembly);
                foreach (var batchConsumer in assembly.GetTypes().Where(IsInboxBatchConsumer))
                {
                    bus.AddConsumer(batchConsumer, typeof(InboxBatchConsumerDefinition<>).MakeGenericType(batchConsumer));
                }
            }

            configure?.Invoke(bus);

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
                        ConfigureCommon(context, cfg);
                    });
                    break;
                case BusTransport.InMemory:
                    bus.UsingInMemory((context, cfg) => ConfigureCommon(context, cfg));
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

    private static void ConfigureCommon<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> cfg)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        cfg.ConfigureJsonSerializerOptions(json =>
        {
            json.Converters.Add(new JsonStringEnumConverter());
            return json;
        });

        // Transient faults retry with back-off; what still fails goes to the endpoint's _error queue
        // with the exception in its headers, and the queue moves on.
        cfg.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
        cfg.ConfigureEndpoints(context);
    }
}
