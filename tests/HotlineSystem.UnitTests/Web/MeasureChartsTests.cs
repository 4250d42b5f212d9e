using System.Globalization;
using Bunit;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Web.Apis;
using HotlineSystem.Web.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace HotlineSystem.UnitTests.Web;

/// <summary>The measures page's figures: age buckets, the API's rows as chart series, and the empty states.</summary>
public sealed class MeasureChartsTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    public MeasureChartsTests()
    {
        Services.AddLocalization();
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
    }

    [Theory]
    [InlineData(0, AgeBucket.UnderOneDay)]
    [InlineData(23.99, AgeBucket.UnderOneDay)]
    [InlineData(24, AgeBucket.OneToThreeDays)]
    [InlineData(71.99, AgeBucket.OneToThreeDays)]
    [InlineData(72, AgeBucket.ThreeToSevenDays)]
    [InlineData(7 * 24, AgeBucket.SevenToThirtyDays)]
    [InlineData(30 * 24 - 0.01, AgeBucket.SevenToThirtyDays)]
    [InlineData(30 * 24, AgeBucket.OverThirtyDays)]
    [InlineData(400 * 24, AgeBucket.OverThirtyDays)]
    public void An_incident_falls_in_the_bucket_that_holds_its_age(double hours, AgeBucket expected) =>
        Assert.Equal(expected, MeasureCharts.BucketOf(TimeSpan.FromHours(hours)));

    [Fact]
    public void Open_incidents_are_counted_by_age_and_severity_and_finished_ones_left_out()
    {
        var chart = MeasureCharts.OpenByAge(
        [
            Incident(Severity.Sev1, IncidentStatus.Reported, TimeSpan.FromMinutes(1)),
            Incident(Severity.Sev1, IncidentStatus.Acknowledged, TimeSpan.FromHours(30)),
            Incident(Severity.Sev3, IncidentStatus.UnderReview, TimeSpan.FromHours(2)),
            Incident(Severity.Sev4, IncidentStatus.Mitigating, TimeSpan.FromDays(45)),
            Incident(Severity.Sev2, IncidentStatus.Resolved, TimeSpan.FromDays(2)),
            Incident(Severity.Sev2, IncidentStatus.Closed, TimeSpan.FromDays(2)),
            Incident(Severity.Sev2, IncidentStatus.Withdrawn, TimeSpan.FromDays(2)),
        ], Now);

        Assert.Equal(4, chart.Total);
        Assert.Equal([Severity.Sev1, Severity.Sev2, Severity.Sev3, Severity.Sev4], chart.Series.Select(s => s.Severity));
        Assert.Equal([1, 1, 0, 0, 0], chart.Series[0].Counts);
        Assert.Equal([0, 0, 0, 0, 0], chart.Series[1].Counts);
        Assert.Equal([1, 0, 0, 0, 0], chart.Series[2].Counts);
        Assert.Equal([0, 0, 0, 0, 1], chart.Series[3].Counts);
        Assert.Equal(2, chart.CountIn(AgeBucket.UnderOneDay));

        var series = MeasureCharts.ChartSeries(chart, severity => $"S{(int)severity}");
        Assert.Equal(["S1", "S2", "S3", "S4"], series.Select(s => s.Name));
        Assert.Equal([1d, 1, 0, 0, 0], series[0].Data.Values);
        Assert.Equal(["#c62828", "#9a4f00", "#0b5cad", "#757575"], MeasureCharts.Palette(chart));
    }

    [Fact]
    public void Each_reporting_party_gets_a_median_and_a_90th_percentile_series_over_the_severities()
    {
        var rows = new[]
        {
            Row(Severity.Sev1, "KR", reported: 3, acknowledged: 2, medianAck: 30, p90Ack: 300),
            Row(Severity.Sev2, "CN", reported: 1, acknowledged: 1, medianAck: 120, p90Ack: 120),
            Row(Severity.Sev2, "KR", reported: 2, acknowledged: 0, medianAck: null, p90Ack: null),
        };

        var chart = MeasureCharts.Time(rows, TimeMeasure.Acknowledge);

        Assert.Equal(DurationUnit.Hours, chart.Unit); // the longest bar is five hours
        Assert.Equal(
            [("CN", Statistic.Median), ("CN", Statistic.P90), ("KR", Statistic.Median), ("KR", Statistic.P90)],
            chart.Series.Select(s => (s.Party, s.Statistic)));
        Assert.Equal([null, 2, null, null], chart.Series[0].Values);
        Assert.Equal([0.5, null, null, null], chart.Series[2].Values); // KR's Sev2 was never acknowledged: a gap, not a zero
        Assert.Equal([5, null, null, null], chart.Series[3].Values);
        Assert.Equal(
            [new TimeRow(Severity.Sev1, "KR", 3, 2, 0.5, 5), new TimeRow(Severity.Sev2, "CN", 1, 1, 2, 2)],
            chart.Rows);

        var series = MeasureCharts.ChartSeries(chart, s => $"{s.Party} {s.Statistic}");
        Assert.Equal(["CN Median", "CN P90", "KR Median", "KR P90"], series.Select(s => s.Name));
        Assert.Equal(4, series[0].Data.Count);
        // KR first on the KR-CN channel: its colours whichever parties the chart holds.
        Assert.Equal(["#00695c", "#2a9d8f", "#0b5cad", "#5b8fd6"], MeasureCharts.Palette(chart, ["KR", "CN"]));
    }

    [Fact]
    public void A_time_to_resolve_reads_the_resolution_figures_and_leaves_out_what_is_unresolved()
    {
        var rows = new[]
        {
            Row(Severity.Sev2, "CN", reported: 4, acknowledged: 4, medianAck: 10, p90Ack: 20, resolved: 2, medianResolve: 4 * 24 * 60, p90Resolve: 9 * 24 * 60),
            Row(Severity.Sev3, "KR", reported: 1, acknowledged: 1, medianAck: 10, p90Ack: 10),
        };

        var chart = MeasureCharts.Time(rows, TimeMeasure.Resolve);

        Assert.Equal(DurationUnit.Days, chart.Unit);
        Assert.Equal([new TimeRow(Severity.Sev2, "CN", 4, 2, 4, 9)], chart.Rows);
        Assert.Equal(["CN", "CN"], chart.Series.Select(s => s.Party));
        Assert.True(MeasureCharts.Time([rows[1]], TimeMeasure.Resolve).IsEmpty);
        Assert.True(MeasureCharts.Time([], TimeMeasure.Acknowledge).IsEmpty);
    }

    [Theory]
    [InlineData(0, DurationUnit.Minutes)]
    [InlineData(119.9, DurationUnit.Minutes)]
    [InlineData(120, DurationUnit.Hours)]
    [InlineData(3 * 24 * 60 - 1, DurationUnit.Hours)]
    [InlineData(3 * 24 * 60, DurationUnit.Days)]
    public void A_chart_speaks_in_minutes_hours_or_days_by_its_longest_time(double minutes, DurationUnit unit) =>
        Assert.Equal(unit, MeasureCharts.UnitFor(minutes));

    [Fact]
    public void A_time_chart_with_no_figures_shows_its_empty_state_instead_of_a_chart()
    {
        var figure = Render<TimeChartFigure>(parameters => parameters
            .Add(f => f.Chart, MeasureCharts.Time([Row(Severity.Sev1, "KR", reported: 2, acknowledged: 0, medianAck: null, p90Ack: null)], TimeMeasure.Acknowledge))
            .Add(f => f.Parties, ["KR", "CN"])
            .Add(f => f.TestId, "acknowledge"));

        Assert.Equal("No incident reported in this period has been acknowledged yet.", figure.Find("[data-testid=acknowledge-empty]").TextContent.Trim());
        Assert.Empty(figure.FindAll("[data-testid=acknowledge-chart]"));
        Assert.Empty(figure.FindAll("table"));
    }

    [Fact]
    public void An_age_chart_with_no_open_incident_shows_its_empty_state_instead_of_a_chart()
    {
        var figure = Render<AgeChartFigure>(parameters => parameters.Add(f => f.Chart, MeasureCharts.OpenByAge([], Now)));

        Assert.Equal("No open incidents on this channel.", figure.Find("[data-testid=open-empty]").TextContent.Trim());
        Assert.Empty(figure.FindAll("[data-testid=open-chart]"));
    }

    [Fact]
    public void A_time_chart_says_its_figures_in_a_table_with_the_unit_in_the_readers_language()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("ko");

        var figure = Render<TimeChartFigure>(parameters => parameters
            .Add(f => f.Chart, MeasureCharts.Time([Row(Severity.Sev2, "CN", reported: 1, acknowledged: 1, medianAck: 90, p90Ack: 150)], TimeMeasure.Acknowledge))
            .Add(f => f.Parties, ["KR", "CN"])
            .Add(f => f.TestId, "acknowledge"));

        Assert.NotEmpty(figure.FindAll("[data-testid=acknowledge-chart] svg"));
        Assert.Equal(["심각도", "보고 당사자", "보고 건수", "확인 건수", "중앙값(시간)", "90번째 백분위수(시간)"],
            figure.FindAll("thead th").Select(th => th.TextContent.Trim()));
        Assert.Equal(["2등급 높음", "CN", "1", "1", "1.5", "2.5"], figure.FindAll("tbody td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public void An_age_chart_lists_every_bucket_and_says_when_it_counted_only_part_of_the_open_incidents()
    {
        var figure = Render<AgeChartFigure>(parameters => parameters
            .Add(f => f.Chart, MeasureCharts.OpenByAge([Incident(Severity.Sev1, IncidentStatus.Reported, TimeSpan.FromDays(2))], Now))
            .Add(f => f.TotalOpen, 1200));

        Assert.Equal(["under 1 day", "1–3 days", "3–7 days", "7–30 days", "30 days or more"], figure.FindAll("tbody th").Select(th => th.TextContent.Trim()));
        Assert.Equal(["0", "0", "0", "0", "0"], figure.FindAll("tbody tr:nth-child(1) td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["1", "0", "0", "0", "1"], figure.FindAll("tbody tr:nth-child(2) td").Select(td => td.TextContent.Trim()));
        Assert.Equal("Counted from 1 of 1200 open incidents, the most recent of each status.", figure.Find("[data-testid=open-limited]").TextContent.Trim());
    }

    private static IncidentSummary Incident(Severity severity, IncidentStatus status, TimeSpan age) =>
        new(Guid.NewGuid(), "KR-CN", "KR", "CN", "customs-hold", severity, status, "Held at Tianjin", ["Nd"], ["850511"], Now - age, null, 1);

    private static MeasureRow Row(
        Severity severity, string party, int reported, int acknowledged, double? medianAck, double? p90Ack,
        int resolved = 0, double? medianResolve = null, double? p90Resolve = null) =>
        new("KR-CN", severity, party, reported, acknowledged, resolved, medianAck, p90Ack, medianResolve, p90Resolve);
}
