using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Web.Components.Inbox;

namespace HotlineSystem.UnitTests.Web;

public sealed class EscalationInboxTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_incident_that_reached_the_official_at_two_tiers_is_one_line_read_from_its_latest()
    {
        var incident = Guid.NewGuid();

        var inbox = EscalationInbox.From(
        [
            Reached(1, incident, Morning, important: false, read: true),
            Reached(2, incident, Morning.AddMinutes(10), important: true, read: false),
        ]);

        var item = Assert.Single(inbox);
        Assert.Equal((incident, Morning.AddMinutes(10), 2), (item.IncidentId, item.LastReachedAt, item.TimesReached));
        Assert.True(item.Important);
        Assert.True(item.Unread);
    }

    [Fact]
    public void Important_escalations_come_first_then_the_latest()
    {
        var (old, recent, important) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var inbox = EscalationInbox.From(
        [
            Reached(1, important, Morning, important: true),
            Reached(2, old, Morning.AddMinutes(1), important: false),
            Reached(3, recent, Morning.AddMinutes(2), important: false),
        ]);

        Assert.Equal([important, recent, old], inbox.Select(item => item.IncidentId));
    }

    [Fact]
    public void Other_kinds_of_feed_entry_are_not_escalations()
    {
        var inbox = EscalationInbox.From(
        [
            Reached(1, Guid.NewGuid(), Morning, important: false) with { Kind = FeedEntryKind.IncidentReported },
            Reached(2, Guid.NewGuid(), Morning, important: false) with { Kind = FeedEntryKind.Unknown },
        ]);

        Assert.Empty(inbox);
    }

    private static FeedEntry Reached(long sequence, Guid incident, DateTimeOffset at, bool important, bool read = false) =>
        new(sequence, FeedEntryKind.EscalationTierReached, "KR-CN", incident, "KR", null, Visibility.Shared, important,
            "Customs hold", "Tier reached", at, read ? at : null);
}
