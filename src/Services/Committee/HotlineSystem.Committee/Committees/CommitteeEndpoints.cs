using FluentValidation;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Committees;

public sealed record ListCommitteesQuery(int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 50;
}

public sealed record DelegateEntry(string UserId, DelegateRole? Role);

/// <summary>A party's whole delegation: exactly one co-chair, each person once.</summary>
public sealed record DelegationRequest(IReadOnlyList<DelegateEntry> Delegates);

public sealed class ListCommitteesValidator : AbstractValidator<ListCommitteesQuery>
{
    public ListCommitteesValidator() => this.PageRules(ListCommitteesQuery.MaxPageSize);
}

public sealed class DelegationValidator : AbstractValidator<DelegationRequest>
{
    public DelegationValidator()
    {
        RuleFor(r => r.Delegates).NotEmpty().Must(d => d is null || d.Count <= CommitteeTextLimits.Delegation)
            .WithErrorCode("invalid-list").WithMessage($"A delegation has at most {CommitteeTextLimits.Delegation} people.");
        RuleForEach(r => r.Delegates).ChildRules(entry =>
        {
            entry.RuleFor(e => e.UserId).NotEmpty().MaximumLength(100);
            entry.RuleFor(e => e.Role).NotNull().IsInEnum();
        });
    }
}

internal static class CommitteeEndpoints
{
    public static async Task<Ok<PagedList<CommitteeDetails>>> List([AsParameters] ListCommitteesQuery query, CommitteeDbContext db, HttpContext http)
    {
        var party = CurrentUser.From(http.User).Party;
        // A channel code names its two parties: "KR-CN" is the caller's when it starts or ends with their code.
        var page = await db.Committees.AsNoTracking()
            .Where(c => c.Channel.StartsWith(party + "-") || c.Channel.EndsWith("-" + party))
            .OrderBy(c => c.Channel).PageAsync(query, c => c, http.RequestAborted);
        var items = new List<CommitteeDetails>();
        foreach (var committee in page.Items)
        {
            items.Add(await db.DetailsAsync(committee, http.RequestAborted));
        }

        return TypedResults.Ok(new PagedList<CommitteeDetails>(items, page.Page, page.PageSize, page.TotalCount));
    }

    public static async Task<Results<Ok<CommitteeDetails>, ProblemHttpResult>> Get(string channel, CommitteeDbContext db, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } committee)
        {
            return Problems.NotFound("committee");
        }

        http.SetETag(committee.Version);
        return TypedResults.Ok(await db.DetailsAsync(committee, http.RequestAborted));
    }

    /// <summary>Who of the caller's party may sit on a delegation: active committee members and co-chairs.</summary>
    public static async Task<Results<Ok<IReadOnlyList<PersonView>>, ProblemHttpResult>> Candidates(string channel, CommitteeDbContext db, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is null)
        {
            return Problems.NotFound("committee");
        }

        var party = CurrentUser.From(http.User).Party;
        var people = await db.People.AsNoTracking().Where(p => p.Party == party && p.Active).ToListAsync(http.RequestAborted);
        IReadOnlyList<PersonView> candidates = [.. people
            .Where(p => p.Holds(party, HotlineRoles.CommitteeMember) || p.Holds(party, HotlineRoles.CoChair))
            .OrderBy(p => p.DisplayName, StringComparer.CurrentCulture)
            .Select(p => new PersonView(p.UserId, p.DisplayName))];
        return TypedResults.Ok(candidates);
    }

    /// <summary>
    /// An administrator sets their own party's delegation. Each delegate is an active committee member
    /// or co-chair of the party; the co-chair holds the CoChair role.
    /// </summary>
    public static async Task<Results<Ok<CommitteeDetails>, ProblemHttpResult>> SetDelegation(
        string channel, string party, DelegationRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } committee || !http.User.IsOwn(party))
        {
            return Problems.NotFound("delegation of your party");
        }

        var expected = http.Request.IfMatchVersion();
        if (expected is null)
        {
            return Problems.PreconditionRequired();
        }

        if (expected != committee.Version)
        {
            return Problems.PreconditionFailed(committee.Version);
        }

        var ids = request.Delegates.Select(d => d.UserId).ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, http.RequestAborted);
        var errors = new List<FieldError>();
        for (var i = 0; i < request.Delegates.Count; i++)
        {
            var entry = request.Delegates[i];
            var person = people.GetValueOrDefault(entry.UserId);
            if (person is null || !(person.Holds(party, HotlineRoles.CommitteeMember) || person.Holds(party, HotlineRoles.CoChair)))
            {
                errors.Add(new FieldError($"delegates[{i}].userId", "unknown-person", $"'{entry.UserId}' is not an active committee member or co-chair of {party}."));
            }
            else if (entry.Role == DelegateRole.CoChair && !person.Holds(party, HotlineRoles.CoChair))
            {
                errors.Add(new FieldError($"delegates[{i}].role", "not-co-chair", $"'{entry.UserId}' does not hold the CoChair role."));
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        committee.SetDelegation(party, [.. request.Delegates.Select(d => (d.UserId, d.Role!.Value))], CommitteeAccess.ActorOf(http.User), time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.Committees.AsNoTracking().Where(c => c.Id == committee.Id).Select(c => c.Version).SingleAsync(http.RequestAborted);
            return Problems.PreconditionFailed(current);
        }

        http.SetETag(committee.Version);
        return TypedResults.Ok(await db.DetailsAsync(committee, http.RequestAborted));
    }
}
