namespace HotlineSystem.Benchmark;

/// <summary>
/// Per (incident, board): from the incident's 201, on this process's wall clock, to its title's first
/// appearance in the board's DOM (and in the next animation frame), on the page's wall clock. Both
/// clocks are this machine's one system clock, so the difference is a latency.
/// </summary>
public sealed record BoardLatencies(
    int Incidents,
    int Boards,
    Percentiles Shown,
    Percentiles Painted,
    Percentiles LastBoard,
    int Missing,
    int IncidentsMissingSomewhere,
    int ShownTwice,
    int Returned,
    int ShownBeforeResponse)
{
    public int Expected => Incidents * Boards;

    public bool ExactlyOnce => Missing == 0 && ShownTwice == 0;

    /// <summary>
    /// <paramref name="filed"/>: the incidents filed with unique titles (<see cref="IncidentFiler.TitleOf"/>)
    /// whose 201 arrived, with when it arrived; <paramref name="boards"/>: what each board's page recorded.
    /// A title in two rows at the same time counts as shown twice; a title that left the rows and came
    /// back is counted apart (rows leave the first page of 100 as newer incidents arrive).
    /// </summary>
    public static BoardLatencies Of(IReadOnlyList<(Guid RequestId, DateTimeOffset RespondedAtUtc)> filed, IReadOnlyList<BoardWatch.Sightings> boards)
    {
        var shown = new List<double>(filed.Count * boards.Count);
        var painted = new List<double>(filed.Count * boards.Count);
        var lastBoard = new List<double>(filed.Count);
        int missing = 0, incidentsMissing = 0, twice = 0, returned = 0, beforeResponse = 0;
        foreach (var (requestId, respondedAtUtc) in filed)
        {
            var title = IncidentFiler.TitleOf(requestId);
            var respondedAt = (respondedAtUtc - DateTimeOffset.UnixEpoch).TotalMilliseconds;
            double? last = boards.Count == 0 ? null : double.MinValue;
            foreach (var board in boards)
            {
                if (!board.Seen.TryGetValue(title, out var seenAt))
                {
                    missing++;
                    last = null;
                    continue;
                }

                var latency = seenAt - respondedAt;
                shown.Add(latency);
                beforeResponse += latency < 0 ? 1 : 0;
                last = last is { } worst ? Math.Max(worst, latency) : null;
                if (board.Painted.TryGetValue(title, out var paintedAt))
                {
                    painted.Add(paintedAt - respondedAt);
                }

                twice += board.Twice.ContainsKey(title) ? 1 : 0;
                returned += board.Returned.ContainsKey(title) ? 1 : 0;
            }

            if (last is { } all)
            {
                lastBoard.Add(all);
            }
            else
            {
                incidentsMissing++;
            }
        }

        return new BoardLatencies(
            filed.Count,
            boards.Count,
            Percentiles.Of(shown),
            Percentiles.Of(painted),
            Percentiles.Of(lastBoard),
            missing,
            incidentsMissing,
            twice,
            returned,
            beforeResponse);
    }
}
