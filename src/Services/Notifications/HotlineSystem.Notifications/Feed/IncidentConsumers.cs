using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

// Incident changes reach the liaison officers of the channel's parties (Internal ones: the acting
// party's only), except whoever acted.

public sealed class IncidentReportedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<IncidentReported>(db, time, recipients, feed, channels)
{
    protected override async Task HandleAsync(IReadOnlyList<ConsumeContext<IncidentReported>> messages, CancellationToken cancellationToken)
    {
        var incidentIds = messages.Select(m => m.Message.IncidentId).ToList();
        await Db.IncidentTitles.Where(t => incidentIds.Contains(t.IncidentId)).LoadAsync(cancellationToken); // one query, not one per message
        await base.HandleAsync(messages, cancellationToken);
    }

    protected override async Task WriteAsync(ConsumeContext<IncidentReported> context)
    {
        var reported = context.Message;
        if (Db.IncidentTitles.Local.All(t => t.IncidentId != reported.IncidentId))
        {
            Db.IncidentTitles.Add(new IncidentTitle(reported.IncidentId, reported.Title));
        }

        var notice = new Notice(FeedEntryKind.IncidentReported, reported.Channel, reported.IncidentId, reported.ActingParty, reported.ActingUser,
            reported.Visibility, reported.Severity == Severity.Sev1, reported.Title,
            $"{reported.ReportingParty} reported a {reported.Severity} incident ({reported.Type}): {string.Join(", ", reported.Minerals)}",
            reported.OccurredAt);
        Feed.Add(await Recipients.LiaisonOfficersAsync(reported, reported.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class IncidentAcknowledgedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<IncidentAcknowledged>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<IncidentAcknowledged> context)
    {
        var acknowledged = context.Message;
        var notice = new Notice(FeedEntryKind.IncidentAcknowledged, acknowledged.Channel, acknowledged.IncidentId, acknowledged.ActingParty,
            acknowledged.ActingUser, acknowledged.Visibility, false, await IncidentTitleAsync(acknowledged.IncidentId, context.CancellationToken),
            $"{acknowledged.ActingParty} acknowledged the incident", acknowledged.OccurredAt);
        Feed.Add(await Recipients.LiaisonOfficersAsync(acknowledged, acknowledged.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class IncidentSeverityChangedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<IncidentSeverityChanged>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<IncidentSeverityChanged> context)
    {
        var changed = context.Message;
        var reason = changed.Reason is { Length: > 0 } ? $": {changed.Reason}" : "";
        var notice = new Notice(FeedEntryKind.IncidentSeverityChanged, changed.Channel, changed.IncidentId, changed.ActingParty, changed.ActingUser,
            changed.Visibility, changed.NewSeverity == Severity.Sev1, await IncidentTitleAsync(changed.IncidentId, context.CancellationToken),
            $"Severity {changed.OldSeverity} → {changed.NewSeverity}{reason}", changed.OccurredAt);
        Feed.Add(await Recipients.LiaisonOfficersAsync(changed, changed.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class IncidentStatusChangedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<IncidentStatusChanged>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<IncidentStatusChanged> context)
    {
        var changed = context.Message;
        var reason = changed.Reason is { Length: > 0 } ? $": {changed.Reason}" : "";
        var notice = new Notice(FeedEntryKind.IncidentStatusChanged, changed.Channel, changed.IncidentId, changed.ActingParty, changed.ActingUser,
            changed.Visibility, false, await IncidentTitleAsync(changed.IncidentId, context.CancellationToken),
            $"{changed.OldStatus} → {changed.NewStatus}{reason}", changed.OccurredAt);
        Feed.Add(await Recipients.LiaisonOfficersAsync(changed, changed.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class IncidentCommentAddedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<IncidentCommentAdded>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<IncidentCommentAdded> context)
    {
        var comment = context.Message;
        var notice = new Notice(FeedEntryKind.IncidentCommentAdded, comment.Channel, comment.IncidentId, comment.ActingParty, comment.ActingUser,
            comment.Visibility, false, await IncidentTitleAsync(comment.IncidentId, context.CancellationToken), comment.Text, comment.OccurredAt);
        Feed.Add(await Recipients.LiaisonOfficersAsync(comment, comment.ActingUser, context.CancellationToken), notice);
    }
}
