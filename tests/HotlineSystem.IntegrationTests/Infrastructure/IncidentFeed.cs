using System.Collections.Concurrent;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using MassTransit;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// Publishes the Incidents service's events on the real broker as that service would: one incident
/// on KR-CN reported by KR, its Version counting up per incident, OccurredAt the given clock's now
/// and a MessageId of its own per publish. Every Escalation host on the vhost receives them.
/// </summary>
public sealed class IncidentFeed(IBus bus, TimeProvider clock)
{
    public const string Channel = "KR-CN";

    private readonly ConcurrentDictionary<Guid, int> _versions = new();

    public async Task<Guid> ReportAsync(Severity severity, Guid? incidentId = null)
    {
        var id = incidentId ?? Guid.NewGuid();
        _versions.TryAdd(id, 1);
        await PublishAsync(new IncidentReported(id, 1, Channel, Visibility.Shared, "KR", "kr-reporter", clock.GetUtcNow(), "KR",
            "customs-hold", severity, "Customs hold on NdFeB magnets at Tianjin", ["Nd"], ["8505.11"], ["permanent-magnets"]));
        return id;
    }

    public Task AcknowledgeAsync(Guid incidentId) =>
        PublishAsync(new IncidentAcknowledged(incidentId, NextVersion(incidentId), Channel, Visibility.Shared, "CN", "cn-officer", clock.GetUtcNow(), "KR"));

    public Task ChangeSeverityAsync(Guid incidentId, Severity from, Severity to) =>
        PublishAsync(new IncidentSeverityChanged(incidentId, NextVersion(incidentId), Channel, Visibility.Shared, "KR", "kr-officer", clock.GetUtcNow(), from, to, "Re-assessed"));

    public Task ChangeStatusAsync(Guid incidentId, IncidentStatus from, IncidentStatus to) =>
        PublishAsync(new IncidentStatusChanged(incidentId, NextVersion(incidentId), Channel, Visibility.Shared, "KR", "kr-officer", clock.GetUtcNow(), from, to, null));

    /// <summary>Versions after the report (version 1), even when an event is published ahead of the report.</summary>
    private int NextVersion(Guid incidentId) => _versions.AddOrUpdate(incidentId, 2, (_, version) => version + 1);

    private Task PublishAsync<T>(T message) where T : class =>
        bus.Publish(message, context => context.MessageId = NewId.NextGuid());
}
