using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Notifications.Feed;
using EscalationStarter = HotlineSystem.Escalation.Escalations.IncidentReportedConsumer;

namespace HotlineSystem.UnitTests.Messaging;

public sealed class BatchWindowTests
{
    [Fact]
    public void Escalations_start_from_reports_gathered_for_a_fifth_of_a_second()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(200), InboxBatchConsumerDefinition<EscalationStarter>.Window);
    }

    [Fact]
    public void The_feed_writers_on_the_live_path_keep_the_short_default_window()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(5), InboxBatchConsumerDefinition<IncidentReportedFeedConsumer>.Window);
        Assert.Equal(TimeSpan.FromMilliseconds(5), InboxBatchConsumerDefinition<EscalationTierReachedFeedConsumer>.Window);
    }
}
