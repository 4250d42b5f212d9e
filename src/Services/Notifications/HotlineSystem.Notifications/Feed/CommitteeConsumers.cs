using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

// The joint committee's changes reach the delegates of the committee's parties (an Internal one, such
// as a party's position: its own delegates only), except whoever acted. Positions travel without their
// text: the feed says one was recorded, the text is read from the Committee service by those who may.

/// <summary>Keeps the delegations the committee's notices are addressed to.</summary>
public sealed class CommitteeDelegationChangedConsumer(NotificationsDbContext db, TimeProvider time)
    : InboxConsumer<CommitteeDelegationChanged, NotificationsDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<CommitteeDelegationChanged> context)
    {
        var changed = context.Message;
        var delegation = await Db.CommitteeDelegations.SingleOrDefaultAsync(d => d.Channel == changed.Channel && d.Party == changed.Party, context.CancellationToken);
        if (delegation is null)
        {
            delegation = CommitteeDelegation.For(changed.Channel, changed.Party);
            Db.CommitteeDelegations.Add(delegation);
        }

        delegation.Apply(changed.Members, changed.Version);
    }
}

public sealed class MeetingScheduledFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<MeetingScheduled>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<MeetingScheduled> context)
    {
        var scheduled = context.Message;
        var notice = new Notice(FeedEntryKind.MeetingScheduled, scheduled.Channel, null, scheduled.ActingParty, scheduled.ActingUser, scheduled.Visibility,
            false, $"{scheduled.Channel} meeting {scheduled.Number}: {scheduled.Place}",
            $"{scheduled.StartsAt:yyyy-MM-dd HH:mm} UTC ({scheduled.Mode}); agenda cut-off {scheduled.AgendaCutoff:yyyy-MM-dd HH:mm} UTC", scheduled.OccurredAt, SubjectId: scheduled.MeetingId);
        Feed.Add(await Recipients.DelegatesAsync(scheduled, scheduled.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class MeetingStatusChangedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<MeetingStatusChanged>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<MeetingStatusChanged> context)
    {
        var changed = context.Message;
        var notice = new Notice(FeedEntryKind.MeetingStatusChanged, changed.Channel, null, changed.ActingParty, changed.ActingUser, changed.Visibility,
            false, $"{changed.Channel} meeting {changed.Number}", $"{changed.OldStatus} → {changed.NewStatus}", changed.OccurredAt, SubjectId: changed.MeetingId);
        Feed.Add(await Recipients.DelegatesAsync(changed, changed.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class AgendaItemProposedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<AgendaItemProposed>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<AgendaItemProposed> context)
    {
        var proposed = context.Message;
        var notice = new Notice(FeedEntryKind.AgendaItemProposed, proposed.Channel, null, proposed.ActingParty, proposed.ActingUser, proposed.Visibility,
            false, proposed.Title, proposed.CarriedOverFrom is null ? $"{proposed.ActingParty} proposed an agenda item" : $"{proposed.ActingParty} carried an item over",
            proposed.OccurredAt, SubjectId: proposed.AgendaItemId);
        Feed.Add(await Recipients.DelegatesAsync(proposed, proposed.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class AgendaItemAgreedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<AgendaItemAgreed>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<AgendaItemAgreed> context)
    {
        var agreed = context.Message;
        var notice = new Notice(FeedEntryKind.AgendaItemAgreed, agreed.Channel, null, agreed.ActingParty, agreed.ActingUser, agreed.Visibility,
            false, agreed.Title, agreed.OnAgenda ? $"{agreed.ActingParty} agreed: the item is on the agenda" : $"{agreed.ActingParty} agreed; it waits for the other party",
            agreed.OccurredAt, SubjectId: agreed.AgendaItemId);
        Feed.Add(await Recipients.DelegatesAsync(agreed, agreed.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class AgendaItemStatusChangedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<AgendaItemStatusChanged>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<AgendaItemStatusChanged> context)
    {
        var changed = context.Message;
        var notice = new Notice(FeedEntryKind.AgendaItemStatusChanged, changed.Channel, null, changed.ActingParty, changed.ActingUser, changed.Visibility,
            false, changed.Title, $"{changed.OldStatus} → {changed.NewStatus}", changed.OccurredAt, SubjectId: changed.AgendaItemId);
        Feed.Add(await Recipients.DelegatesAsync(changed, changed.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class AgendaPositionRecordedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<AgendaPositionRecorded>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<AgendaPositionRecorded> context)
    {
        var recorded = context.Message;
        var notice = new Notice(FeedEntryKind.AgendaPositionRecorded, recorded.Channel, null, recorded.ActingParty, recorded.ActingUser, recorded.Visibility,
            false, recorded.Title, $"{recorded.ActingParty} recorded its position ({recorded.Visibility})", recorded.OccurredAt, SubjectId: recorded.AgendaItemId);
        Feed.Add(await Recipients.DelegatesAsync(recorded, recorded.ActingUser, context.CancellationToken), notice);
    }
}

public sealed class ActionItemAssignedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<ActionItemAssigned>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<ActionItemAssigned> context)
    {
        var assigned = context.Message;
        var notice = new Notice(FeedEntryKind.ActionItemAssigned, assigned.Channel, null, assigned.ActingParty, assigned.ActingUser, assigned.Visibility,
            false, assigned.Title, $"For {assigned.OwnerParty}, due {assigned.DueAt:yyyy-MM-dd HH:mm} UTC", assigned.OccurredAt, SubjectId: assigned.ActionItemId);
        Feed.Add(await Recipients.DelegatesAsync(assigned, assigned.ActingUser, context.CancellationToken), notice);
    }
}

/// <summary>The reminder reaches every delegate, the owner too: the timer acted, not a person.</summary>
public sealed class ActionItemDueFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<ActionItemDue>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<ActionItemDue> context)
    {
        var due = context.Message;
        var notice = new Notice(FeedEntryKind.ActionItemDue, due.Channel, null, due.ActingParty, null, due.Visibility,
            false, due.Title, $"{due.OwnerParty}'s action item falls due {due.DueAt:yyyy-MM-dd HH:mm} UTC", due.OccurredAt, SubjectId: due.ActionItemId);
        Feed.Add(await Recipients.DelegatesAsync(due, actingUser: null, context.CancellationToken), notice);
    }
}

public sealed class ActionItemOverdueFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<ActionItemOverdue>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<ActionItemOverdue> context)
    {
        var overdue = context.Message;
        var notice = new Notice(FeedEntryKind.ActionItemOverdue, overdue.Channel, null, overdue.ActingParty, null, overdue.Visibility,
            true, overdue.Title, $"{overdue.OwnerParty}'s action item was due {overdue.DueAt:yyyy-MM-dd HH:mm} UTC", overdue.OccurredAt, SubjectId: overdue.ActionItemId);
        Feed.Add(await Recipients.DelegatesAsync(overdue, actingUser: null, context.CancellationToken), notice);
    }
}

/// <summary>
/// The minutes moved on: shared for review, agreed, signed, released, or reopened by a change that
/// voided agreements and signatures. The feed names the step; the texts are read from the Committee
/// service by the delegations (and, once released, by the channel's readers).
/// </summary>
public sealed class MinutesChangedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<MinutesChanged>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<MinutesChanged> context)
    {
        var changed = context.Message;
        (FeedEntryKind Kind, string Body)? step = changed.Change switch
        {
            "shared" => (FeedEntryKind.MinutesShared, $"{changed.ActingParty} shared the minutes for review"),
            "agreed-by-one" => (FeedEntryKind.MinutesAgreed, $"{changed.ActingParty} agreed to the texts; the other party's agreement is awaited"),
            "agreed" => (FeedEntryKind.MinutesAgreed, "Both parties agreed to the texts: the co-chairs may sign"),
            "signed" => (FeedEntryKind.MinutesSigned, $"{changed.ActingParty}'s co-chair signed; the other co-chair's signature is awaited"),
            "locked" => (FeedEntryKind.MinutesSigned, "Both co-chairs signed: the minutes are locked"),
            "release-agreed-by-one" => (FeedEntryKind.MinutesReleased, $"{changed.ActingParty} agreed to release the signed minutes; the other party's agreement is awaited"),
            "released" => (FeedEntryKind.MinutesReleased, "Both parties agreed to release the signed minutes"),
            "texts-changed" => (FeedEntryKind.MinutesReopened, $"{changed.ActingParty} changed a text: agreements and signatures are void, review again"),
            _ => null,
        };
        if (step is not { } notice)
        {
            return; // a step of a newer Committee service: nothing to tell yet
        }

        Feed.Add(await Recipients.DelegatesAsync(changed, changed.ActingUser, context.CancellationToken),
            new Notice(notice.Kind, changed.Channel, null, changed.ActingParty, changed.ActingUser, changed.Visibility,
                changed.Change == "texts-changed", $"{changed.Channel} minutes", notice.Body, changed.OccurredAt, SubjectId: changed.MinutesId));
    }
}

public sealed class DecisionRecordedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<DecisionRecorded>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<DecisionRecorded> context)
    {
        var recorded = context.Message;
        var approval = recorded.NeedsApprovalOf.Count == 0 ? "no domestic approval needed" : $"needs the domestic approval of {string.Join(", ", recorded.NeedsApprovalOf)}";
        var notice = new Notice(FeedEntryKind.DecisionRecorded, recorded.Channel, null, recorded.ActingParty, recorded.ActingUser, recorded.Visibility,
            false, $"{recorded.Number} {recorded.Title}", $"Decision {recorded.Number} recorded; {approval}", recorded.OccurredAt, SubjectId: recorded.DecisionId);
        Feed.Add(await Recipients.DelegatesAsync(recorded, recorded.ActingUser, context.CancellationToken), notice);
    }
}

/// <summary>A refusal at home is marked important: the measure does not stand for that party.</summary>
public sealed class DomesticApprovalRecordedFeedConsumer(NotificationsDbContext db, TimeProvider time, Recipients recipients, FeedWriter feed, ChannelDirectory channels)
    : FeedConsumer<DomesticApprovalRecorded>(db, time, recipients, feed, channels)
{
    protected override async Task WriteAsync(ConsumeContext<DomesticApprovalRecorded> context)
    {
        var recorded = context.Message;
        var notice = new Notice(FeedEntryKind.DomesticApprovalRecorded, recorded.Channel, null, recorded.ActingParty, recorded.ActingUser, recorded.Visibility,
            recorded.Approval == DomesticApproval.Refused, $"{recorded.Number} {recorded.Title}",
            $"{recorded.Party}'s government {(recorded.Approval == DomesticApproval.Refused ? "refused" : "approved")} decision {recorded.Number} on {recorded.On:yyyy-MM-dd}",
            recorded.OccurredAt, SubjectId: recorded.DecisionId);
        Feed.Add(await Recipients.DelegatesAsync(recorded, recorded.ActingUser, context.CancellationToken), notice);
    }
}
