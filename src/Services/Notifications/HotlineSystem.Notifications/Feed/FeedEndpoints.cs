using FluentValidation;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// A page of the caller's feed. Without a cursor: the newest first; with Before: older than that;
/// with After: newer than that, oldest first (what a client without the hub uses to catch up).
/// </summary>
/// <summary>A page of the caller's feed; <c>kind</c> keeps one kind of entry (an official's inbox: EscalationTierReached).</summary>
public sealed record FeedQuery(long? Before, long? After, int? Limit, bool? UnreadOnly, FeedEntryKind? Kind)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
}

public sealed class FeedQueryValidator : AbstractValidator<FeedQuery>
{
    public FeedQueryValidator()
    {
        RuleFor(q => q.Before).GreaterThanOrEqualTo(1).When(q => q.Before is not null);
        RuleFor(q => q.After).GreaterThanOrEqualTo(0).When(q => q.After is not null);
        RuleFor(q => q.After).Null().When(q => q.Before is not null)
            .WithErrorCode("one-cursor").WithMessage("Give 'before' or 'after', not both.");
        RuleFor(q => q.Limit).InclusiveBetween(1, FeedQuery.MaxLimit).When(q => q.Limit is not null);
        RuleFor(q => q.Kind).Must(kind => kind != FeedEntryKind.Unknown).When(q => q.Kind is not null)
            .WithErrorCode("invalid-value").WithMessage("'kind' is a kind the feed holds: Unknown is only what an older client reads.");
    }
}

/// <summary>The entries of one page; NextBefore / NextAfter is the cursor of the next page, absent on the last.</summary>
public sealed record FeedPage(IReadOnlyList<FeedEntry> Entries, long? NextBefore, long? NextAfter);

public sealed record UnreadCount(int Unread, long LastSequence);

/// <summary>Mark read everything up to a sequence, or the listed sequences; exactly one of the two.</summary>
public sealed record MarkReadRequest(long? UpTo, IReadOnlyList<long>? Sequences)
{
    public const int MaxSequences = 500;
}

public sealed class MarkReadRequestValidator : AbstractValidator<MarkReadRequest>
{
    public MarkReadRequestValidator()
    {
        RuleFor(r => r).Must(r => (r.UpTo is null) != (r.Sequences is null)).OverridePropertyName("upTo")
            .WithErrorCode("one-of").WithMessage("Give 'upTo' or 'sequences', exactly one.");
        RuleFor(r => r.UpTo).GreaterThanOrEqualTo(1).When(r => r.UpTo is not null);
        RuleFor(r => r.Sequences!).NotEmpty().Must(s => s.Count <= MarkReadRequest.MaxSequences)
            .WithErrorCode("too-many").WithMessage($"At most {MarkReadRequest.MaxSequences} sequences at once.")
            .When(r => r.Sequences is not null);
        RuleForEach(r => r.Sequences).GreaterThanOrEqualTo(1).When(r => r.Sequences is not null);
    }
}

internal static class FeedEndpoints
{
    public static async Task<Ok<FeedPage>> List([AsParameters] FeedQuery query, NotificationsDbContext db, HttpContext http)
    {
        var userId = CurrentUser.From(http.User).UserId;
        var limit = query.Limit ?? FeedQuery.DefaultLimit;
        var entries = db.FeedEntries.AsNoTracking().Where(e => e.UserId == userId);
        if (query.UnreadOnly == true)
        {
            entries = entries.Where(e => e.ReadAt == null);
        }

        if (query.Kind is { } kind)
        {
            entries = entries.Where(e => e.Kind == kind);
        }

        if (query.After is { } after)
        {
            var newer = await entries.Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(limit + 1).ToListAsync(http.RequestAborted);
            var page = newer.Take(limit).Select(e => e.ToContract()).ToList();
            return TypedResults.Ok(new FeedPage(page, null, newer.Count > limit ? page[^1].Sequence : null));
        }

        if (query.Before is { } before)
        {
            entries = entries.Where(e => e.Sequence < before);
        }

        var older = await entries.OrderByDescending(e => e.Sequence).Take(limit + 1).ToListAsync(http.RequestAborted);
        var newestFirst = older.Take(limit).Select(e => e.ToContract()).ToList();
        return TypedResults.Ok(new FeedPage(newestFirst, older.Count > limit ? newestFirst[^1].Sequence : null, null));
    }

    public static async Task<Ok<UnreadCount>> Unread(NotificationsDbContext db, HttpContext http)
    {
        var userId = CurrentUser.From(http.User).UserId;
        var unread = await db.FeedEntries.CountAsync(e => e.UserId == userId && e.ReadAt == null, http.RequestAborted);
        var last = await db.Feeds.Where(f => f.UserId == userId).Select(f => (long?)f.LastSequence).SingleOrDefaultAsync(http.RequestAborted) ?? 0;
        return TypedResults.Ok(new UnreadCount(unread, last));
    }

    /// <summary>Only the caller's own entries; marking read again keeps the first time (idempotent).</summary>
    public static async Task<Ok<UnreadCount>> MarkRead(MarkReadRequest request, NotificationsDbContext db, HttpContext http, TimeProvider time)
    {
        var userId = CurrentUser.From(http.User).UserId;
        var now = time.GetUtcNow();
        var entries = db.FeedEntries.Where(e => e.UserId == userId && e.ReadAt == null);
        entries = request.UpTo is { } upTo
            ? entries.Where(e => e.Sequence <= upTo)
            : entries.Where(e => request.Sequences!.Contains(e.Sequence));
        await entries.ExecuteUpdateAsync(set => set.SetProperty(e => e.ReadAt, now), http.RequestAborted);
        return await Unread(db, http);
    }
}
