using FluentValidation;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Committee.Meetings;

public sealed record ListMeetingsQuery(int? Page, int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 100;
}

/// <summary>A delegate schedules the committee's next meeting; the request id makes a retry find it instead of scheduling twice.</summary>
public sealed record ScheduleMeetingRequest(Guid RequestId, DateTimeOffset? StartsAt, DateTimeOffset? AgendaCutoff, string Place, MeetingMode? Mode);

public sealed record MeetingStatusRequest(MeetingStatus? Status);

public sealed record AttendanceEntry(string UserId, Presence? Presence, string? DelegatedTo);

/// <summary>A delegate records their own party's attendance, replacing what it recorded before.</summary>
public sealed record AttendanceRequest(IReadOnlyList<AttendanceEntry> Entries);

public sealed class ListMeetingsValidator : AbstractValidator<ListMeetingsQuery>
{
    public ListMeetingsValidator() => this.PageRules(ListMeetingsQuery.MaxPageSize);
}

public sealed class ScheduleMeetingValidator : AbstractValidator<ScheduleMeetingRequest>
{
    public ScheduleMeetingValidator(TimeProvider time)
    {
        RuleFor(r => r.RequestId).NotEmpty();
        RuleFor(r => r.StartsAt).Cascade(CascadeMode.Stop).NotNull().WithinDomainDates()
            .Must(at => at > time.GetUtcNow()).WithErrorCode("date-in-past").WithMessage("A meeting is scheduled in the future.");
        RuleFor(r => r.AgendaCutoff).Cascade(CascadeMode.Stop).NotNull().WithinDomainDates()
            .Must((r, cutoff) => r.StartsAt is null || cutoff <= r.StartsAt).WithErrorCode("cutoff-after-start")
            .WithMessage("The agenda's cut-off is before the meeting starts.");
        RuleFor(r => r.Place).NotEmpty().MaximumLength(CommitteeTextLimits.Place).PlainText();
        RuleFor(r => r.Mode).NotNull().IsInEnum();
    }
}

public sealed class MeetingStatusValidator : AbstractValidator<MeetingStatusRequest>
{
    public MeetingStatusValidator() => RuleFor(r => r.Status).NotNull().IsInEnum();
}

public sealed class AttendanceValidator : AbstractValidator<AttendanceRequest>
{
    public AttendanceValidator()
    {
        RuleFor(r => r.Entries).NotEmpty().Must(e => e is null || e.Count <= CommitteeTextLimits.Delegation)
            .WithErrorCode("invalid-list").WithMessage($"A delegation has at most {CommitteeTextLimits.Delegation} people.");
        RuleFor(r => r.Entries).Must(e => e is null || e.Select(x => x.UserId).Distinct().Count() == e.Count)
            .WithErrorCode("invalid-list").WithMessage("List each delegate once.");
        RuleForEach(r => r.Entries).ChildRules(entry =>
        {
            entry.RuleFor(e => e.UserId).NotEmpty().MaximumLength(100);
            entry.RuleFor(e => e.Presence).NotNull().IsInEnum();
            entry.RuleFor(e => e.DelegatedTo).NotEmpty().When(e => e.Presence == Presence.Delegated)
                .WithErrorCode("required").WithMessage("Name the delegate this one delegated to.");
            entry.RuleFor(e => e.DelegatedTo).Null().When(e => e.Presence != Presence.Delegated)
                .WithErrorCode("not-delegated").WithMessage("Only a delegated attendance names a delegate.");
        });
    }
}

internal static class MeetingEndpoints
{
    public static async Task<Results<Ok<PagedList<MeetingSummary>>, ProblemHttpResult>> List(
        string channel, [AsParameters] ListMeetingsQuery query, CommitteeDbContext db, HttpContext http)
    {
        if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } committee)
        {
            return Problems.NotFound("committee");
        }

        return TypedResults.Ok(await db.Meetings.AsNoTracking().Where(m => m.CommitteeId == committee.Id)
            .OrderByDescending(m => m.Number).PageAsync(query, m => m.ToSummary(), http.RequestAborted));
    }

    /// <summary>
    /// Schedules the next meeting (the committee's last number plus one, see <see cref="Numbering"/>), or
    /// answers with the one already scheduled with this request id (200).
    /// </summary>
    public static async Task<Results<Created<MeetingDetails>, Ok<MeetingDetails>, ProblemHttpResult>> Schedule(
        string channel, ScheduleMeetingRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var actor = CommitteeAccess.ActorOf(http.User);
        JointCommittee committee = null!;
        return await db.SaveNextNumberedAsync<Results<Created<MeetingDetails>, Ok<MeetingDetails>, ProblemHttpResult>>(
            answered: async () =>
            {
                if (await db.CommitteeOfAsync(http.User, channel, http.RequestAborted) is not { } found)
                {
                    return Problems.NotFound("committee");
                }

                committee = found;
                if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.RequestId == request.RequestId, http.RequestAborted) is not { } existing)
                {
                    return null;
                }

                if (existing.ScheduledBy != actor.UserId)
                {
                    return Problems.Conflict("request-id-used", "This request id was used for another request; send a new one.");
                }

                http.SetETag(existing.Version);
                http.Response.Headers.Location = $"/api/meetings/{existing.Id}";
                return TypedResults.Ok(await db.DetailsAsync(existing, http.RequestAborted));
            },
            numberAndSave: async () =>
            {
                var number = 1 + (await db.Meetings.Where(m => m.CommitteeId == committee.Id).MaxAsync(m => (int?)m.Number, http.RequestAborted) ?? 0);
                var meeting = Meeting.Schedule(request.RequestId, committee, number, request.StartsAt!.Value, request.AgendaCutoff!.Value, request.Place,
                    request.Mode!.Value, actor, time.GetUtcNow());
                db.Meetings.Add(meeting);
                await db.SaveChangesAsync(http.RequestAborted);
                http.SetETag(meeting.Version);
                return TypedResults.Created($"/api/meetings/{meeting.Id}", await db.DetailsAsync(meeting, http.RequestAborted));
            },
            tooBusy: () => Problems.Conflict("concurrent-change", "Other meetings were scheduled at the same moment; send the request again."));
    }

    public static async Task<Results<Ok<MeetingDetails>, ProblemHttpResult>> Get(Guid meetingId, CommitteeDbContext db, HttpContext http)
    {
        if (await db.Meetings.AsNoTracking().SingleOrDefaultAsync(m => m.Id == meetingId, http.RequestAborted) is not { } meeting || !http.User.Sees(meeting))
        {
            return Problems.NotFound("meeting");
        }

        http.SetETag(meeting.Version);
        return TypedResults.Ok(await db.DetailsAsync(meeting, http.RequestAborted));
    }

    public static async Task<Results<Ok<MeetingDetails>, ProblemHttpResult>> ChangeStatus(
        Guid meetingId, MeetingStatusRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http) =>
        await CommitteeAccess.ChangeAsync(db, await db.Meetings.FindAsync([meetingId], http.RequestAborted), "meeting", http, time,
            (meeting, committee, actor, now) => meeting.MoveTo(request.Status!.Value, committee, actor, now),
            meeting => db.DetailsAsync(meeting, http.RequestAborted));

    public static async Task<Results<Ok<MeetingDetails>, ProblemHttpResult>> RecordAttendance(
        Guid meetingId, AttendanceRequest request, CommitteeDbContext db, TimeProvider time, HttpContext http)
    {
        var meeting = await db.Meetings.FindAsync([meetingId], http.RequestAborted);
        if (meeting is not null && http.User.Sees(meeting))
        {
            // Named per field here; the meeting refuses the same (409) should the delegation change meanwhile.
            var committee = await db.Committees.AsNoTracking().SingleAsync(c => c.Channel == meeting.Channel, http.RequestAborted);
            var delegation = committee.DelegationOf(CommitteeAccess.ActorOf(http.User).Party).Select(d => d.UserId).ToHashSet();
            var errors = request.Entries.SelectMany((entry, i) => new[]
            {
                delegation.Contains(entry.UserId) ? null : new FieldError($"entries[{i}].userId", "not-a-delegate", $"'{entry.UserId}' is not on your party's delegation."),
                entry.DelegatedTo is null || (delegation.Contains(entry.DelegatedTo) && entry.DelegatedTo != entry.UserId) ? null
                    : new FieldError($"entries[{i}].delegatedTo", "not-a-delegate", $"'{entry.DelegatedTo}' is not another delegate of your party."),
            }).OfType<FieldError>().ToList();
            if (errors.Count > 0)
            {
                return Problems.Validation(errors);
            }
        }

        return await CommitteeAccess.ChangeAsync(db, meeting, "meeting", http, time,
            (m, committee, actor, now) => m.RecordAttendance(committee, [.. request.Entries.Select(e => (e.UserId, e.Presence!.Value, e.DelegatedTo))], actor, now),
            m => db.DetailsAsync(m, http.RequestAborted));
    }
}
