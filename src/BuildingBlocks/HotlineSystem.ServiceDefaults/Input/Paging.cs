using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>One page of a list: the one paging shape of every list the services answer.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

/// <summary>A list query's page and page size, both optional (page 1 of <see cref="Paging.DefaultPageSize"/>).</summary>
public interface IPageQuery
{
    int? Page { get; }

    int? PageSize { get; }
}

public static class Paging
{
    public const int DefaultPageSize = 20;

    /// <summary>The page rules of a list query: page from 1, a page size up to <paramref name="maxPageSize"/>.</summary>
    public static void PageRules<T>(this AbstractValidator<T> validator, int maxPageSize) where T : IPageQuery
    {
        validator.RuleFor(q => q.Page).GreaterThanOrEqualTo(1).When(q => q.Page is not null);
        // Beyond this the row offset, (page - 1) * pageSize, would overflow an int.
        validator.RuleFor(q => q.Page).LessThanOrEqualTo(int.MaxValue / maxPageSize).When(q => q.Page is not null);
        validator.RuleFor(q => q.PageSize).InclusiveBetween(1, maxPageSize).When(q => q.PageSize is not null);
    }

    /// <summary>The asked page of an ordered query, with the total count.</summary>
    public static async Task<PagedList<TView>> PageAsync<T, TView>(
        this IOrderedQueryable<T> ordered, IPageQuery query, Func<T, TView> view, CancellationToken cancellationToken)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? DefaultPageSize;
        var total = await ordered.CountAsync(cancellationToken);
        var items = await ordered.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedList<TView>(items.Select(view).ToList(), page, pageSize, total);
    }

    /// <summary>The asked page of a list already in memory (filtered where the database cannot), with the total count.</summary>
    public static PagedList<TView> Page<T, TView>(this IReadOnlyList<T> ordered, IPageQuery query, Func<T, TView> view)
    {
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? DefaultPageSize;
        return new PagedList<TView>([.. ordered.Skip((page - 1) * pageSize).Take(pageSize).Select(view)], page, pageSize, ordered.Count);
    }
}
