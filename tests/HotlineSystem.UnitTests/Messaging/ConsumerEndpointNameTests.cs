using HotlineSystem.BuildingBlocks.Messaging;
using MassTransit;

namespace HotlineSystem.UnitTests.Messaging;

/// <summary>
/// Every service's consumers share one broker; a queue is named from the service and the consumer's
/// class name. Two consumers on one queue would compete for the events, each silently missing part of them.
/// </summary>
public sealed class ConsumerEndpointNameTests
{
    private static readonly Dictionary<System.Reflection.Assembly, string> Services = new()
    {
        [typeof(HotlineSystem.Incidents.IncidentsModule).Assembly] = HotlineSystem.Incidents.IncidentsModule.ServiceName,
        [typeof(HotlineSystem.Identity.IdentityModule).Assembly] = HotlineSystem.Identity.IdentityModule.ServiceName,
        [typeof(HotlineSystem.Escalation.EscalationModule).Assembly] = HotlineSystem.Escalation.EscalationModule.ServiceName,
        [typeof(HotlineSystem.Committee.CommitteeModule).Assembly] = HotlineSystem.Committee.CommitteeModule.ServiceName,
        [typeof(HotlineSystem.Notifications.NotificationsModule).Assembly] = HotlineSystem.Notifications.NotificationsModule.ServiceName,
    };

    private static string QueueOf(IEndpointNameFormatter formatter, Type consumer) =>
        (string)typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!.MakeGenericMethod(consumer).Invoke(formatter, null)!;

    [Fact]
    public void A_queue_is_named_after_its_service_in_code_with_the_deployment_prefix_first()
    {
        var consumer = typeof(HotlineSystem.Escalation.Escalations.IncidentReportedConsumer);
        Assert.Equal("escalation-incident-reported", QueueOf(new ServiceEndpointNameFormatter(null, Services), consumer));
        Assert.Equal("t1-escalation-incident-reported", QueueOf(new ServiceEndpointNameFormatter("t1", Services), consumer));
    }

    [Fact]
    public void No_two_consumers_of_the_services_share_a_queue_name()
    {
        var formatter = new ServiceEndpointNameFormatter(null, Services);
        var consumers = Services.Keys
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>)))
            .ToList();
        Assert.True(consumers.Count >= 15, $"expected the services' consumers, found {consumers.Count}");

        var clashes = consumers
            .GroupBy(type => QueueOf(formatter, type))
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(t => t.FullName))}")
            .ToList();

        Assert.Empty(clashes);
    }
}
