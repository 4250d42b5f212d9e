using FluentValidation;
using FluentValidation.Results;
using HotlineSystem.Escalation.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Escalation.Rosters;

/// <summary>A rotation as the client writes it: local date-times of the roster's time zone, without offset or Z.</summary>
public sealed record RotationRequest(
    string Name, IReadOnlyList<string>? Members, DateTime? FirstHandOff, TimeSpan? ShiftLength, DateTime? ValidFrom, DateTime? ValidUntil);

/// <summary>The whole roster of a party for one role: put again to change it (a new version). Overrides are kept.</summary>
public sealed record DutyRosterRequest(string? TimeZone, IReadOnlyList<RotationRequest>? Rotations);

public sealed record DutyOverrideRequest(string? UserId, DateTimeOffset? From, DateTimeOffset? Until);

public sealed record DutyRosterView(
    Guid Id, string Party, string Role, string TimeZone, IReadOnlyList<Rotation> Rotations, IReadOnlyList<DutyOverride> Overrides,
    int Version, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static DutyRosterView Of(DutyRoster r) =>
        new(r.Id, r.Party, r.Role, r.TimeZone, r.Rotations, r.Overrides, r.Version, r.UpdatedAt, r.UpdatedBy);
}

/// <summary>Who is on duty at <see cref="At"/> (nobody when <see cref="UserId"/> is null) and until when (null: no end known).</summary>
public sealed record OnDutyView(
    string Party, string Role, DateTimeOffset At, string? UserId, string? DisplayName, DateTimeOffset? Until, string? Rotation, Guid? OverrideId);

public sealed class DutyRosterRequestValidator : AbstractValidator<DutyRosterRequest>
{
    public const int MaxRotations = 20;
    public const int MaxMembers = 50;
    public static readonly TimeSpan LongestShift = TimeSpan.FromDays(28);

    public DutyRosterRequestValidator()
    {
        RuleFor(r => r.TimeZone!).Must(IanaTimeZones.Exists).WithErrorCode("unknown-time-zone")
            .WithMessage("'{PropertyValue}' is not an IANA time zone, e.g. Asia/Seoul.").When(r => r.TimeZone is not null);
        RuleFor(r => r.Rotations).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage("Give the rotations (an empty list for none).")
            .Must(r => r!.Count <= MaxRotations).WithErrorCode("too-many-rotations").WithMessage($"A roster has at most {MaxRotations} rotations.");
        RuleForEach(r => r.Rotations).ChildRules(rotation =>
        {
            rotation.RuleFor(r => r.Name).NotEmpty().MaximumLength(100).PlainText();
            rotation.RuleFor(r => r.Members).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("A rotation has at least one member.")
                .Must(m => m!.Count <= MaxMembers).WithErrorCode("too-many-members").WithMessage($"A rotation has at most {MaxMembers} members.");
            rotation.RuleForEach(r => r.Members).NotEmpty().MaximumLength(100);
            rotation.RuleFor(r => r.FirstHandOff).NotNull().WithMessage("Give the local date-time of the first hand-off, e.g. \"2026-12-01T09:00\".");
            LocalTime(rotation.RuleFor(r => r.FirstHandOff));
            LocalTime(rotation.RuleFor(r => r.ValidFrom));
            LocalTime(rotation.RuleFor(r => r.ValidUntil));
            rotation.RuleFor(r => r.ShiftLength).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage("Give the length of a shift in whole hours, e.g. \"1.00:00:00\" (a day) or \"12:00:00\".")
                .Must(s => s > TimeSpan.Zero).WithErrorCode("shift-not-positive").WithMessage("A shift is longer than zero.")
                .Must(s => s!.Value.Ticks % TimeSpan.TicksPerHour == 0).WithErrorCode("shift-not-whole-hours").WithMessage("A shift lasts whole hours.")
                .Must(s => s <= LongestShift).WithErrorCode("shift-too-long").WithMessage("A shift lasts at most 28 days.");
            rotation.RuleFor(r => r.ValidUntil).Must((r, until) => until > (r.ValidFrom ?? r.FirstHandOff))
                .WithErrorCode("valid-until-not-after-start").WithMessage("A rotation ends after it starts (validFrom, or else the first hand-off).")
                .When(r => r.ValidUntil is not null && (r.ValidFrom ?? r.FirstHandOff) is not null);
        });
        RuleFor(r => r.Rotations).Custom(RefuseOverlaps).When(r => r.Rotations is not null);
    }

    /// <summary>At most one rotation is in force at any moment, so that "who is on duty" has one answer.</summary>
    private static void RefuseOverlaps(IReadOnlyList<RotationRequest>? rotations, ValidationContext<DutyRosterRequest> context)
    {
        var ranges = rotations!.Select((r, i) => (Index: i, r.Name, Start: r.ValidFrom ?? r.FirstHandOff, End: r.ValidUntil ?? DateTime.MaxValue))
            .Where(r => r.Start is not null && r.Start < r.End)
            .ToList();
        for (var later = 0; later < ranges.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (ranges[earlier].Start < ranges[later].End && ranges[later].Start < ranges[earlier].End)
                {
                    context.AddFailure(new ValidationFailure(
                        $"Rotations[{ranges[later].Index}].ValidFrom",
                        $"This rotation is in force at the same time as rotations[{ranges[earlier].Index}] ('{ranges[earlier].Name}'); one rotation at a time.")
                    {
                        ErrorCode = "overlapping-rotations",
                    });
                    break;
                }
            }
        }
    }

    private static void LocalTime<T>(IRuleBuilderInitial<T, DateTime?> rule) =>
        rule.Must(d => d is null || d.Value.Kind == DateTimeKind.Unspecified).WithErrorCode("local-time-expected")
            .WithMessage("Give a local date-time of the roster's time zone, without an offset or Z, e.g. \"2026-12-01T09:00\".");
}

public sealed class DutyOverrideRequestValidator : AbstractValidator<DutyOverrideRequest>
{
    public static readonly TimeSpan LongestOverride = TimeSpan.FromDays(90);

    public DutyOverrideRequestValidator(TimeProvider time)
    {
        RuleFor(r => r.UserId).NotEmpty().MaximumLength(100);
        RuleFor(r => r.From).NotNull();
        RuleFor(r => r.Until).Cascade(CascadeMode.Stop)
            .NotNull()
            .Must((r, until) => r.From is null || until > r.From).WithErrorCode("until-not-after-from").WithMessage("An override ends after it starts.")
            .Must((r, until) => r.From is null || until - r.From <= LongestOverride).WithErrorCode("override-too-long").WithMessage("An override lasts at most 90 days.")
            .Must(until => until > time.GetUtcNow()).WithErrorCode("override-ended").WithMessage("This override would already have ended.");
    }
}

/// <summary>
/// Administrators keep their own party's duty rosters; liaison officers and officials of the party
/// ask who is on duty. Another party's roster does not exist for the caller (404), as everywhere.
/// </summary>
internal static class DutyRosterEndpoints
{
    public static async Task<Results<Ok<DutyRosterView>, ProblemHttpResult>> Get(string party, string role, HttpContext http, EscalationDbContext db)
    {
        if (Refusal(party, role, http) is { } refusal)
        {
            return refusal;
        }

        var roster = await db.DutyRosters.AsNoTracking().SingleOrDefaultAsync(r => r.Party == party && r.Role == role, http.RequestAborted);
        return roster is null ? Problems.NotFound("duty roster") : TypedResults.Ok(DutyRosterView.Of(roster));
    }

    public static async Task<Results<Ok<DutyRosterView>, ProblemHttpResult>> Put(
        string party, string role, DutyRosterRequest request, HttpContext http, EscalationDbContext db, TimeProvider time)
    {
        if (Refusal(party, role, http) is { } refusal)
        {
            return refusal;
        }

        var errors = new List<FieldError>();
        var timeZone = request.TimeZone
            ?? await db.Parties.AsNoTracking().Where(p => p.Code == party).Select(p => p.TimeZone).SingleOrDefaultAsync(http.RequestAborted);
        if (timeZone is null)
        {
            errors.Add(new FieldError("timeZone", "time-zone-required", $"No time zone is known for {party}; give the roster's timeZone, an IANA name."));
        }

        var rotations = request.Rotations!;
        for (var i = 0; i < rotations.Count; i++)
        {
            var members = rotations[i].Members!.Select((id, j) => ($"rotations[{i}].members[{j}]", id)).ToList();
            errors.AddRange(await MemberErrorsAsync(db, party, role, members, http.RequestAborted));
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var administrator = CurrentUser.From(http.User);
        var now = time.GetUtcNow();
        var roster = await db.DutyRosters.SingleOrDefaultAsync(r => r.Party == party && r.Role == role, http.RequestAborted);
        if (roster is null)
        {
            roster = DutyRoster.Create(party, role, now);
            db.DutyRosters.Add(roster);
        }

        roster.Define(
            timeZone!,
            rotations.Select(r => new Rotation(r.Name!, r.Members!.ToList(), r.FirstHandOff!.Value, r.ShiftLength!.Value, r.ValidFrom, r.ValidUntil)),
            administrator.UserId, now);
        return await SaveAsync(db, roster, http);
    }

    public static async Task<Results<Created<DutyOverride>, ProblemHttpResult>> AddOverride(
        string party, string role, DutyOverrideRequest request, HttpContext http, EscalationDbContext db, TimeProvider time)
    {
        if (Refusal(party, role, http) is { } refusal)
        {
            return refusal;
        }

        var roster = await db.DutyRosters.SingleOrDefaultAsync(r => r.Party == party && r.Role == role, http.RequestAborted);
        if (roster is null)
        {
            return Problems.NotFound("duty roster");
        }

        var errors = await MemberErrorsAsync(db, party, role, [("userId", request.UserId!)], http.RequestAborted);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var added = roster.AddOverride(request.UserId!, request.From!.Value, request.Until!.Value, CurrentUser.From(http.User).UserId, time.GetUtcNow());
        var saved = await SaveAsync(db, roster, http);
        return saved.Result is ProblemHttpResult problem ? problem : TypedResults.Created($"/api/duty-rosters/{party}/{role}", added);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveOverride(
        string party, string role, Guid overrideId, HttpContext http, EscalationDbContext db, TimeProvider time)
    {
        if (Refusal(party, role, http) is { } refusal)
        {
            return refusal;
        }

        var roster = await db.DutyRosters.SingleOrDefaultAsync(r => r.Party == party && r.Role == role, http.RequestAborted);
        if (roster is null || !roster.RemoveOverride(overrideId, CurrentUser.From(http.User).UserId, time.GetUtcNow()))
        {
            return Problems.NotFound("duty roster override");
        }

        var saved = await SaveAsync(db, roster, http);
        return saved.Result is ProblemHttpResult problem ? problem : TypedResults.NoContent();
    }

    public static async Task<Results<Ok<OnDutyView>, ProblemHttpResult>> OnDuty(
        string party, string role, DateTimeOffset? at, HttpContext http, EscalationDbContext db, TimeProvider time)
    {
        if (Refusal(party, role, http) is { } refusal)
        {
            return refusal;
        }

        var roster = await db.DutyRosters.AsNoTracking().SingleOrDefaultAsync(r => r.Party == party && r.Role == role, http.RequestAborted);
        if (roster is null)
        {
            return Problems.NotFound("duty roster");
        }

        var moment = (at ?? time.GetUtcNow()).ToUniversalTime();
        var onDuty = roster.OnDutyAt(moment);
        var name = onDuty.UserId is { } id
            ? await db.People.AsNoTracking().Where(p => p.UserId == id).Select(p => p.DisplayName).SingleOrDefaultAsync(http.RequestAborted)
            : null;
        return TypedResults.Ok(new OnDutyView(party, role, moment, onDuty.UserId, name, onDuty.Until?.ToUniversalTime(), onDuty.Rotation, onDuty.OverrideId));
    }

    /// <summary>Another party's roster is not there for the caller (404); a role that does not exist is a bad request naming it.</summary>
    private static ProblemHttpResult? Refusal(string party, string role, HttpContext http) =>
        OwnParty.Refusal(http.User, party, "duty roster") is { } notYours ? notYours
        : UnknownRole(role) is { } error ? Problems.Validation([error])
        : null;

    internal static FieldError? UnknownRole(string role) =>
        HotlineRoles.All.Contains(role) ? null
        : new FieldError("role", "unknown-role", $"'{role}' is not a role; the roles are {string.Join(", ", HotlineRoles.All)}.");

    /// <summary>Whoever a roster names is an active person of its party holding its role, as Identity last announced them.</summary>
    private static async Task<List<FieldError>> MemberErrorsAsync(
        EscalationDbContext db, string party, string role, IReadOnlyList<(string Field, string UserId)> members, CancellationToken cancellationToken)
    {
        var ids = members.Select(m => m.UserId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.UserId) && p.Party == party).ToListAsync(cancellationToken);
        var errors = new List<FieldError>();
        foreach (var (path, userId) in members)
        {
            var person = people.SingleOrDefault(p => p.UserId == userId);
            if (person is null)
            {
                errors.Add(new FieldError(path, "unknown-user", $"'{userId}' is not a person of {party}."));
            }
            else if (!person.Active)
            {
                errors.Add(new FieldError(path, "inactive-user", $"'{person.DisplayName}' is disabled."));
            }
            else if (!person.Holds(party, role, null))
            {
                errors.Add(new FieldError(path, "role-not-held", $"'{person.DisplayName}' does not hold the role {role}."));
            }
        }

        return errors;
    }

    private static async Task<Results<Ok<DutyRosterView>, ProblemHttpResult>> SaveAsync(EscalationDbContext db, DutyRoster roster, HttpContext http)
    {
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("concurrent-change", "Someone else changed this duty roster at the same moment. Read it again and repeat your change.");
        }

        return TypedResults.Ok(DutyRosterView.Of(roster));
    }
}
