using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Security;
using MudBlazor;
using Severity = HotlineSystem.Contracts.Incidents.Severity;

namespace HotlineSystem.Web.Components;

/// <summary>What a time chart shows: how long until the counterpart acknowledged, or until the incident was resolved.</summary>
public enum TimeMeasure
{
    Acknowledge,
    Resolve,
}

/// <summary>The figures the measures API gives for each group of incidents.</summary>
public enum Statistic
{
    Median,
    P90,
}

/// <summary>The unit a chart's times are drawn in, chosen so that its longest bar reads easily.</summary>
public enum DurationUnit
{
    Minutes,
    Hours,
    Days,
}

/// <summary>How long an open incident has been open.</summary>
public enum AgeBucket
{
    UnderOneDay,
    OneToThreeDays,
    ThreeToSevenDays,
    SevenToThirtyDays,
    OverThirtyDays,
}

/// <summary>One bar series of a time chart: a reporting party's median or 90th percentile, one value per severity (null: none).</summary>
public sealed record TimeSeries(string Party, Statistic Statistic, IReadOnlyList<double?> Values);

/// <summary>One line of a time chart's table: a severity and reporting party, with its times in the chart's unit.</summary>
public sealed record TimeRow(Severity Severity, string Party, int Reported, int Counted, double Median, double P90);

/// <summary>A time chart: severities along the axis, a median and a 90th percentile bar per reporting party.</summary>
public sealed record TimeChart(TimeMeasure Measure, DurationUnit Unit, IReadOnlyList<Severity> Severities, IReadOnlyList<TimeSeries> Series, IReadOnlyList<TimeRow> Rows)
{
    public bool IsEmpty => Rows.Count == 0;
}

/// <summary>One stacked series of the age chart: a severity's open incidents, one count per bucket (in the buckets' order).</summary>
public sealed record AgeSeries(Severity Severity, IReadOnlyList<int> Counts)
{
    public int CountIn(AgeBucket bucket) => Counts[(int)bucket];
}

/// <summary>The open incidents counted by age bucket (along the axis, every bucket) and severity (stacked).</summary>
public sealed record AgeChart(IReadOnlyList<AgeSeries> Series, int Total)
{
    public bool IsEmpty => Total == 0;

    public int CountIn(AgeBucket bucket) => Series.Sum(s => s.CountIn(bucket));
}

/// <summary>
/// The measures page's figures, from the APIs' answers to what its charts draw and its tables say:
/// plain data with no texts, so that the page only names things in the reader's language.
/// </summary>
public static class MeasureCharts
{
    public static readonly IReadOnlyList<Severity> Severities = Enum.GetValues<Severity>();

    public static readonly IReadOnlyList<AgeBucket> Buckets = Enum.GetValues<AgeBucket>();

    /// <summary>The roles the measures API answers (Escalation's MeasuresReader policy).</summary>
    public static readonly IReadOnlyList<string> ReaderRoles = ["LiaisonOfficer", "CommitteeMember", "CoChair", "Administrator"];

    /// <summary>Open incidents are listed only to liaison officers (Incidents' list); others see the times alone.</summary>
    public const string OpenIncidentsRole = "LiaisonOfficer";

    /// <summary>Each party's pair of colours, median dark and 90th percentile light; both at least 3:1 on white (WCAG 1.4.11).</summary>
    private static readonly (string Median, string P90)[] PartyColours =
    [
        ("#0b5cad", "#5b8fd6"),
        ("#00695c", "#2a9d8f"),
        ("#6d4c41", "#a1887f"),
        ("#3f51b5", "#7986cb"),
    ];

    /// <summary>The severities in the colours of the board's severity chips.</summary>
    private static readonly Dictionary<Severity, string> SeverityColours = new()
    {
        [Severity.Sev1] = "#c62828",
        [Severity.Sev2] = "#9a4f00",
        [Severity.Sev3] = "#0b5cad",
        [Severity.Sev4] = "#757575",
    };

    public static bool MayRead(ConsolePerson? person) => person is not null && ReaderRoles.Any(person.IsIn);

    public static bool MaySeeOpenIncidents(ConsolePerson? person) => person?.IsIn(OpenIncidentsRole) == true;

    /// <summary>The time chart of one measure: groups with no time for it (none acknowledged, none resolved) are left out.</summary>
    public static TimeChart Time(IEnumerable<MeasureRow> rows, TimeMeasure measure)
    {
        var timed = rows
            .Select(row => (Row: row, Times: TimesOf(row, measure)))
            .Where(x => x.Times.Median is not null)
            .ToList();
        var unit = UnitFor(timed.Select(x => x.Times.P90 ?? x.Times.Median!.Value).DefaultIfEmpty(0).Max());
        var parties = timed.Select(x => x.Row.ReportingParty).Distinct().Order(StringComparer.Ordinal).ToList();
        var byGroup = timed.ToDictionary(x => (x.Row.ReportingParty, x.Row.Severity), x => x.Times);

        var series = parties
            .SelectMany(party => new[] { Statistic.Median, Statistic.P90 }.Select(statistic => new TimeSeries(party, statistic,
                [.. Severities.Select(severity => byGroup.TryGetValue((party, severity), out var times)
                    ? In(unit, statistic == Statistic.Median ? times.Median : times.P90 ?? times.Median)
                    : null)])))
            .ToList();
        var table = timed
            .OrderBy(x => x.Row.Severity).ThenBy(x => x.Row.ReportingParty, StringComparer.Ordinal)
            .Select(x => new TimeRow(x.Row.Severity, x.Row.ReportingParty, x.Row.Reported, x.Times.Count,
                In(unit, x.Times.Median)!.Value, In(unit, x.Times.P90 ?? x.Times.Median)!.Value))
            .ToList();
        return new TimeChart(measure, unit, Severities, series, table);
    }

    /// <summary>Minutes below two hours, hours below three days, days beyond.</summary>
    public static DurationUnit UnitFor(double longestMinutes) => longestMinutes switch
    {
        < 120 => DurationUnit.Minutes,
        < 3 * 24 * 60 => DurationUnit.Hours,
        _ => DurationUnit.Days,
    };

    /// <summary>Minutes in the unit, to one decimal.</summary>
    public static double? In(DurationUnit unit, double? minutes) => minutes is { } value
        ? Math.Round(unit switch
        {
            DurationUnit.Hours => value / 60,
            DurationUnit.Days => value / (24 * 60),
            _ => value,
        }, 1, MidpointRounding.AwayFromZero)
        : null;

    /// <summary>The open incidents by how long ago they were reported, stacked by severity.</summary>
    public static AgeChart OpenByAge(IEnumerable<IncidentSummary> incidents, DateTimeOffset now)
    {
        var counts = Severities.ToDictionary(s => s, _ => new int[Buckets.Count]);
        var total = 0;
        foreach (var incident in incidents.Where(i => MeasuresApi.OpenStatuses.Contains(i.Status)))
        {
            counts[incident.Severity][(int)BucketOf(now - incident.ReportedAt)]++;
            total++;
        }

        return new AgeChart([.. Severities.Select(s => new AgeSeries(s, counts[s]))], total);
    }

    /// <summary>Each bucket holds its lower bound: exactly one day old is "1–3 days".</summary>
    public static AgeBucket BucketOf(TimeSpan age) => age.TotalDays switch
    {
        < 1 => AgeBucket.UnderOneDay,
        < 3 => AgeBucket.OneToThreeDays,
        < 7 => AgeBucket.ThreeToSevenDays,
        < 30 => AgeBucket.SevenToThirtyDays,
        _ => AgeBucket.OverThirtyDays,
    };

    /// <summary>The time chart as MudBlazor draws it; a missing time is a gap, not a zero.</summary>
    public static List<ChartSeries<double>> ChartSeries(TimeChart chart, Func<TimeSeries, string> name) =>
        [.. chart.Series.Select(series => new ChartSeries<double> { Name = name(series), Data = new ChartData<double>(series.Values) })];

    public static List<ChartSeries<double>> ChartSeries(AgeChart chart, Func<Severity, string> name) =>
        [.. chart.Series.Select(series => new ChartSeries<double> { Name = name(series.Severity), Data = series.Counts.Select(c => (double)c).ToArray() })];

    /// <summary>
    /// A colour per series, in the series' order; a party's hue follows its place in <paramref name="parties"/>
    /// (the channel's), so it keeps its hue in both time charts.
    /// </summary>
    public static string[] Palette(TimeChart chart, IReadOnlyList<string> parties)
    {
        var known = parties.Concat(chart.Series.Select(s => s.Party)).Distinct().ToList();
        return [.. chart.Series.Select(s =>
        {
            var (median, p90) = PartyColours[known.IndexOf(s.Party) % PartyColours.Length];
            return s.Statistic == Statistic.Median ? median : p90;
        })];
    }

    public static string[] Palette(AgeChart chart) => [.. chart.Series.Select(s => SeverityColours[s.Severity])];

    private static (double? Median, double? P90, int Count) TimesOf(MeasureRow row, TimeMeasure measure) => measure switch
    {
        TimeMeasure.Acknowledge => (row.MedianMinutesToAcknowledge, row.P90MinutesToAcknowledge, row.Acknowledged),
        _ => (row.MedianMinutesToResolve, row.P90MinutesToResolve, row.Resolved),
    };
}
