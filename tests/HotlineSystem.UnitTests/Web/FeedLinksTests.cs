using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Web.Components.Layout;

namespace HotlineSystem.UnitTests.Web;

public sealed class FeedLinksTests
{
    private static readonly Guid Subject = Guid.NewGuid();

    public static TheoryData<FeedEntryKind, string> CommitteeKinds() => new()
    {
        { FeedEntryKind.MeetingScheduled, $"/meetings/{Subject}" },
        { FeedEntryKind.MeetingStatusChanged, $"/meetings/{Subject}" },
        { FeedEntryKind.AgendaItemProposed, $"/agenda-items/{Subject}" },
        { FeedEntryKind.AgendaItemAgreed, $"/agenda-items/{Subject}" },
        { FeedEntryKind.AgendaItemStatusChanged, $"/agenda-items/{Subject}" },
        { FeedEntryKind.AgendaPositionRecorded, $"/agenda-items/{Subject}" },
        { FeedEntryKind.MinutesShared, $"/minutes/{Subject}" },
        { FeedEntryKind.MinutesAgreed, $"/minutes/{Subject}" },
        { FeedEntryKind.MinutesSigned, $"/minutes/{Subject}" },
        { FeedEntryKind.MinutesReleased, $"/minutes/{Subject}" },
        { FeedEntryKind.MinutesReopened, $"/minutes/{Subject}" },
        { FeedEntryKind.DecisionRecorded, "/committees/KR-CN/decisions" },
        { FeedEntryKind.DomesticApprovalRecorded, "/committees/KR-CN/decisions" },
        { FeedEntryKind.ActionItemAssigned, "/committees/KR-CN/action-items" },
        { FeedEntryKind.ActionItemDue, "/committees/KR-CN/action-items" },
        { FeedEntryKind.ActionItemOverdue, "/committees/KR-CN/action-items" },
    };

    [Theory]
    [MemberData(nameof(CommitteeKinds))]
    public void A_committee_entry_opens_the_page_of_the_record_it_names(FeedEntryKind kind, string path) =>
        Assert.Equal(path, FeedLinks.PathOf(Entry(kind, incident: null, Subject)));

    [Fact]
    public void Every_kind_opens_a_page_an_incidents_entry_its_incident()
    {
        var incident = Guid.NewGuid();
        var committeeKinds = CommitteeKinds().Select(row => (FeedEntryKind)row[0]).ToHashSet();
        foreach (var kind in Enum.GetValues<FeedEntryKind>().Where(k => k != FeedEntryKind.Unknown))
        {
            var entry = committeeKinds.Contains(kind) ? Entry(kind, null, Subject) : Entry(kind, incident, null);
            Assert.True(FeedLinks.PathOf(entry) is not null, $"A {kind} entry opens no page.");
        }

        Assert.Equal($"/incidents/{incident}", FeedLinks.PathOf(Entry(FeedEntryKind.EscalationTierReached, incident, null)));
    }

    [Fact]
    public void An_entry_without_its_record_opens_nothing() =>
        Assert.Null(FeedLinks.PathOf(Entry(FeedEntryKind.MinutesShared, incident: null, subject: null)));

    private static FeedEntry Entry(FeedEntryKind kind, Guid? incident, Guid? subject) =>
        new(1, kind, "KR-CN", incident, "KR", "kr-cochair", Visibility.Shared, false, "title", "detail", DateTimeOffset.UnixEpoch, null, subject);
}
