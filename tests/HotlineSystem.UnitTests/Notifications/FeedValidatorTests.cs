using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Feed;
using HotlineSystem.UnitTests.Validation;

namespace HotlineSystem.UnitTests.Notifications;

public sealed class FeedValidatorTests
{
    private readonly FeedQueryValidator _query = new();
    private readonly MarkReadRequestValidator _markRead = new();

    [Fact]
    public async Task A_feed_page_without_cursor_or_with_one_cursor_is_valid()
    {
        await ValidationAssert.PassesAsync(_query, new FeedQuery(null, null, null, null, null));
        await ValidationAssert.PassesAsync(_query, new FeedQuery(10, null, 200, true, FeedEntryKind.EscalationTierReached));
        await ValidationAssert.PassesAsync(_query, new FeedQuery(null, 0, 1, false, null));
    }

    [Theory]
    [InlineData(0L, null, null, "before", "too-small")]
    [InlineData(null, -1L, null, "after", "too-small")]
    [InlineData(5L, 2L, null, "after", "one-cursor")]
    [InlineData(null, null, 0, "limit", "out-of-range")]
    [InlineData(null, null, 201, "limit", "out-of-range")]
    public async Task A_feed_page_out_of_bounds_names_the_field(long? before, long? after, int? limit, string field, string code) =>
        await ValidationAssert.FailsOnlyAsync(_query, new FeedQuery(before, after, limit, null, null), field, code);

    [Fact]
    public async Task A_feed_page_of_the_kind_no_entry_has_is_refused() =>
        await ValidationAssert.FailsOnlyAsync(_query, new FeedQuery(null, null, null, null, FeedEntryKind.Unknown), "kind", "invalid-value");

    [Fact]
    public async Task Marking_read_takes_up_to_a_sequence_or_a_list_of_them()
    {
        await ValidationAssert.PassesAsync(_markRead, new MarkReadRequest(7, null));
        await ValidationAssert.PassesAsync(_markRead, new MarkReadRequest(null, [1, 3, 5]));
    }

    [Fact]
    public async Task Marking_read_with_neither_or_both_is_refused()
    {
        await ValidationAssert.FailsOnlyAsync(_markRead, new MarkReadRequest(null, null), "upTo", "one-of");
        await ValidationAssert.FailsOnlyAsync(_markRead, new MarkReadRequest(3, [1]), "upTo", "one-of");
    }

    [Fact]
    public async Task Marking_read_refuses_empty_oversized_and_non_positive_sequences()
    {
        await ValidationAssert.FailsOnlyAsync(_markRead, new MarkReadRequest(null, []), "sequences", "required");
        await ValidationAssert.FailsOnlyAsync(_markRead, new MarkReadRequest(null, Enumerable.Range(1, 501).Select(i => (long)i).ToList()), "sequences", "too-many");
        await ValidationAssert.FailsOnlyAsync(_markRead, new MarkReadRequest(null, [2, 0]), "sequences[1]", "too-small");
        await ValidationAssert.FailsOnlyAsync(_markRead, new MarkReadRequest(0, null), "upTo", "too-small");
    }
}
