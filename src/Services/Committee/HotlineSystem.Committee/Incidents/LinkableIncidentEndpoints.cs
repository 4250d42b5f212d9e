using FluentValidation;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Incidents;

public sealed record ListLinkableIncidentsQuery(int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 100;
}

public sealed class ListLinkableIncidentsValidator : AbstractValidator<ListLinkableIncidentsQuery>
{
    public ListLinkableIncidentsValidator() => this.PageRules(ListLinkableIncidentsQuery.MaxPageSize);
}

internal static class LinkableIncidentEndpoints
{
    /// <summary>
    /// The channel's incidents an agenda item may name: the Shared ones whose report reached this
    /// service, the latest changed first. Committee members read them here, from the committee's own
    /// copy, without a right to the Incidents service's board.
    /// </summary>
    public static async Task<Results<Ok<PagedList<LinkedIncidentView>>, ProblemHttpResult>> List(
        string channel, [AsParameters] ListLinkableIncidentsQuery query, CommitteeDbContext db, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } committee)
        {
            return Problems.NotFound("committee");
        }

        return TypedResults.Ok(await db.LinkedIncidents.AsNoTracking()
            .Where(i => i.Channel == committee.Channel && i.Title != null)
            .OrderByDescending(i => i.UpdatedAt).ThenBy(i => i.IncidentId)
            .PageAsync(query, i => new LinkedIncidentView(i.IncidentId, i.Title, i.ReportingParty, i.Severity, i.Status), http.RequestAborted));
    }
}
