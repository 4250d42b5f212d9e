using FluentValidation;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Decisions;

/// <summary>
/// A co-chair records what the meeting agreed, linked to items of its agenda, naming the parties
/// whose governments must still approve it; a retry with the same request id records nothing more.
/// </summary>
public sealed record RecordDecisionRequest(Guid RequestId, string Title, string Text, IReadOnlyList<Guid>? AgendaItems, IReadOnlyList<string>? NeedsApprovalOf);

public sealed record ListDecisionsQuery(int? Year, string? PendingApprovalOf, int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 100;
}

/// <summary>A co-chair records that their own government approved or refused the decision, and on what day.</summary>
public sealed record DomesticApprovalRequest(DomesticApproval? Approval, DateOnly? On);

public sealed record DecisionAgendaItemView(Guid Id, string Title, AgendaItemStatus Status);

public sealed record PartyApprovalView(string Party, DomesticApproval Approval, DateOnly? On, string? RecordedBy);

public sealed record DecisionView(
    Guid Id, string Number, Guid MeetingId, int MeetingNumber, string Channel, string Title, string Text,
    IReadOnlyList<DecisionAgendaItemView> AgendaItems, IReadOnlyList<PartyApprovalView> Approvals,
    string RecordedBy, DateTimeOffset RecordedAt, int Version);

public sealed class RecordDecisionValidator : AbstractValidator<RecordDecisionRequest>
{
    public const int MaxAgendaItems = 50;

    public RecordDecisionValidator()
    {
        RuleFor(r => r.RequestId).NotEmpty();
        RuleFor(r => r.Title).NotEmpty().MaximumLength(CommitteeTextLimits.Title).PlainText();
        RuleFor(r => r.Text).NotEmpty().MaximumLength(CommitteeTextLimits.Position).PlainText(allowLineBreaks: true);
        RuleFor(r => r.AgendaItems).Must(items => items is null || items.Count <= MaxAgendaItems)
            .WithErrorCode("too-many").WithMessage($"A decision names at most {MaxAgendaItems} agenda items.");
        RuleForEach(r => r.AgendaItems).NotEmpty();
        RuleFor(r => r.NeedsApprovalOf).Must(parties => parties is null || parties.Count <= 2)
            .WithErrorCode("too-many").WithMessage("A decision names at most the committee's two parties.");
        RuleForEach(r => r.NeedsApprovalOf).Must(ChannelCode.IsPartyCode).WithErrorCode("invalid-party").WithMessage("A party is a two-letter code.");
    }
}

public sealed class ListDecisionsValidator : AbstractValidator<ListDecisionsQuery>
{
    public ListDecisionsValidator()
    {
        this.PageRules(ListDecisionsQuery.MaxPageSize);
        RuleFor(q => q.Year).InclusiveBetween(2000, 2200);
        RuleFor(q => q.PendingApprovalOf).Must(party => party is null || ChannelCode.IsPartyCode(party))
            .WithErrorCode("invalid-party").WithMessage("A party is a two-letter code.");
    }
}

public sealed class DomesticApprovalValidator : AbstractValidator<DomesticApprovalRequest>
{
    public DomesticApprovalValidator()
    {
        RuleFor(r => r.Approval).Cascade(CascadeMode.Stop).NotNull().IsInEnum()
            .Must(a => a is DomesticApproval.Approved or DomesticApproval.Refused)
            .WithErrorCode("invalid-approval").WithMessage("A government approves or refuses a decision.");
        RuleFor(r => r.On).NotNull();
    }
}

internal static class DecisionEndpoints
{
    /// <summary>Records the committee's next decision of the meeting's year (see <see cref="Numbering"/>), or answers with the one this request id recorded (200).</summary>
    public static async Task<Results<Created<DecisionView>, Ok<DecisionView>, ProblemHttpResult>> Record(
        Guid meetingId, RecordDecisionRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var actor = CommitteeAccess.ActorOf(http.User);
        var agendaItems = request.AgendaItems ?? [];
        Meeting meeting = null!;
        return await db.SaveNextNumberedAsync<Results<Created<DecisionView>, Ok<DecisionView>, ProblemHttpResult>>(
            answered: async () =>
            {
                if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken) is not { } found || !http.User.Sees(found))
                {
                    return Problems.NotFound("meeting");
                }

                meeting = found;
                if (await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.RequestId == request.RequestId, cancellationToken) is { } existing)
                {
                    if (existing.MeetingId != meetingId || existing.RecordedBy != actor.UserId)
                    {
                        return Problems.Conflict("request-id-used", "This request id was used for another request; send a new one.");
                    }

                    http.SetETag(existing.Version);
                    http.Response.Headers.Location = $"/api/decisions/{existing.Id}";
                    return TypedResults.Ok(await db.ViewAsync(existing, cancellationToken));
                }

                var onAgenda = (await db.AgendaItems.AsNoTracking().Where(i => i.MeetingId == meetingId && agendaItems.Contains(i.Id)).ToListAsync(cancellationToken))
                    .Where(i => i.OnAgenda).Select(i => i.Id).ToHashSet();
                for (var index = 0; index < agendaItems.Count; index++)
                {
                    if (!onAgenda.Contains(agendaItems[index]))
                    {
                        return Problems.Validation($"agendaItems[{index}]", "unknown-agenda-item", "Name an item on this meeting's agenda.");
                    }
                }

                return null;
            },
            numberAndSave: async () =>
            {
                var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == meeting.Channel, cancellationToken);
                var year = meeting.StartsAt.UtcDateTime.Year;
                var sequence = 1 + (await db.Decisions.Where(d => d.CommitteeId == committee.Id && d.Year == year).MaxAsync(d => (int?)d.Sequence, cancellationToken) ?? 0);
                var decision = Decision.Record(request.RequestId, committee, meeting, sequence, request.Title, request.Text, agendaItems,
                    request.NeedsApprovalOf ?? [], actor, time.GetUtcNow());
                db.Decisions.Add(decision);
                await db.SaveChangesAsync(cancellationToken);
                http.SetETag(decision.Version);
                return TypedResults.Created($"/api/decisions/{decision.Id}", await db.ViewAsync(decision, cancellationToken));
            },
            tooBusy: () => Problems.Conflict("concurrent-change", "Other decisions were recorded at the same moment; send the request again."));
    }

    public static async Task<Results<Ok<PagedList<DecisionView>>, ProblemHttpResult>> List(
        string channel, [AsParameters] ListDecisionsQuery query, CommitteeDbContext db, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } committee)
        {
            return Problems.NotFound("committee");
        }

        var decisions = db.Decisions.AsNoTracking().Where(d => d.CommitteeId == committee.Id);
        if (query.Year is { } year) decisions = decisions.Where(d => d.Year == year);
        var all = await decisions.OrderByDescending(d => d.Year).ThenByDescending(d => d.Sequence).ToListAsync(http.RequestAborted);

        // Approvals are a JSON column: filtered here, among one committee's decisions.
        if (query.PendingApprovalOf is { } party)
        {
            all = [.. all.Where(d => d.Approvals.Any(a => a.Party == party && a.Approval == DomesticApproval.Needed))];
        }

        var page = all.Page(query, d => d);
        var views = new List<DecisionView>();
        foreach (var decision in page.Items)
        {
            views.Add(await db.ViewAsync(decision, http.RequestAborted));
        }

        return TypedResults.Ok(new PagedList<DecisionView>(views, page.Page, page.PageSize, page.TotalCount));
    }

    public static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> Get(Guid decisionId, CommitteeDbContext db, HttpContext http)
    {
        if (await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, http.RequestAborted) is not { } decision || !http.User.Sees(decision))
        {
            return Problems.NotFound("decision");
        }

        http.SetETag(decision.Version);
        return TypedResults.Ok(await db.ViewAsync(decision, http.RequestAborted));
    }

    public static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> RecordDomesticApproval(
        Guid decisionId, DomesticApprovalRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await CommitteeAccess.ChangeAsync(db, await db.Decisions.FindAsync([decisionId], http.RequestAborted), "decision", http, time,
            (decision, committee, actor, now) => decision.RecordDomesticApproval(request.Approval!.Value, request.On!.Value, committee, actor, now),
            decision => db.ViewAsync(decision, http.RequestAborted));

    private static async Task<DecisionView> ViewAsync(this CommitteeDbContext db, Decision decision, CancellationToken cancellationToken)
    {
        var meetingNumber = await db.Meetings.Where(m => m.Id == decision.MeetingId).Select(m => m.Number).SingleAsync(cancellationToken);
        var items = await db.AgendaItems.AsNoTracking().Where(i => decision.AgendaItems.Contains(i.Id))
            .Select(i => new DecisionAgendaItemView(i.Id, i.Title, i.Status)).ToListAsync(cancellationToken);
        return new DecisionView(
            decision.Id, decision.Number, decision.MeetingId, meetingNumber, decision.Channel, decision.Title, decision.Text,
            [.. decision.AgendaItems.Select(id => items.Single(i => i.Id == id))],
            [.. decision.Approvals.Select(a => new PartyApprovalView(a.Party, a.Approval, a.On, a.RecordedBy))],
            decision.RecordedBy, decision.RecordedAt, decision.Version);
    }
}
