using MassTransit;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>
/// Every service's consumers share one broker; a queue is named from the consumer's class name. Two
/// services with a consumer of the same name would share a queue and compete for the events, each
/// silently missing part of them.
/// </summary>
public sealed class ConsumerEndpointNameTests
{
    private static readonly System.Reflection.Assembly[] Services =
    [
        typeof(HotlineSystem.Incidents.IncidentsModule).Assembly,
        typeof(HotlineSystem.Identity.IdentityModule).Assembly,
        typeof(HotlineSystem.Escalation.EscalationModule).Assembly,
        typeof(HotlineSystem.Notifications.NotificationsModule).Assembly,
    ];

    [Fact]
    public void No_two_consumers_of_the_services_share_a_queue_name()
    {
        var formatter = new KebabCaseEndpointNameFormatter(null, includeNamespace: false);
        var consumers = Services
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)))
            .ToList();
        Assert.True(consumers.Count >= 15, $"expected the services' consumers, found {consumers.Count}");

        var clashes = consumers
            .GroupBy(type => (string)typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!.MakeGenericMethod(type).Invoke(formatter, null)!)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(t => t.FullName))}")
            .ToList();

        Assert.Empty(clashes);
    }
}
