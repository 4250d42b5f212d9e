using FluentValidation;
using HotlineSystem.Contracts;
using HotlineSystem.Incidents.Data;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineSystem.Incidents.Features;

/// <summary>A comment for both parties (Shared) or for the author's own party only (Internal).</summary>
public sealed record CommentRequest(string Text, Visibility? Visibility);

public sealed class CommentValidator : AbstractValidator<CommentRequest>
{
    public CommentValidator()
    {
        RuleFor(r => r.Text).NotEmpty().MaximumLength(TextLimits.Comment).PlainText(allowLineBreaks: true);
        RuleFor(r => r.Visibility).NotNull().IsInEnum();
    }
}

internal static class CommentOnIncident
{
    /// <summary>Comments append to the timeline without changing the incident's version: no If-Match needed.</summary>
    public static async Task<Results<Created<TimelineEntryView>, ProblemHttpResult>> Handle(
        Guid id, CommentRequest request, IncidentsDbContext db, TimeProvider time, HttpContext http)
    {
        var actor = IncidentAccess.ActorOf(http.User);
        var incident = await IncidentAccess.FindVisibleAsync(db, id, actor.Party, withTimeline: false, http.RequestAborted);
        if (incident is null)
        {
            return Problems.NotFound("incident");
        }

        var entry = incident.Comment(request.Text, request.Visibility!.Value, actor, time.GetUtcNow());
        await db.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Created($"/api/incidents/{id}",
            new TimelineEntryView(entry.Id, entry.Kind, entry.ActorUserId, entry.ActorParty, entry.Source, entry.OccurredAt, entry.Visibility, null, null, entry.Text));
    }
}
