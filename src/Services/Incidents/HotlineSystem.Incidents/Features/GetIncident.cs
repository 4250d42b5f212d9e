using HotlineSystem.Incidents.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineSystem.Incidents.Features;

internal static class GetIncident
{
    /// <summary>One incident with its timeline, as the reader's party may see it; ETag carries the version.</summary>
    public static async Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> Handle(Guid id, IncidentsDbContext db, HttpContext http)
    {
        var party = CurrentUser.From(http.User).Party;
        var incident = await IncidentAccess.FindVisibleAsync(db, id, party, withTimeline: true, http.RequestAborted);
        if (incident is null)
        {
            return Problems.NotFound("incident");
        }

        http.Response.Headers.ETag = incident.ETag();
        return TypedResults.Ok(incident.ToDetails(party));
    }
}
