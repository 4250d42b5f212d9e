using HotlineSystem.Benchmark;

namespace HotlineSystem.UnitTests.Benchmark;

/// <summary>The console benchmark pairs each incident's 201 with its row on each board, by the title's request id.</summary>
public sealed class BoardLatenciesTests
{
    private static readonly DateTimeOffset Responded = new(2026, 12, 4, 9, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public void A_title_made_for_a_request_gives_its_request_id_back()
    {
        var requestId = Guid.NewGuid();

        Assert.Equal(requestId, IncidentFiler.RequestIdIn(IncidentFiler.TitleOf(requestId)));
    }

    [Fact]
    public void Another_title_gives_no_request_id()
    {
        Assert.Null(IncidentFiler.RequestIdIn(IncidentFiler.Title));
        Assert.Null(IncidentFiler.RequestIdIn(IncidentFiler.Title + " #not-a-request-id-at-all-0000000"));
    }

    [Fact]
    public void Latency_runs_from_the_201_to_the_first_sighting_on_each_board()
    {
        var requestId = Guid.NewGuid();
        var boards = new[] { Board((requestId, 120)), Board((requestId, 480)) };

        var latencies = BoardLatencies.Of([(requestId, Responded)], boards);

        Assert.Equal((2, 120.0, 480.0, 480.0), (latencies.Shown.Count, latencies.Shown.P50, latencies.Shown.Max, latencies.LastBoard.Max));
        Assert.True(latencies.ExactlyOnce);
    }

    [Fact]
    public void An_incident_one_board_never_showed_is_missing_there_and_has_no_last_board_time()
    {
        var shown = Guid.NewGuid();
        var partly = Guid.NewGuid();
        var boards = new[] { Board((shown, 100), (partly, 100)), Board((shown, 200)) };

        var latencies = BoardLatencies.Of([(shown, Responded), (partly, Responded)], boards);

        Assert.Equal((1, 1, 1), (latencies.Missing, latencies.IncidentsMissingSomewhere, latencies.LastBoard.Count));
        Assert.False(latencies.ExactlyOnce);
    }

    [Fact]
    public void A_title_in_two_rows_at_once_counts_as_shown_twice()
    {
        var requestId = Guid.NewGuid();
        var board = Board((requestId, 100)) with { Twice = new() { [IncidentFiler.TitleOf(requestId)] = 3 } };

        var latencies = BoardLatencies.Of([(requestId, Responded)], [board]);

        Assert.Equal(1, latencies.ShownTwice);
        Assert.False(latencies.ExactlyOnce);
    }

    [Fact]
    public void Titles_of_incidents_not_measured_are_ignored()
    {
        var measured = Guid.NewGuid();
        var board = Board((measured, 50), (Guid.NewGuid(), 10));

        var latencies = BoardLatencies.Of([(measured, Responded)], [board]);

        Assert.Equal((1, 50.0), (latencies.Shown.Count, latencies.Shown.Max));
    }

    private static BoardWatch.Sightings Board(params (Guid RequestId, double AfterMs)[] rows)
    {
        var respondedAt = (Responded - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        var seen = rows.ToDictionary(r => IncidentFiler.TitleOf(r.RequestId), r => respondedAt + r.AfterMs);
        return new BoardWatch.Sightings(null, null, seen, seen.ToDictionary(s => s.Key, s => s.Value + 16), [], [], 0, []);
    }
}
