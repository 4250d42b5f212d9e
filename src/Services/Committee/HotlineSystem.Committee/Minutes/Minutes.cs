using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Committee.Signing;
using HotlineSystem.Contracts.Committee;

namespace HotlineSystem.Committee.Minutes;

/// <summary>One language version of the minutes; the English reference is not authentic.</summary>
public sealed record MinutesText(string Language, string Text, bool Authentic, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>A review comment by a delegate of either party; its delegation corrects it within the review window.</summary>
public sealed record ReviewComment(Guid Id, string Party, string UserId, string Text, DateTimeOffset At);

/// <summary>A co-chair's signature: which party, with which key, on which content version.</summary>
public sealed record MinutesSignatureEntry(string Party, string UserId, string KeyId, int ContentVersion, DateTimeOffset SignedAt);

/// <summary>
/// The minutes of a meeting (domain.md, "Joint committee"): one text per party's working language,
/// each equally authentic, and an optional English reference that is not. Draft → SharedForReview
/// (delegates of both parties comment) → Agreed (both parties) → Signed (one co-chair) → Locked (both).
/// A signature covers the exact texts through the <see cref="MinutesDigest"/> of this content version:
/// a change to any text voids the signatures and the agreements, and the minutes go back to review.
/// Locked minutes change no more; a correction is a new record naming them.
/// </summary>
public sealed class Minutes : AggregateRoot, ICommitteeRecord
{
    public const string English = "en";

    private Minutes()
    {
    }

    public Guid Id { get; private set; }

    public Guid MeetingId { get; private set; }

    public string Channel { get; private set; } = "";

    public MinutesStatus Status { get; private set; }

    public List<MinutesText> Texts { get; private set; } = [];

    public List<ReviewComment> Comments { get; private set; } = [];

    /// <summary>The parties that agreed to the texts as they are.</summary>
    public List<string> AgreedBy { get; private set; } = [];

    public List<MinutesSignatureEntry> Signatures { get; private set; } = [];

    /// <summary>The COSE record with the signatures made so far; null until the first.</summary>
    public byte[]? Record { get; private set; }

    /// <summary>The parties that agreed to release the signed minutes beyond the delegations.</summary>
    public List<string> ReleaseAgreedBy { get; private set; } = [];

    public DateTimeOffset? ReviewEndsAt { get; private set; }

    /// <summary>Counts changes of the texts only: what a signature covers.</summary>
    public int ContentVersion { get; private set; }

    public Guid? CorrectionOf { get; private set; }

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool Released => Status == MinutesStatus.Locked && ReleaseAgreedBy.Count == 2;

    /// <summary>A delegate drafts the minutes of a meeting in session or concluded, in the parties' languages.</summary>
    public static Minutes Draft(JointCommittee committee, Meeting meeting, CommitteeActor actor, DateTimeOffset now, Guid? correctionOf = null)
    {
        committee.EnsureDelegate(actor);
        if (meeting.Status is not (MeetingStatus.InSession or MeetingStatus.Concluded) && correctionOf is null)
        {
            throw RuleViolation.Conflict("meeting-not-held", $"Meeting {meeting.Number} is {meeting.Status}: minutes are drafted once it is in session.");
        }

        var minutes = new Minutes
        {
            Id = Guid.CreateVersion7(now),
            MeetingId = meeting.Id,
            Channel = meeting.Channel,
            Status = MinutesStatus.Draft,
            CorrectionOf = correctionOf,
            Version = 1,
            UpdatedAt = now,
        };
        return minutes;
    }

    /// <summary>
    /// A delegate writes one language version: a party's working language (authentic) or the English
    /// reference (not). Any change after agreement or a signature voids them: review again.
    /// </summary>
    public void WriteText(string language, string text, IReadOnlyCollection<string> partyLanguages, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        EnsureNotLocked();
        if (language != English && !partyLanguages.Contains(language))
        {
            throw RuleViolation.Conflict("unknown-language", $"Minutes are written in the parties' languages ({string.Join(", ", partyLanguages)}) and, for reference, in English.");
        }

        if (Texts.FirstOrDefault(t => t.Language == language) is { } current && current.Text == text)
        {
            return; // the same text: nothing changes, nothing is voided
        }

        Texts = [.. Texts.Where(t => t.Language != language), new MinutesText(language, text, language != English, actor.UserId, now)];
        ContentVersion++;
        var voided = Signatures.Count > 0 || AgreedBy.Count > 0;
        (AgreedBy, Signatures, Record) = ([], [], null);
        if (Status is MinutesStatus.Agreed or MinutesStatus.Signed)
        {
            Status = MinutesStatus.SharedForReview;
        }

        Changed(now);
        if (voided)
        {
            Raise(new MinutesChanged(Id, Version, Channel, Contracts.Visibility.Shared, actor.Party, actor.UserId, now, MeetingId, Status, "texts-changed"));
        }
    }

    /// <summary>A co-chair shares the draft with both delegations for review until <paramref name="reviewEndsAt"/>; every party language is written.</summary>
    public void ShareForReview(DateTimeOffset reviewEndsAt, IReadOnlyCollection<string> partyLanguages, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        EnsureNotLocked();
        if (Status != MinutesStatus.Draft)
        {
            throw RuleViolation.Conflict("invalid-transition", $"Minutes that are {Status} are not shared again.");
        }

        if (partyLanguages.FirstOrDefault(language => !Texts.Any(t => t.Language == language && t.Text.Length > 0)) is { } missing)
        {
            throw RuleViolation.Conflict("text-missing", $"The {missing} text is missing: each party's language is written before review.");
        }

        if (reviewEndsAt <= now)
        {
            throw RuleViolation.Conflict("review-in-past", "The review window ends in the future.");
        }

        ReviewEndsAt = reviewEndsAt;
        MoveTo(MinutesStatus.SharedForReview, actor, now, "shared");
    }

    /// <summary>A delegate of either party comments during review.</summary>
    public ReviewComment Comment(string text, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        EnsureNotLocked();
        EnsureInReview(now);
        var comment = new ReviewComment(Guid.CreateVersion7(now), actor.Party, actor.UserId, text, now);
        Comments.Add(comment);
        Changed(now);
        return comment;
    }

    /// <summary>A delegation corrects its own remarks within the review window.</summary>
    public void CorrectComment(Guid commentId, string text, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureDelegate(actor);
        EnsureNotLocked();
        EnsureInReview(now);
        var index = Comments.FindIndex(c => c.Id == commentId);
        if (index < 0 || Comments[index].Party != actor.Party)
        {
            throw RuleViolation.Forbidden("not-your-comment", "A delegation corrects only its own remarks.");
        }

        Comments[index] = Comments[index] with { Text = text, UserId = actor.UserId, At = now };
        Changed(now);
    }

    /// <summary>A co-chair agrees to the texts as they are for their party; agreed when both have.</summary>
    public void Agree(JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        EnsureNotLocked();
        if (Status != MinutesStatus.SharedForReview)
        {
            throw RuleViolation.Conflict("not-in-review", $"Minutes that are {Status} are not agreed now.");
        }

        if (AgreedBy.Contains(actor.Party))
        {
            throw RuleViolation.Conflict("already-agreed", $"{actor.Party} has agreed to these texts already.");
        }

        AgreedBy.Add(actor.Party);
        if (committee.ChannelCode.Parties.All(AgreedBy.Contains))
        {
            MoveTo(MinutesStatus.Agreed, actor, now, "agreed");
        }
        else
        {
            // The other delegation learns that its agreement is what the minutes wait for.
            Changed(now);
            Raise(new MinutesChanged(Id, Version, Channel, Contracts.Visibility.Shared, actor.Party, actor.UserId, now, MeetingId, Status, "agreed-by-one"));
        }
    }

    /// <summary>Each language version's SHA-256 as it is now (also before there is anything to sign).</summary>
    public IReadOnlyList<TextDigest> TextDigests() =>
        [.. Texts.OrderBy(t => t.Language, StringComparer.Ordinal).Select(t => new TextDigest(t.Language, MinutesDigest.Sha256Of(MinutesDigest.BytesOf(t.Text)), t.Authentic))];

    /// <summary>What a signature covers: this record's id, its content version and every text's hash (at least one text).</summary>
    public MinutesDigest Digest() => MinutesDigest.From(Id, ContentVersion, Texts.Select(t => (t.Language, t.Text, t.Authentic)));

    /// <summary>
    /// A co-chair signs with their party's key: <paramref name="record"/> is the record so far with their
    /// signature added, over <see cref="Digest"/>. It must hold under the parties' keys, name the
    /// actor's party, and keep the signatures before it. Signing needs a second factor of the last minutes.
    /// </summary>
    public void Sign(byte[] record, IReadOnlyList<PartyKey> keys, DateTimeOffset? secondFactorAt, JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        EnsureNotLocked();
        FreshSecondFactor.Ensure(secondFactorAt, now, "signing");

        if (Status is not (MinutesStatus.Agreed or MinutesStatus.Signed))
        {
            throw RuleViolation.Conflict("not-agreed", "Both parties agree to the texts as they are before a co-chair signs.");
        }

        if (Signatures.Any(s => s.Party == actor.Party))
        {
            throw RuleViolation.Conflict("already-signed", $"{actor.Party} has signed these minutes already.");
        }

        VerificationResult result;
        try
        {
            result = MinutesSignatures.Verify(record, keys, Digest());
        }
        catch (FormatException)
        {
            throw RuleViolation.Conflict("not-a-record", "The signature record cannot be read.");
        }

        var parties = Signatures.Select(s => s.Party).Append(actor.Party).ToHashSet();
        if (!result.Holds || result.Signatures.Count != parties.Count || !parties.All(result.IsSignedBy))
        {
            throw RuleViolation.Conflict("signature-invalid", "The signature does not hold for these texts under the parties' keys.");
        }

        var keyId = result.Signatures.Single(s => s.Party == actor.Party).KeyId!;
        Signatures.Add(new MinutesSignatureEntry(actor.Party, actor.UserId, keyId, ContentVersion, now));
        Record = record;
        var locked = committee.ChannelCode.Parties.All(parties.Contains);
        MoveTo(locked ? MinutesStatus.Locked : MinutesStatus.Signed, actor, now, locked ? "locked" : "signed");
    }

    /// <summary>Whether the minutes wait for <paramref name="party"/>'s signature: agreed by both, not yet signed by it.</summary>
    public bool AwaitsSignatureOf(string party) =>
        Status is MinutesStatus.Agreed or MinutesStatus.Signed && Signatures.All(s => s.Party != party);

    /// <summary>A co-chair agrees, for their party, to release the locked minutes beyond the two delegations.</summary>
    public void AgreeToRelease(JointCommittee committee, CommitteeActor actor, DateTimeOffset now)
    {
        committee.EnsureCoChair(actor);
        if (Status != MinutesStatus.Locked)
        {
            throw RuleViolation.Conflict("not-locked", "Only minutes both co-chairs signed are released.");
        }

        if (ReleaseAgreedBy.Contains(actor.Party))
        {
            throw RuleViolation.Conflict("already-agreed", $"{actor.Party} has agreed to release these minutes already.");
        }

        ReleaseAgreedBy.Add(actor.Party);
        Changed(now);
        Raise(new MinutesChanged(Id, Version, Channel, Contracts.Visibility.Shared, actor.Party, actor.UserId, now, MeetingId, Status, Released ? "released" : "release-agreed-by-one"));
    }

    /// <summary>Locked minutes are corrected by a new record that names them, starting from their texts.</summary>
    public Minutes Correct(JointCommittee committee, Meeting meeting, CommitteeActor actor, DateTimeOffset now)
    {
        if (Status != MinutesStatus.Locked)
        {
            throw RuleViolation.Conflict("not-locked", "Minutes not yet signed by both are changed, not corrected.");
        }

        var correction = Draft(committee, meeting, actor, now, correctionOf: Id);
        correction.Texts = [.. Texts.Select(t => t with { UpdatedBy = actor.UserId, UpdatedAt = now })];
        correction.ContentVersion = 1;
        return correction;
    }

    private void EnsureNotLocked()
    {
        if (Status == MinutesStatus.Locked)
        {
            throw RuleViolation.Conflict("minutes-locked", "Both co-chairs signed these minutes: they change no more. Correct them with a new record.");
        }
    }

    private void EnsureInReview(DateTimeOffset now)
    {
        if (Status != MinutesStatus.SharedForReview || now > ReviewEndsAt)
        {
            throw RuleViolation.Conflict("review-closed", "Remarks are made and corrected while the minutes are shared for review, within its window.");
        }
    }

    private void MoveTo(MinutesStatus status, CommitteeActor actor, DateTimeOffset now, string what)
    {
        Status = status;
        Changed(now);
        Raise(new MinutesChanged(Id, Version, Channel, Contracts.Visibility.Shared, actor.Party, actor.UserId, now, MeetingId, status, what));
    }

    private void Changed(DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
    }
}
