using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// Appends notices to the feeds of the people they reach and stages the push of the new entries in
/// the outbox, all in the caller's transaction (a <see cref="FeedConsumer{TMessage}"/>): the entries,
/// their sequence numbers and their push commit together. Notices are collected with <see cref="Add"/>
/// and written, in the order they were added, by <see cref="WriteAsync"/>.
/// </summary>
public sealed class FeedWriter(NotificationsDbContext db, TimeProvider time)
{
    private readonly List<(string[] UserIds, Notice Notice)> staged = [];

    public void Add(IEnumerable<string> userIds, Notice notice)
    {
        var recipients = userIds.Distinct(StringComparer.Ordinal).ToArray();
        if (recipients.Length > 0)
        {
            staged.Add((recipients, notice));
        }
    }

    /// <summary>Forgets what was added and not written (a batch that failed is tried again message by message).</summary>
    public void Discard() => staged.Clear();

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (staged.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var everyone = staged.SelectMany(s => s.UserIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var feeds = await LockFeedsAsync(everyone, cancellationToken);
        var pushed = new List<PushedFeedEntry>();
        foreach (var (userIds, notice) in staged)
        {
            foreach (var userId in userIds)
            {
                if (!feeds.TryGetValue(userId, out var feed))
                {
                    feed = UserFeed.For(userId);
                    db.Feeds.Add(feed);
                    feeds.Add(userId, feed);
                }

                var entry = feed.Append(notice, now);
                db.FeedEntries.Add(entry);
                pushed.Add(new PushedFeedEntry(userId, entry.ToContract()));
            }
        }

        staged.Clear();
        db.AddToOutbox(new FeedEntriesAdded(Guid.CreateVersion7(now), now, pushed), now);
    }

    // PostgreSQL: make sure each feed row exists, then lock them in one order, so that writers of the
    // same people queue up instead of failing on the version check (and never deadlock). SQLite
    // serialises writers itself; there the Version concurrency token is what keeps sequences unique.
    private async Task<Dictionary<string, UserFeed>> LockFeedsAsync(string[] userIds, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO notifications.feeds (user_id, last_sequence, version) SELECT unnest({userIds}), 0, 0 ON CONFLICT DO NOTHING",
                cancellationToken);
            return await db.Feeds
                .FromSql($"SELECT * FROM notifications.feeds WHERE user_id = ANY({userIds}) ORDER BY user_id FOR UPDATE")
                .ToDictionaryAsync(f => f.UserId, StringComparer.Ordinal, cancellationToken);
        }

        return await db.Feeds.Where(f => userIds.Contains(f.UserId)).ToDictionaryAsync(f => f.UserId, StringComparer.Ordinal, cancellationToken);
    }
}
