using FluentValidation;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.ActionItems;

/// <summary>A co-chair records what a meeting asked of a delegate, by when; a retry with the same request id records nothing more.</summary>
public sealed record AssignActionItemRequest(Guid RequestId, string Title, string OwnerUserId, DateTimeOffset? DueAt, Guid? AgendaItemId);

public sealed record ListActionItemsQuery(ActionItemStatus? Status, string? OwnerParty, int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 100;
}

public sealed record ActionItemStatusRequest(ActionItemStatus? Status);

public sealed record ProgressNoteRequest(string Text);

/// <summary>A co-chair proposes a new due time, or agrees to the other co-chair's proposal of the same time.</summary>
public sealed record DueDateRequest(DateTimeOffset? DueAt);

public sealed record ProgressNoteView(string Party, string UserId, string Text, DateTimeOffset At);

public sealed record ActionItemView(
    Guid Id, Guid MeetingId, Guid? AgendaItemId, string Channel, string Title, string OwnerParty, string OwnerUserId, string OwnerName,
    DateTimeOffset DueAt, IReadOnlyList<LocalTime> LocalDue, ActionItemStatus Status, bool Overdue, IReadOnlyList<ProgressNoteView> Notes,
    DateTimeOffset? ProposedDueAt, string? ProposedBy, int Version);

public sealed class AssignActionItemValidator : AbstractValidator<AssignActionItemRequest>
{
    public AssignActionItemValidator(TimeProvider time)
    {
        RuleFor(r => r.RequestId).NotEmpty();
        RuleFor(r => r.Title).NotEmpty().MaximumLength(CommitteeTextLimits.Title).PlainText();
        RuleFor(r => r.OwnerUserId).NotEmpty().MaximumLength(100);
        RuleFor(r => r.DueAt).Cascade(CascadeMode.Stop).NotNull().WithinDomainDates()
            .Must(at => at > time.GetUtcNow()).WithErrorCode("date-in-past").WithMessage("An action item falls due in the future.");
    }
}

public sealed class ListActionItemsValidator : AbstractValidator<ListActionItemsQuery>
{
    public ListActionItemsValidator()
    {
        this.PageRules(ListActionItemsQuery.MaxPageSize);
        RuleFor(q => q.Status).IsInEnum();
    }
}

public sealed class ActionItemStatusValidator : AbstractValidator<ActionItemStatusRequest>
{
    public ActionItemStatusValidator() => RuleFor(r => r.Status).NotNull().IsInEnum();
}

public sealed class ProgressNoteValidator : AbstractValidator<ProgressNoteRequest>
{
    public ProgressNoteValidator() => RuleFor(r => r.Text).NotEmpty().MaximumLength(CommitteeTextLimits.Position).PlainText(allowLineBreaks: true);
}

public sealed class DueDateValidator : AbstractValidator<DueDateRequest>
{
    public DueDateValidator(TimeProvider time) =>
        RuleFor(r => r.DueAt).Cascade(CascadeMode.Stop).NotNull().WithinDomainDates()
            .Must(at => at > time.GetUtcNow()).WithErrorCode("date-in-past").WithMessage("An action item falls due in the future.");
}

internal static class ActionItemEndpoints
{
    public static async Task<Results<Created<ActionItemView>, Ok<ActionItemView>, ProblemHttpResult>> Assign(
        Guid meetingId, AssignActionItemRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var actor = CommitteeAccess.ActorOf(http.User);
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken) is not { } meeting || !http.User.Sees(meeting))
        {
            return Problems.NotFound("meeting");
        }

        if (await db.ActionItems.AsNoTracking().SingleOrDefaultAsync(i => i.RequestId == request.RequestId, cancellationToken) is { } existing)
        {
            if (existing.MeetingId != meetingId)
            {
                return Problems.Conflict("request-id-used", "This request id was used for another request; send a new one.");
            }

            http.SetETag(existing.Version);
            http.Response.Headers.Location = $"/api/action-items/{existing.Id}";
            return TypedResults.Ok(await db.ViewAsync(existing, time, cancellationToken));
        }

        var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == meeting.Channel, cancellationToken);
        if (committee.DelegateOf(request.OwnerUserId) is null)
        {
            return Problems.Validation("ownerUserId", "not-a-delegate", $"'{request.OwnerUserId}' does not sit on a delegation to this committee.");
        }

        if (request.AgendaItemId is { } itemId && !await db.AgendaItems.AnyAsync(i => i.Id == itemId && i.MeetingId == meetingId, cancellationToken))
        {
            return Problems.Validation("agendaItemId", "unknown-agenda-item", "Name an item of this meeting's agenda.");
        }

        var item = ActionItem.Assign(request.RequestId, committee, meeting, request.AgendaItemId, request.Title, request.OwnerUserId, request.DueAt!.Value, actor, time.GetUtcNow());
        db.ActionItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        http.SetETag(item.Version);
        return TypedResults.Created($"/api/action-items/{item.Id}", await db.ViewAsync(item, time, cancellationToken));
    }

    public static async Task<Results<Ok<PagedList<ActionItemView>>, ProblemHttpResult>> List(
        string channel, [AsParameters] ListActionItemsQuery query, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } committee)
        {
            return Problems.NotFound("committee");
        }

        var items = db.ActionItems.AsNoTracking().Where(i => i.Channel == committee.Channel);
        if (query.Status is not null) items = items.Where(i => i.Status == query.Status);
        if (query.OwnerParty is not null) items = items.Where(i => i.OwnerParty == query.OwnerParty);
        var page = await items.OrderBy(i => i.DueAt).ThenBy(i => i.Id).PageAsync(query, i => i, http.RequestAborted);
        var views = new List<ActionItemView>();
        foreach (var item in page.Items)
        {
            views.Add(await db.ViewAsync(item, time, http.RequestAborted));
        }

        return TypedResults.Ok(new PagedList<ActionItemView>(views, page.Page, page.PageSize, page.TotalCount));
    }

    public static async Task<Results<Ok<ActionItemView>, ProblemHttpResult>> Get(Guid actionItemId, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        if (await db.ActionItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == actionItemId, http.RequestAborted) is not { } item || !http.User.Sees(item))
        {
            return Problems.NotFound("action item");
        }

        http.SetETag(item.Version);
        return TypedResults.Ok(await db.ViewAsync(item, time, http.RequestAborted));
    }

    public static async Task<Results<Ok<ActionItemView>, ProblemHttpResult>> ChangeStatus(
        Guid actionItemId, ActionItemStatusRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(actionItemId, db, time, http, (item, committee, actor, now) => item.ChangeStatus(request.Status!.Value, committee, actor, now));

    public static async Task<Results<Ok<ActionItemView>, ProblemHttpResult>> AddNote(
        Guid actionItemId, ProgressNoteRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(actionItemId, db, time, http, (item, committee, actor, now) => item.AddNote(request.Text, committee, actor, now));

    public static async Task<Results<Ok<ActionItemView>, ProblemHttpResult>> ChangeDueDate(
        Guid actionItemId, DueDateRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(actionItemId, db, time, http, (item, committee, actor, now) => item.ChangeDueDate(request.DueAt!.Value, committee, actor, now));

    private static async Task<Results<Ok<ActionItemView>, ProblemHttpResult>> ChangeAsync(
        Guid actionItemId, CommitteeDbContext db, TimeProvider time, HttpContext http, Action<ActionItem, JointCommittee, CommitteeActor, DateTimeOffset> change) =>
        await CommitteeAccess.ChangeAsync(db, await db.ActionItems.FindAsync([actionItemId], http.RequestAborted), "action item", http, time, change,
            item => db.ViewAsync(item, time, http.RequestAborted));

    private static async Task<ActionItemView> ViewAsync(this CommitteeDbContext db, ActionItem item, TimeProvider time, CancellationToken cancellationToken)
    {
        var names = await db.DisplayNamesAsync([item.OwnerUserId], cancellationToken);
        var local = await db.LocalTimesAsync(item.Channel, item.DueAt, cancellationToken);
        return new ActionItemView(
            item.Id, item.MeetingId, item.AgendaItemId, item.Channel, item.Title, item.OwnerParty, item.OwnerUserId, names.GetValueOrDefault(item.OwnerUserId, item.OwnerUserId),
            item.DueAt, local, item.Status, !item.IsClosed && time.GetUtcNow() > item.DueAt,
            [.. item.Notes.Select(n => new ProgressNoteView(n.Party, n.UserId, n.Text, n.At))], item.ProposedDueAt, item.ProposedBy, item.Version);
    }
}
