using HotlineSystem.Contracts.Notifications;

namespace HotlineSystem.Web.Components.Inbox;

/// <summary>One incident in an official's inbox: every time its escalation reached them, taken together.</summary>
public sealed record InboxItem(Guid IncidentId, string Title, string Channel, DateTimeOffset LastReachedAt, int TimesReached, bool Important, bool Unread);

/// <summary>
/// An official's escalation inbox from their feed: one line per incident (an escalation may reach the
/// same person at several tiers), important ones first, then the latest.
/// </summary>
public static class EscalationInbox
{
    public static IReadOnlyList<InboxItem> From(IEnumerable<FeedEntry> entries) =>
        [.. entries
            .Where(entry => entry.Kind == FeedEntryKind.EscalationTierReached && entry.IncidentId is not null)
            .GroupBy(entry => entry.IncidentId!.Value)
            .Select(reached =>
            {
                var latest = reached.MaxBy(entry => entry.Sequence)!;
                return new InboxItem(
                    reached.Key, latest.Title, latest.Channel, latest.OccurredAt, reached.Count(),
                    Important: reached.Any(entry => entry.Important), Unread: reached.Any(entry => entry.ReadAt is null));
            })
            .OrderByDescending(item => item.Important)
            .ThenByDescending(item => item.LastReachedAt)];
}
