using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Incidents;

// The committee's copy of the incidents its agenda items may link: only Shared incidents, the only
// ones both delegations may read.

internal static class LinkedIncidents
{
    public static async Task<LinkedIncident?> LinkedIncidentAsync(this CommitteeDbContext db, IChannelEvent message, Guid incidentId, CancellationToken cancellationToken)
    {
        if (message.Visibility != Visibility.Shared)
        {
            return null;
        }

        var incident = await db.LinkedIncidents.SingleOrDefaultAsync(i => i.IncidentId == incidentId, cancellationToken);
        if (incident is null)
        {
            incident = LinkedIncident.For(incidentId, message.Channel);
            db.LinkedIncidents.Add(incident);
        }

        return incident;
    }
}

public sealed class LinkedIncidentReportedConsumer(CommitteeDbContext db, TimeProvider time) : BuildingBlocks.Messaging.InboxConsumer<IncidentReported, CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentReported> context) =>
        (await Db.LinkedIncidentAsync(context.Message, context.Message.IncidentId, context.CancellationToken))?.Apply(context.Message);
}

public sealed class LinkedIncidentAcknowledgedConsumer(CommitteeDbContext db, TimeProvider time) : BuildingBlocks.Messaging.InboxConsumer<IncidentAcknowledged, CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentAcknowledged> context) =>
        (await Db.LinkedIncidentAsync(context.Message, context.Message.IncidentId, context.CancellationToken))?.Apply(context.Message);
}

public sealed class LinkedIncidentStatusChangedConsumer(CommitteeDbContext db, TimeProvider time) : BuildingBlocks.Messaging.InboxConsumer<IncidentStatusChanged, CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentStatusChanged> context) =>
        (await Db.LinkedIncidentAsync(context.Message, context.Message.IncidentId, context.CancellationToken))?.Apply(context.Message);
}

public sealed class LinkedIncidentSeverityChangedConsumer(CommitteeDbContext db, TimeProvider time) : BuildingBlocks.Messaging.InboxConsumer<IncidentSeverityChanged, CommitteeDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<IncidentSeverityChanged> context) =>
        (await Db.LinkedIncidentAsync(context.Message, context.Message.IncidentId, context.CancellationToken))?.Apply(context.Message);
}
