using System.Security.Claims;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Features;

/// <summary>What every incident use case needs: the acting user, the incident as they may see it, and a guarded save.</summary>
internal static class IncidentAccess
{
    /// <summary>The OpenID Connect client id of the officers' web console; everything else is the API.</summary>
    public const string WebConsoleClient = "hotline-web";

    public static Actor ActorOf(ClaimsPrincipal principal)
    {
        var user = CurrentUser.From(principal);
        var source = principal.FindFirstValue("client_id") == WebConsoleClient ? ChangeSource.Web : ChangeSource.Api;
        return new Actor(user.UserId, user.Party, source);
    }

    /// <summary>An incident on a channel of the reader's party, or null: a stranger's incident does not exist for them.</summary>
    public static async Task<Incident?> FindVisibleAsync(IncidentsDbContext db, Guid id, string party, bool withTimeline, CancellationToken cancellationToken)
    {
        var query = db.Incidents.Where(i => i.Id == id && (i.ReportingParty == party || i.CounterpartParty == party));
        if (withTimeline)
        {
            query = query.Include(i => i.Timeline);
        }

        return await query.SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// A change of state to an incident: found only if visible, applied only to the version the
    /// client last read (If-Match), saved with its timeline entry and outbox event in one transaction.
    /// A write that races another one fails on the version column and gets the same 412.
    /// </summary>
    public static async Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> ChangeAsync(
        IncidentsDbContext db, Guid id, HttpContext http, TimeProvider time, Action<Incident, Actor, DateTimeOffset> change)
    {
        var cancellationToken = http.RequestAborted;
        var actor = ActorOf(http.User);
        var expected = http.Request.IfMatchVersion();
        var incident = await FindVisibleAsync(db, id, actor.Party, withTimeline: false, cancellationToken);
        if (incident is null)
        {
            return Problems.NotFound("incident");
        }

        if (expected is null)
        {
            return Problems.PreconditionRequired();
        }

        if (expected != incident.Version)
        {
            return Problems.PreconditionFailed(incident.Version);
        }

        change(incident, actor, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => i.Version).SingleAsync(cancellationToken);
            return Problems.PreconditionFailed(current);
        }

        return await DetailsAsync(db, incident.Id, actor.Party, http);
    }

    public static async Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> DetailsAsync(IncidentsDbContext db, Guid id, string party, HttpContext http)
    {
        var incident = await db.Incidents.AsNoTracking().Include(i => i.Timeline).SingleAsync(i => i.Id == id, http.RequestAborted);
        http.Response.Headers.ETag = incident.ETag();
        return TypedResults.Ok(incident.ToDetails(party));
    }
}
