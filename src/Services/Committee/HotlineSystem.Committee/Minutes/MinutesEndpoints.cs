using System.IO.Compression;
using FluentValidation;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Keys;
using HotlineSystem.Committee.Signing;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace HotlineSystem.Committee.Minutes;

public sealed record ListMinutesQuery(int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 50;
}

/// <summary>One language version as written: the text and the SHA-256 of its UTF-8 bytes, which a signature covers.</summary>
public sealed record MinutesTextRequest(string Text);

public sealed record ReviewRequest(DateTimeOffset? ReviewEndsAt);

public sealed record ReviewCommentRequest(string Text);

public sealed record MinutesTextView(string Language, bool Authentic, string Text, string Sha256, string UpdatedBy, DateTimeOffset UpdatedAt);

public sealed record ReviewCommentView(Guid Id, string Party, string UserId, string Text, DateTimeOffset At);

public sealed record MinutesSignatureView(string Party, string UserId, string KeyId, int ContentVersion, DateTimeOffset SignedAt);

/// <summary>
/// The minutes of a meeting: <see cref="Languages"/> are the parties' languages (each text
/// authentic), "en" the optional reference. <see cref="ContentVersion"/> and the texts' hashes are
/// what a co-chair signs.
/// </summary>
public sealed record MinutesView(
    Guid Id, Guid MeetingId, string Channel, MinutesStatus Status, IReadOnlyList<string> Languages, IReadOnlyList<MinutesTextView> Texts,
    IReadOnlyList<ReviewCommentView> Comments, DateTimeOffset? ReviewEndsAt, IReadOnlyList<string> AgreedBy, IReadOnlyList<MinutesSignatureView> Signatures,
    IReadOnlyList<string> ReleaseAgreedBy, bool Released, int ContentVersion, Guid? CorrectionOf, Guid? CorrectedBy, int Version, DateTimeOffset UpdatedAt);

public sealed record MinutesSummary(Guid Id, Guid MeetingId, MinutesStatus Status, bool Released, Guid? CorrectionOf, int Version, DateTimeOffset UpdatedAt);

/// <summary>One signature as checked now: the key that made it, whether that key was valid then, and whether it holds.</summary>
public sealed record SignatureVerification(string? Party, string? KeyId, bool Holds, string Reason, bool? KeyValidWhenSigned, DateTimeOffset? SignedAt);

/// <summary>
/// The minutes checked from the texts as they are now and the parties' published keys:
/// <see cref="TextsMatch"/> when the record covers exactly these texts, <see cref="Verified"/> when, on
/// top, every party of the channel signed and every signature holds.
/// </summary>
public sealed record MinutesVerification(
    Guid MinutesId, int ContentVersion, MinutesStatus Status, IReadOnlyList<TextDigest> Texts, bool TextsMatch,
    IReadOnlyList<SignatureVerification> Signatures, bool Verified);

public sealed class ListMinutesValidator : AbstractValidator<ListMinutesQuery>
{
    public ListMinutesValidator() => this.PageRules(ListMinutesQuery.MaxPageSize);
}

public sealed class MinutesTextValidator : AbstractValidator<MinutesTextRequest>
{
    public MinutesTextValidator() => RuleFor(r => r.Text).NotEmpty().MaximumLength(CommitteeTextLimits.MinutesText).PlainText(allowLineBreaks: true);
}

public sealed class ReviewValidator : AbstractValidator<ReviewRequest>
{
    public ReviewValidator(TimeProvider time) =>
        RuleFor(r => r.ReviewEndsAt).Cascade(CascadeMode.Stop).NotNull().WithinDomainDates()
            .Must(at => at > time.GetUtcNow()).WithErrorCode("date-in-past").WithMessage("The review window ends in the future.");
}

public sealed class ReviewCommentValidator : AbstractValidator<ReviewCommentRequest>
{
    public ReviewCommentValidator() => RuleFor(r => r.Text).NotEmpty().MaximumLength(CommitteeTextLimits.Position).PlainText(allowLineBreaks: true);
}

/// <summary>
/// The minutes of a meeting (issue 16, "Minutes"): drafted and reviewed by both delegations, agreed
/// and signed by both co-chairs, each with their own party's key, released by both. Until released,
/// minutes exist only for the two delegations: anyone else gets a 404.
/// </summary>
internal static class MinutesEndpoints
{
    public static async Task<Results<Created<MinutesView>, Ok<MinutesView>, ProblemHttpResult>> Draft(
        Guid meetingId, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, cancellationToken) is not { } meeting || !http.User.Sees(meeting))
        {
            return Problems.NotFound("meeting");
        }

        // A meeting has one set of minutes (and corrections of it): drafting again answers with them.
        if (await OriginalOfAsync(db, meetingId, cancellationToken) is { } existing && await db.ReadableAsync(existing, http, cancellationToken))
        {
            return await OkAsync(db, existing, http);
        }

        var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == meeting.Channel, cancellationToken);
        var minutes = Minutes.Draft(committee, meeting, CommitteeAccess.ActorOf(http.User), time.GetUtcNow());
        if (await AddOrFindAsync(db, minutes, () => OriginalOfAsync(db, meetingId, cancellationToken), cancellationToken) is { } raced)
        {
            return await OkAsync(db, raced, http);
        }

        http.SetETag(minutes.Version);
        return TypedResults.Created($"/api/minutes/{minutes.Id}", await db.ViewAsync(minutes, cancellationToken));
    }

    public static async Task<Results<Ok<PagedList<MinutesSummary>>, ProblemHttpResult>> List(
        Guid meetingId, [AsParameters] ListMinutesQuery query, CommitteeDbContext db, HttpContext http)
    {
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, http.RequestAborted) is not { } meeting || !http.User.Sees(meeting))
        {
            return Problems.NotFound("meeting");
        }

        // A meeting has its minutes and their corrections: a few records, filtered here by who may read them.
        var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == meeting.Channel, http.RequestAborted);
        var isDelegate = committee.DelegateOf(CommitteeAccess.ActorOf(http.User).UserId) is not null;
        var all = await db.Minutes.AsNoTracking().Where(m => m.MeetingId == meetingId).OrderBy(m => m.Id).ToListAsync(http.RequestAborted);
        var readable = all.Where(m => isDelegate || m.Released).ToList();
        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? Paging.DefaultPageSize;
        var items = readable.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(m => new MinutesSummary(m.Id, m.MeetingId, m.Status, m.Released, m.CorrectionOf, m.Version, m.UpdatedAt)).ToList();
        return TypedResults.Ok(new PagedList<MinutesSummary>(items, page, pageSize, readable.Count));
    }

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> Get(Guid minutesId, CommitteeDbContext db, HttpContext http)
    {
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, http.RequestAborted);
        if (minutes is null || !await db.ReadableAsync(minutes, http, http.RequestAborted))
        {
            return Problems.NotFound("minutes");
        }

        return await OkAsync(db, minutes, http);
    }

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> WriteText(
        Guid minutesId, string language, MinutesTextRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var languages = await PartyLanguagesAsync(db, await db.Minutes.AsNoTracking().Where(m => m.Id == minutesId).Select(m => m.Channel).SingleOrDefaultAsync(http.RequestAborted), http.RequestAborted);
        return await ChangeAsync(minutesId, db, time, http, (minutes, committee, actor, now) => minutes.WriteText(language, request.Text, languages, committee, actor, now));
    }

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> ShareForReview(
        Guid minutesId, ReviewRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var languages = await PartyLanguagesAsync(db, await db.Minutes.AsNoTracking().Where(m => m.Id == minutesId).Select(m => m.Channel).SingleOrDefaultAsync(http.RequestAborted), http.RequestAborted);
        return await ChangeAsync(minutesId, db, time, http, (minutes, committee, actor, now) => minutes.ShareForReview(request.ReviewEndsAt!.Value, languages, committee, actor, now));
    }

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> Comment(
        Guid minutesId, ReviewCommentRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(minutesId, db, time, http, (minutes, committee, actor, now) => minutes.Comment(request.Text, committee, actor, now));

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> CorrectComment(
        Guid minutesId, Guid commentId, ReviewCommentRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(minutesId, db, time, http, (minutes, committee, actor, now) => minutes.CorrectComment(commentId, request.Text, committee, actor, now));

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> Agree(Guid minutesId, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(minutesId, db, time, http, (minutes, committee, actor, now) => minutes.Agree(committee, actor, now));

    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> AgreeToRelease(Guid minutesId, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await ChangeAsync(minutesId, db, time, http, (minutes, committee, actor, now) => minutes.AgreeToRelease(committee, actor, now));

    /// <summary>
    /// The co-chair's signature, made here with their own party's current key (ADR 0013) over the
    /// texts as they are at the version named by If-Match; the minutes keep it only if it holds under
    /// the published keys. The second signature locks the minutes and marks the meeting's minutes signed.
    /// </summary>
    public static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> Sign(
        Guid minutesId, CommitteeDbContext db, PartySigningKeys keys, IOptions<SigningSettings> signing, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var actor = CommitteeAccess.ActorOf(http.User);
        var secondFactorAt = HotlineClaims.SecondFactorAt(http.User);
        var minutes = await db.Minutes.FindAsync([minutesId], cancellationToken);
        byte[] record = [];
        IReadOnlyList<PartyKey> published = [];
        if (minutes is not null && await db.ReadableAsync(minutes, http, cancellationToken))
        {
            var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == minutes.Channel, cancellationToken);
            if (committee.IsCoChair(actor) && minutes.AwaitsSignatureOf(actor.Party) && http.Request.IfMatchVersion() == minutes.Version)
            {
                FreshSecondFactor.Ensure(secondFactorAt, time.GetUtcNow(), "signing", signing.Value.SecondFactorWindow);
                if (await keys.OpenCurrentAsync(actor.Party, actor.UserId, cancellationToken) is not { } current)
                {
                    return Problems.Conflict("key-not-held", $"This node does not keep {actor.Party}'s signing key: sign on your party's own node.");
                }

                using (current.KeyPair)
                {
                    record = minutes.Record is null
                        ? MinutesSignatures.Sign(minutes.Digest(), actor.Party, current.KeyPair, current.KeyId)
                        : MinutesSignatures.AddSignature(minutes.Record, actor.Party, current.KeyPair, current.KeyId);
                }

                published = await keys.OfAsync(committee.ChannelCode.Parties, cancellationToken);
            }
        }

        var meeting = minutes is null ? null : await db.Meetings.FindAsync([minutes.MeetingId], cancellationToken);
        return await ChangeAsync(minutes, db, time, http, (m, committee, a, now) =>
        {
            m.Sign(record, published, secondFactorAt, committee, a, now);
            if (m.Status == MinutesStatus.Locked)
            {
                meeting!.MinutesLocked(a, now);
            }
        });
    }

    /// <summary>Locked minutes are corrected by a new record naming them; asking again answers with that record.</summary>
    public static async Task<Results<Created<MinutesView>, Ok<MinutesView>, ProblemHttpResult>> Correct(
        Guid minutesId, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, cancellationToken) is not { } minutes
            || !await db.ReadableAsync(minutes, http, cancellationToken))
        {
            return Problems.NotFound("minutes");
        }

        if (await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.CorrectionOf == minutesId, cancellationToken) is { } existing)
        {
            return await OkAsync(db, existing, http);
        }

        var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == minutes.Channel, cancellationToken);
        var meeting = await db.Meetings.AsNoTracking().SingleAsync(m => m.Id == minutes.MeetingId, cancellationToken);
        var correction = minutes.Correct(committee, meeting, CommitteeAccess.ActorOf(http.User), time.GetUtcNow());
        if (await AddOrFindAsync(db, correction, () => db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.CorrectionOf == minutesId, cancellationToken), cancellationToken) is { } raced)
        {
            return await OkAsync(db, raced, http);
        }

        http.SetETag(correction.Version);
        return TypedResults.Created($"/api/minutes/{correction.Id}", await db.ViewAsync(correction, cancellationToken));
    }

    /// <summary>Recomputes the texts' hashes and checks every signature under the parties' published keys.</summary>
    public static async Task<Results<Ok<MinutesVerification>, ProblemHttpResult>> Verify(Guid minutesId, CommitteeDbContext db, PartySigningKeys keys, HttpContext http)
    {
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, http.RequestAborted);
        if (minutes is null || !await db.ReadableAsync(minutes, http, http.RequestAborted))
        {
            return Problems.NotFound("minutes");
        }

        return TypedResults.Ok(await keys.VerificationAsync(minutes, http.RequestAborted));
    }

    /// <summary>The minutes checked now: their texts against the record, each signature under the party's published key.</summary>
    internal static async Task<MinutesVerification> VerificationAsync(this PartySigningKeys keys, Minutes minutes, CancellationToken cancellationToken)
    {
        if (minutes.Record is null)
        {
            return new MinutesVerification(minutes.Id, minutes.ContentVersion, minutes.Status, minutes.TextDigests(), TextsMatch: false, [], Verified: false);
        }

        var digest = minutes.Digest();
        var channel = ChannelCode.Parse(minutes.Channel);
        var published = await keys.OfAsync(channel.Parties, cancellationToken);
        var result = MinutesSignatures.Verify(minutes.Record, published, digest);
        var signatures = result.Signatures.Select(check =>
        {
            var signedAt = minutes.Signatures.FirstOrDefault(s => s.Party == check.Party && s.KeyId == check.KeyId)?.SignedAt;
            var key = published.FirstOrDefault(k => k.KeyId == check.KeyId && k.Party == check.Party);
            return new SignatureVerification(check.Party, check.KeyId, check.Holds, check.Reason,
                key is null || signedAt is null ? null : key.IsValidAt(signedAt.Value), signedAt);
        }).ToList();
        var verified = result.Holds && channel.Parties.All(result.IsSignedBy) && signatures.All(s => s.KeyValidWhenSigned != false);
        return new MinutesVerification(minutes.Id, minutes.ContentVersion, minutes.Status, digest.Texts, result.ContentMatches == true, signatures, verified);
    }

    /// <summary>The export bundle of locked minutes as a zip (docs/minutes-bundle.md): checkable without the system.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Bundle(Guid minutesId, CommitteeDbContext db, PartySigningKeys keys, HttpContext http)
    {
        var minutes = await db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.Id == minutesId, http.RequestAborted);
        if (minutes is null || !await db.ReadableAsync(minutes, http, http.RequestAborted))
        {
            return Problems.NotFound("minutes");
        }

        if (minutes.Status != MinutesStatus.Locked || minutes.Record is null)
        {
            return Problems.Conflict("not-locked", "Only minutes both co-chairs signed are exported.");
        }

        var published = await keys.OfAsync(ChannelCode.Parse(minutes.Channel).Parties, http.RequestAborted);
        var signingKeys = published.Where(k => minutes.Signatures.Any(s => s.Party == k.Party && s.KeyId == k.KeyId)).ToList();
        var folder = Path.Combine(Path.GetTempPath(), $"minutes-{minutes.Id:N}-{Guid.NewGuid():N}");
        try
        {
            await MinutesBundle.WriteAsync(folder, minutes.Texts.Select(t => (t.Language, t.Text)), minutes.Record, signingKeys, http.RequestAborted);
            using var zip = new MemoryStream();
            ZipFile.CreateFromDirectory(folder, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            return TypedResults.File(zip.ToArray(), "application/zip", $"minutes-{minutes.Id}.zip");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Minutes exist for the two delegations until both parties release them; then for every reader of the channel.</summary>
    internal static async Task<bool> ReadableAsync(this CommitteeDbContext db, Minutes minutes, HttpContext http, CancellationToken cancellationToken)
    {
        if (!http.User.Sees(minutes))
        {
            return false;
        }

        if (minutes.Released)
        {
            return true;
        }

        var userId = CommitteeAccess.ActorOf(http.User).UserId;
        var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == minutes.Channel, cancellationToken);
        return committee.DelegateOf(userId) is not null;
    }

    private static Task<Minutes?> OriginalOfAsync(CommitteeDbContext db, Guid meetingId, CancellationToken cancellationToken) =>
        db.Minutes.AsNoTracking().SingleOrDefaultAsync(m => m.MeetingId == meetingId && m.CorrectionOf == null, cancellationToken);

    private static async Task<IReadOnlyList<string>> PartyLanguagesAsync(CommitteeDbContext db, string? channel, CancellationToken cancellationToken)
    {
        if (!ChannelCode.TryParse(channel, out var code))
        {
            return [];
        }

        var parties = code.Parties.ToList();
        return await db.Parties.AsNoTracking().Where(p => parties.Contains(p.Code)).Select(p => p.WorkingLanguage).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>Saves new minutes; null when saved, or the record a concurrent request saved first (the unique indexes decide).</summary>
    private static async Task<Minutes?> AddOrFindAsync(CommitteeDbContext db, Minutes minutes, Func<Task<Minutes?>> first, CancellationToken cancellationToken)
    {
        db.Minutes.Add(minutes);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            db.Entry(minutes).State = EntityState.Detached;
            return await first() ?? throw new InvalidOperationException("Saving the minutes failed, and no other request saved them.");
        }
    }

    private static async Task<Ok<MinutesView>> OkAsync(CommitteeDbContext db, Minutes minutes, HttpContext http)
    {
        http.SetETag(minutes.Version);
        return TypedResults.Ok(await db.ViewAsync(minutes, http.RequestAborted));
    }

    private static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> ChangeAsync(
        Guid minutesId, CommitteeDbContext db, TimeProvider time, HttpContext http, Action<Minutes, JointCommittee, CommitteeActor, DateTimeOffset> change) =>
        await ChangeAsync(await db.Minutes.FindAsync([minutesId], http.RequestAborted), db, time, http, change);

    private static async Task<Results<Ok<MinutesView>, ProblemHttpResult>> ChangeAsync(
        Minutes? minutes, CommitteeDbContext db, TimeProvider time, HttpContext http, Action<Minutes, JointCommittee, CommitteeActor, DateTimeOffset> change)
    {
        var readable = minutes is not null && await db.ReadableAsync(minutes, http, http.RequestAborted);
        return await CommitteeAccess.ChangeAsync(db, readable ? minutes : null, "minutes", http, time, change, m => db.ViewAsync(m, http.RequestAborted));
    }

    private static async Task<MinutesView> ViewAsync(this CommitteeDbContext db, Minutes minutes, CancellationToken cancellationToken)
    {
        var hashes = minutes.TextDigests().ToDictionary(t => t.Language, t => t.Sha256);
        var correctedBy = await db.Minutes.AsNoTracking().Where(m => m.CorrectionOf == minutes.Id).Select(m => (Guid?)m.Id).SingleOrDefaultAsync(cancellationToken);
        var languages = await PartyLanguagesAsync(db, minutes.Channel, cancellationToken);
        return new MinutesView(
            minutes.Id, minutes.MeetingId, minutes.Channel, minutes.Status, languages,
            [.. minutes.Texts.OrderBy(t => t.Language == Minutes.English).ThenBy(t => t.Language, StringComparer.Ordinal)
                .Select(t => new MinutesTextView(t.Language, t.Authentic, t.Text, hashes[t.Language], t.UpdatedBy, t.UpdatedAt))],
            [.. minutes.Comments.Select(c => new ReviewCommentView(c.Id, c.Party, c.UserId, c.Text, c.At))], minutes.ReviewEndsAt, minutes.AgreedBy,
            [.. minutes.Signatures.Select(s => new MinutesSignatureView(s.Party, s.UserId, s.KeyId, s.ContentVersion, s.SignedAt))],
            minutes.ReleaseAgreedBy, minutes.Released, minutes.ContentVersion, minutes.CorrectionOf, correctedBy, minutes.Version, minutes.UpdatedAt);
    }
}
