using FluentValidation;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Agenda;

/// <summary>
/// A delegate proposes an item for a meeting: title and description in a language (their party's
/// working language when not given), optionally linking Shared supply incidents of the same channel.
/// </summary>
public sealed record ProposeAgendaItemRequest(Guid RequestId, string Title, string Description, string? Language, IReadOnlyList<Guid>? Incidents);

public sealed record AgendaItemStatusRequest(AgendaItemStatus? Status);

public sealed record ArrangementRequest(int? Position, int? AllottedMinutes);

public sealed record CarryOverRequest(Guid MeetingId);

/// <summary>The caller's party's position on an item; Internal (its own party only) unless Shared is asked.</summary>
public sealed record PositionRequest(string Text, Visibility? Visibility);

public sealed class ProposeAgendaItemValidator : AbstractValidator<ProposeAgendaItemRequest>
{
    public const int MaxIncidents = 20;

    public ProposeAgendaItemValidator()
    {
        RuleFor(r => r.RequestId).NotEmpty();
        RuleFor(r => r.Title).NotEmpty().MaximumLength(CommitteeTextLimits.Title).PlainText();
        RuleFor(r => r.Description).NotEmpty().MaximumLength(CommitteeTextLimits.Description).PlainText(allowLineBreaks: true);
        RuleFor(r => r.Language!).MaximumLength(16).When(r => r.Language is not null);
        RuleFor(r => r.Incidents).Must(i => i is null || (i.Count <= MaxIncidents && i.Distinct().Count() == i.Count))
            .WithErrorCode("invalid-list").WithMessage($"Link at most {MaxIncidents} incidents, each once.");
        RuleForEach(r => r.Incidents).NotEmpty();
    }
}

public sealed class AgendaItemStatusValidator : AbstractValidator<AgendaItemStatusRequest>
{
    public AgendaItemStatusValidator() => RuleFor(r => r.Status).NotNull().IsInEnum();
}

public sealed class ArrangementValidator : AbstractValidator<ArrangementRequest>
{
    public ArrangementValidator()
    {
        RuleFor(r => r.Position).NotNull().InclusiveBetween(1, 500);
        RuleFor(r => r.AllottedMinutes).InclusiveBetween(1, 24 * 60).When(r => r.AllottedMinutes is not null);
    }
}

public sealed class CarryOverValidator : AbstractValidator<CarryOverRequest>
{
    public CarryOverValidator() => RuleFor(r => r.MeetingId).NotEmpty();
}

public sealed class PositionValidator : AbstractValidator<PositionRequest>
{
    public PositionValidator()
    {
        RuleFor(r => r.Text).NotEmpty().MaximumLength(CommitteeTextLimits.Position).PlainText(allowLineBreaks: true);
        RuleFor(r => r.Visibility).IsInEnum();
    }
}

internal static class AgendaEndpoints
{
    /// <summary>Proposes the item, or answers with the one already proposed with this request id (200).</summary>
    public static async Task<Results<Created<AgendaItemDetails>, Ok<AgendaItemDetails>, ProblemHttpResult>> Propose(
        Guid meetingId, ProposeAgendaItemRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var actor = CommitteeAccess.ActorOf(http.User);
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken) is not { } meeting || !http.User.Sees(meeting))
        {
            return Problems.NotFound("meeting");
        }

        if (await db.AgendaItems.AsNoTracking().SingleOrDefaultAsync(i => i.RequestId == request.RequestId, cancellationToken) is { } existing)
        {
            return await ExistingAsync(existing, actor, db, http);
        }

        var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == meeting.Channel, cancellationToken);
        var languages = await db.Parties.AsNoTracking().Where(p => committee.ChannelCode.Parties.Contains(p.Code))
            .ToDictionaryAsync(p => p.Code, p => p.WorkingLanguage, cancellationToken);
        var language = request.Language ?? languages.GetValueOrDefault(actor.Party, "en");
        if (language != "en" && !languages.ContainsValue(language))
        {
            return Problems.Validation("language", "unknown-language", $"'{language}' is not a working language of this channel's parties, nor 'en'.");
        }

        // Only Shared incidents of this channel are linked; any other is unknown here (no existence leak).
        var incidents = request.Incidents ?? [];
        var known = await db.LinkedIncidents.AsNoTracking()
            .Where(i => incidents.Contains(i.IncidentId) && i.Channel == meeting.Channel && i.Title != null)
            .Select(i => i.IncidentId).ToListAsync(cancellationToken);
        var unknown = incidents.Select((incident, i) => (incident, i)).Where(x => !known.Contains(x.incident))
            .Select(x => new FieldError($"incidents[{x.i}]", "unknown-incident", $"'{x.incident}' is not a Shared incident of channel {meeting.Channel}.")).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Validation(unknown);
        }

        var item = AgendaItem.Propose(request.RequestId, committee, meeting, new AgendaItemText(request.Title, request.Description, language, incidents), actor, time.GetUtcNow());
        db.AgendaItems.Add(item);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same request raced in on another connection and won: answer with its item.
            db.ChangeTracker.Clear();
            var winner = await db.AgendaItems.AsNoTracking().SingleOrDefaultAsync(i => i.RequestId == request.RequestId, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return await ExistingAsync(winner, actor, db, http);
        }

        http.SetETag(item.Version);
        return TypedResults.Created($"/api/agenda-items/{item.Id}", await db.DetailsAsync(item, actor.Party, cancellationToken));
    }

    private static async Task<Results<Created<AgendaItemDetails>, Ok<AgendaItemDetails>, ProblemHttpResult>> ExistingAsync(
        AgendaItem existing, CommitteeActor actor, CommitteeDbContext db, HttpContext http)
    {
        if (existing.ProposedBy != actor.UserId)
        {
            return Problems.Conflict("request-id-used", "This request id was used for another request; send a new one.");
        }

        http.SetETag(existing.Version);
        http.Response.Headers.Location = $"/api/agenda-items/{existing.Id}";
        return TypedResults.Ok(await db.DetailsAsync(existing, actor.Party, http.RequestAborted));
    }

    public static async Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> Get(Guid agendaItemId, CommitteeDbContext db, HttpContext http)
    {
        if (await db.AgendaItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == agendaItemId, http.RequestAborted) is not { } item || !http.User.Sees(item))
        {
            return Problems.NotFound("agenda item");
        }

        http.SetETag(item.Version);
        return TypedResults.Ok(await db.DetailsAsync(item, CommitteeAccess.ActorOf(http.User).Party, http.RequestAborted));
    }

    /// <summary>The item's whole history across meetings: back to where it was first proposed, on to where it was last carried.</summary>
    public static async Task<Results<Ok<AgendaItemHistory>, ProblemHttpResult>> History(Guid agendaItemId, CommitteeDbContext db, HttpContext http)
    {
        if (await db.AgendaItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == agendaItemId, http.RequestAborted) is not { } item || !http.User.Sees(item))
        {
            return Problems.NotFound("agenda item");
        }

        var lineage = new List<AgendaItem> { item };
        for (var from = item.CarriedOverFrom; from is not null && lineage.Count < 100;)
        {
            var earlier = await db.AgendaItems.AsNoTracking().SingleAsync(i => i.Id == from, http.RequestAborted);
            lineage.Insert(0, earlier);
            from = earlier.CarriedOverFrom;
        }

        for (var to = item.CarriedOverTo; to is not null && lineage.Count < 100;)
        {
            var later = await db.AgendaItems.AsNoTracking().SingleAsync(i => i.Id == to, http.RequestAborted);
            lineage.Add(later);
            to = later.CarriedOverTo;
        }

        var meetingIds = lineage.Select(i => i.MeetingId).ToList();
        var meetings = await db.Meetings.AsNoTracking().Where(m => meetingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, http.RequestAborted);
        return TypedResults.Ok(new AgendaItemHistory(agendaItemId, [.. lineage.Select(i =>
            new AgendaItemStep(i.Id, i.MeetingId, meetings[i.MeetingId].Number, meetings[i.MeetingId].StartsAt, i.Title, i.Status, i.OnAgenda, i.ProposedAt))]));
    }

    public static async Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> Agree(Guid agendaItemId, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var item = await db.AgendaItems.FindAsync([agendaItemId], http.RequestAborted);
        var meeting = item is null ? null : await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == item.MeetingId, http.RequestAborted);
        return await ChangeAsync(item, db, time, http, (i, committee, actor, now) => i.Agree(committee, meeting!, actor, now));
    }

    public static async Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> Withdraw(Guid agendaItemId, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(await db.AgendaItems.FindAsync([agendaItemId], http.RequestAborted), db, time, http,
            (item, committee, actor, now) => item.Withdraw(committee, actor, now));

    public static async Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> RecordStatus(
        Guid agendaItemId, AgendaItemStatusRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(await db.AgendaItems.FindAsync([agendaItemId], http.RequestAborted), db, time, http,
            (item, committee, actor, now) => item.Record(request.Status!.Value, committee, actor, now));

    public static async Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> Arrange(
        Guid agendaItemId, ArrangementRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(await db.AgendaItems.FindAsync([agendaItemId], http.RequestAborted), db, time, http,
            (item, committee, actor, now) => item.Arrange(request.Position!.Value, request.AllottedMinutes, committee, actor, now));

    public static async Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> RecordPosition(
        Guid agendaItemId, PositionRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(await db.AgendaItems.FindAsync([agendaItemId], http.RequestAborted), db, time, http,
            (item, committee, actor, now) => item.RecordPosition(request.Text, request.Visibility ?? Visibility.Internal, committee, actor, now));

    /// <summary>A co-chair carries the item over to a later meeting: 201 with the new item, which names this one.</summary>
    public static async Task<Results<Created<AgendaItemDetails>, ProblemHttpResult>> CarryOver(
        Guid agendaItemId, CarryOverRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var item = await db.AgendaItems.FindAsync([agendaItemId], http.RequestAborted);
        var from = item is null ? null : await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == item.MeetingId, http.RequestAborted);
        var to = await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == request.MeetingId, http.RequestAborted);
        if (item is not null && http.User.Sees(item) && (to is null || to.Channel != item.Channel))
        {
            return Problems.Validation("meetingId", "unknown-meeting", "Name a later meeting of the same committee.");
        }

        AgendaItem? next = null;
        var result = await CommitteeAccess.ChangeAsync(db, item, "agenda item", http, time,
            (i, committee, actor, now) => db.AgendaItems.Add(next = i.CarryOver(committee, from!, to!, actor, now)),
            i => Task.FromResult(i.Id));
        if (result.Result is ProblemHttpResult problem)
        {
            return problem;
        }

        http.SetETag(next!.Version);
        return TypedResults.Created($"/api/agenda-items/{next.Id}", await db.DetailsAsync(next, CommitteeAccess.ActorOf(http.User).Party, http.RequestAborted));
    }

    private static Task<Results<Ok<AgendaItemDetails>, ProblemHttpResult>> ChangeAsync(
        AgendaItem? item, CommitteeDbContext db, TimeProvider time, HttpContext http, Action<AgendaItem, JointCommittee, CommitteeActor, DateTimeOffset> change) =>
        CommitteeAccess.ChangeAsync(db, item, "agenda item", http, time, change,
            i => db.DetailsAsync(i, CommitteeAccess.ActorOf(http.User).Party, http.RequestAborted));
}
