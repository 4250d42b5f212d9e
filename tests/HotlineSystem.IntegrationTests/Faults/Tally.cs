namespace HotlineSystem.IntegrationTests.Faults;

/// <summary>
/// Every downstream effect of the accepted incidents, counted from outside (read-only SQL on each
/// service's schema, and the broker's queues), and what is wrong with it. Empty <see cref="Problems"/>
/// means: each accepted incident exists once, with one timeline entry per change, one escalation whose
/// two tiers each fired once, one feed entry per recipient and kind, each incident known to the
/// Committee service (the agenda's links), and nothing waits in an outbox
/// or an error queue.
/// </summary>
public sealed record Tally(int Incidents, int Escalations, int FeedEntries, int Lost, int Doubled, IReadOnlyList<string> Problems)
{
    public static async Task<Tally> CountAsync(DistributedDeployment deployment, IReadOnlyCollection<Guid> accepted)
    {
        var problems = new List<string>();
        var acceptedSet = accepted.ToHashSet();

        var incidents = await deployment.QueryAsync("SELECT id FROM incidents.incidents", r => r.GetGuid(0));
        var lost = acceptedSet.Except(incidents).Count();
        var doubled = incidents.Count - incidents.Distinct().Count() + incidents.Distinct().Count(id => !acceptedSet.Contains(id));
        Expect(lost == 0, $"{lost} accepted incidents do not exist");
        Expect(doubled == 0, $"{doubled} incidents exist that no client was told of, or twice");

        // Timeline: one Reported entry each; each tier once, numbered within its visibility as people read
        // it (the policy's first tier reaches KR only: "internal tier 1"; its second reaches CN: "tier 1"); one stop.
        var timeline = await deployment.QueryAsync(
            "SELECT incident_id, kind, coalesce(new_value, ''), count(*) FROM incidents.timeline_entries GROUP BY incident_id, kind, coalesce(new_value, '')",
            r => (Incident: r.GetGuid(0), Kind: r.GetString(1), Value: r.GetString(2), Count: r.GetInt64(3)));
        Expect(timeline.All(t => t.Count == 1), $"timeline entries written twice: {Sample(timeline.Where(t => t.Count > 1))}");
        foreach (var (kind, value) in new[] { ("Reported", ""), ("Escalated", "internal tier 1"), ("Escalated", "tier 1") })
        {
            var missing = acceptedSet.Except(timeline.Where(t => t.Kind == kind && (value == "" || t.Value == value)).Select(t => t.Incident)).Count();
            Expect(missing == 0, $"{missing} incidents without their {kind} {value} timeline entry".Replace("  ", " "));
        }

        Expect(acceptedSet.Except(timeline.Where(t => t.Kind == "EscalationStopped").Select(t => t.Incident)).Count() == 0, "incidents whose escalation never stopped in the timeline");

        // Escalation: one each, both tiers fired, stopped.
        var escalations = await deployment.QueryAsync("SELECT incident_id, tiers_fired, state FROM escalation.escalations",
            r => (Incident: r.GetGuid(0), TiersFired: r.GetInt32(1), State: r.GetString(2)));
        var escalated = escalations.Where(e => acceptedSet.Contains(e.Incident)).ToList();
        Expect(escalated.Count == acceptedSet.Count, $"{acceptedSet.Count - escalated.Count} accepted incidents without an escalation");
        Expect(escalated.All(e => e.TiersFired == 2), $"escalations that did not fire exactly their two tiers: {Sample(escalated.Where(e => e.TiersFired != 2))}");

        // Feeds: one entry per person, incident, kind and tier; each officer told of each incident once, and of the tier that named them once.
        var feed = await deployment.QueryAsync(
            "SELECT user_id, incident_id, kind, coalesce(detail, ''), count(*) FROM notifications.feed_entries WHERE incident_id IS NOT NULL GROUP BY user_id, incident_id, kind, coalesce(detail, '')",
            r => (User: r.GetString(0), Incident: r.GetGuid(1), Kind: r.GetString(2), Detail: r.GetString(3), Count: r.GetInt64(4)));
        Expect(feed.All(f => f.Count == 1), $"feed entries written twice: {Sample(feed.Where(f => f.Count > 1))}");
        foreach (var kind in new[] { "IncidentReported", "EscalationTierReached" })
        {
            var perIncident = feed.Where(f => f.Kind == kind).GroupBy(f => f.Incident).ToDictionary(g => g.Key, g => g.Sum(f => f.Count));
            var wrong = acceptedSet.Count(id => perIncident.GetValueOrDefault(id) != 2);
            Expect(wrong == 0, $"{wrong} incidents without exactly two {kind} feed entries (one per officer)");
        }

        // Committee: each accepted incident known once, from its report (agenda items may link it).
        var linked = await deployment.QueryAsync("SELECT incident_id FROM committee.linked_incidents WHERE title IS NOT NULL", r => r.GetGuid(0));
        Expect(acceptedSet.Except(linked).Count() == 0, $"{acceptedSet.Except(linked).Count()} accepted incidents the Committee service never learnt of");

        // Nothing waits: every outbox relayed, every error queue empty.
        foreach (var schema in new[] { "identity", "incidents", "escalation", "committee", "notifications" })
        {
            var pending = await deployment.ScalarAsync($"SELECT count(*) FROM {schema}.outbox_messages WHERE sent_at IS NULL");
            Expect(pending == 0, $"{pending} messages wait in the {schema} outbox");
        }

        var errorQueues = (await deployment.QueuesAsync()).Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal) && q.Value > 0).ToList();
        Expect(errorQueues.Count == 0, $"messages in error queues: {string.Join(", ", errorQueues.Select(q => $"{q.Key} {q.Value}"))}");

        return new Tally(incidents.Count, escalations.Count, feed.Sum(f => (int)f.Count), lost, doubled, problems);

        void Expect(bool holds, string problem)
        {
            if (!holds)
            {
                problems.Add(problem);
            }
        }
    }

    private static string Sample<T>(IEnumerable<T> rows) => string.Join("; ", rows.Take(3));
}
