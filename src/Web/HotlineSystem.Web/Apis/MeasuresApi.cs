using System.Globalization;
using HotlineSystem.Contracts.Incidents;

namespace HotlineSystem.Web.Apis;

/// <summary>The calls of the measures page, on the signed-in person's behalf like every other.</summary>
public static class MeasuresApi
{
    /// <summary>The statuses of an incident still being worked: the ones "open incidents by age" counts.</summary>
    public static readonly IReadOnlyList<IncidentStatus> OpenStatuses =
        [IncidentStatus.Reported, IncidentStatus.Acknowledged, IncidentStatus.UnderReview, IncidentStatus.Mitigating];

    /// <summary>Pages read per status at most: a thousand open incidents of one status is already more than a picture needs.</summary>
    public const int MaxPagesPerStatus = 10;

    private const int PageSize = 100; // the list's largest page

    public static Task<ChannelMeasures> MeasuresAsync(this HotlineApi api, string channel, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        api.GetAsync<ChannelMeasures>(HotlineService.Escalation,
            $"api/escalation-measures?channel={Uri.EscapeDataString(channel)}&from={Moment(from)}&to={Moment(to)}", cancellationToken);

    /// <summary>The channel's open incidents, status by status (the list filters on one status at a time), page by page.</summary>
    public static async Task<OpenIncidents> OpenIncidentsAsync(this HotlineApi api, string channel, CancellationToken cancellationToken)
    {
        var items = new List<IncidentSummary>();
        var total = 0;
        foreach (var status in OpenStatuses)
        {
            var filter = new IncidentFilter(channel, status, Severity: null, Mineral: null, ReportingParty: null, Text: null);
            for (var page = 1; page <= MaxPagesPerStatus; page++)
            {
                var answer = await api.IncidentsAsync(filter, page, PageSize, cancellationToken);
                items.AddRange(answer.Items);
                if (page == 1)
                {
                    total += answer.TotalCount;
                }

                if (answer.Items.Count < PageSize || page * PageSize >= answer.TotalCount)
                {
                    break;
                }
            }
        }

        return new OpenIncidents(items, total);
    }

    private static string Moment(DateTimeOffset moment) =>
        Uri.EscapeDataString(moment.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
}
