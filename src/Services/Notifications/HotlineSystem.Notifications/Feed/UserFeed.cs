using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Notifications;

namespace HotlineSystem.Notifications.Feed;

/// <summary>
/// One person's feed: the last sequence number handed out. Entries are appended only through it,
/// so each person's sequence numbers are 1, 2, 3 ... without gaps or repeats (the row is locked,
/// and Version guards it where no lock exists).
/// </summary>
public sealed class UserFeed
{
    private UserFeed()
    {
    }

    public string UserId { get; private set; } = "";

    public long LastSequence { get; private set; }

    public int Version { get; private set; }

    public static UserFeed For(string userId) => new() { UserId = userId };

    public UserFeedEntry Append(Notice notice, DateTimeOffset now)
    {
        LastSequence++;
        Version++;
        return UserFeedEntry.Create(UserId, LastSequence, notice, now);
    }
}

/// <summary>What one event tells the people it reaches: the same for every reader.</summary>
public sealed record Notice(
    FeedEntryKind Kind,
    string Channel,
    Guid? IncidentId,
    string ActingParty,
    string? ActingUser,
    Visibility Visibility,
    bool Important,
    string Title,
    string Detail,
    DateTimeOffset OccurredAt,
    Guid? SubjectId = null);

/// <summary>An entry of one person's feed, with its read state.</summary>
public sealed class UserFeedEntry
{
    public const int MaxTitleLength = 300;
    public const int MaxDetailLength = 2000;

    private UserFeedEntry()
    {
    }

    public string UserId { get; private set; } = "";

    public long Sequence { get; private set; }

    public FeedEntryKind Kind { get; private set; }

    public string Channel { get; private set; } = "";

    public Guid? IncidentId { get; private set; }

    /// <summary>The committee record the entry is about (<see cref="FeedEntry.SubjectId"/>).</summary>
    public Guid? SubjectId { get; private set; }

    public string ActingParty { get; private set; } = "";

    public string? ActingUser { get; private set; }

    public Visibility Visibility { get; private set; }

    public bool Important { get; private set; }

    public string Title { get; private set; } = "";

    public string Detail { get; private set; } = "";

    public DateTimeOffset OccurredAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    internal static UserFeedEntry Create(string userId, long sequence, Notice notice, DateTimeOffset now) => new()
    {
        UserId = userId,
        Sequence = sequence,
        Kind = notice.Kind,
        Channel = notice.Channel,
        IncidentId = notice.IncidentId,
        SubjectId = notice.SubjectId,
        ActingParty = notice.ActingParty,
        ActingUser = notice.ActingUser,
        Visibility = notice.Visibility,
        Important = notice.Important,
        Title = Shorten(notice.Title, MaxTitleLength),
        Detail = Shorten(notice.Detail, MaxDetailLength),
        OccurredAt = notice.OccurredAt,
        CreatedAt = now,
    };

    public FeedEntry ToContract() =>
        new(Sequence, Kind, Channel, IncidentId, ActingParty, ActingUser, Visibility, Important, Title, Detail, OccurredAt, ReadAt, SubjectId);

    // Never between the two halves of a character outside the Basic Multilingual Plane (CJK
    // Extension B, emoji): PostgreSQL would refuse the broken text, and the entry would never be written.
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var keep = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return string.Concat(text.AsSpan(0, keep), "…");
    }
}
