using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Measures;

/// <summary>Time to acknowledge and to resolve, by severity and reporting party, for incidents reported in a period.</summary>
public sealed record MeasureRow(
    string Channel, Severity Severity, string ReportingParty, int Reported, int Acknowledged, int Resolved,
    double? MedianMinutesToAcknowledge, double? P90MinutesToAcknowledge, double? MedianMinutesToResolve, double? P90MinutesToResolve);

public sealed record Measures(string Channel, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<MeasureRow> Rows);

internal static class MeasureEndpoints
{
    public static async Task<Results<Ok<Measures>, ProblemHttpResult>> Get(
        HttpContext http, EscalationDbContext db, TimeProvider time, string? channel, DateTimeOffset? from, DateTimeOffset? to)
    {
        var now = time.GetUtcNow();
        var (start, end) = (from ?? now.AddDays(-90), to ?? now);
        if (string.IsNullOrWhiteSpace(channel))
        {
            return Problems.Validation("channel", "required", "Name the channel by its code: two parties' ISO 3166 codes joined by a hyphen.");
        }

        if (OwnParty.Channel(http.User, channel).Refusal is { } notYours)
        {
            return notYours;
        }

        if (end <= start || end - start > TimeSpan.FromDays(3660))
        {
            return Problems.Validation("to", "invalid-period", "'to' is after 'from', and a period is at most ten years.");
        }

        var records = await db.IncidentRecords.AsNoTracking()
            .Where(r => r.Channel == channel && r.ReportedAt >= start && r.ReportedAt < end)
            .ToListAsync(http.RequestAborted);
        var rows = records
            .Where(r => r.Severity is not null && r.ReportingParty is not null)
            .GroupBy(r => (r.Severity!.Value, r.ReportingParty!))
            .OrderBy(g => g.Key.Value).ThenBy(g => g.Key.Item2)
            .Select(g =>
            {
                var acknowledge = g.Where(r => r.AcknowledgedAt is not null).Select(r => (r.AcknowledgedAt!.Value - r.ReportedAt!.Value).TotalMinutes).Order().ToList();
                var resolve = g.Where(r => r.ResolvedAt is not null).Select(r => (r.ResolvedAt!.Value - r.ReportedAt!.Value).TotalMinutes).Order().ToList();
                return new MeasureRow(channel, g.Key.Value, g.Key.Item2, g.Count(), acknowledge.Count, resolve.Count,
                    Percentile(acknowledge, 0.5), Percentile(acknowledge, 0.9), Percentile(resolve, 0.5), Percentile(resolve, 0.9));
            })
            .ToList();
        return TypedResults.Ok(new Measures(channel, start, end, rows));
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    internal static double? Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 2);
}
