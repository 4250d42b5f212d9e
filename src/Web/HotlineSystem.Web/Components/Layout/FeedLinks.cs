using HotlineSystem.Contracts.Notifications;

namespace HotlineSystem.Web.Components.Layout;

/// <summary>The console page a feed entry opens: its incident, or the committee record it names; null when there is none.</summary>
public static class FeedLinks
{
    public static string? PathOf(FeedEntry entry)
    {
        if (entry.IncidentId is { } incident)
        {
            return $"/incidents/{incident}";
        }

        return entry.Kind switch
        {
            FeedEntryKind.MeetingScheduled or FeedEntryKind.MeetingStatusChanged when entry.SubjectId is { } meeting => $"/meetings/{meeting}",
            FeedEntryKind.AgendaItemProposed or FeedEntryKind.AgendaItemAgreed or FeedEntryKind.AgendaItemStatusChanged or FeedEntryKind.AgendaPositionRecorded
                when entry.SubjectId is { } item => $"/agenda-items/{item}",
            FeedEntryKind.MinutesShared or FeedEntryKind.MinutesAgreed or FeedEntryKind.MinutesSigned or FeedEntryKind.MinutesReleased or FeedEntryKind.MinutesReopened
                when entry.SubjectId is { } minutes => $"/minutes/{minutes}",
            FeedEntryKind.DecisionRecorded or FeedEntryKind.DomesticApprovalRecorded => $"/committees/{entry.Channel}/decisions",
            FeedEntryKind.ActionItemAssigned or FeedEntryKind.ActionItemDue or FeedEntryKind.ActionItemOverdue => $"/committees/{entry.Channel}/action-items",
            _ => null,
        };
    }
}
