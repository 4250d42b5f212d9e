using System.Text.Json.Serialization;

namespace HotlineSystem.Escalation.Rosters;

/// <summary>
/// A rotation of a roster: its members take turns in order, each for one shift. Times are local
/// wall-clock times of the roster's time zone (no offset): the first member takes over at
/// <see cref="FirstHandOff"/>, and every hand-off after it falls a whole number of shifts later on
/// the local clock, so a 24-hour shift hands off at the same time of day all year, DST or not.
/// The rotation is in force from <see cref="ValidFrom"/> (default: the first hand-off) until
/// <see cref="ValidUntil"/> (exclusive; none: open-ended).
/// </summary>
public sealed record Rotation(
    string Name, IReadOnlyList<string> Members, DateTime FirstHandOff, TimeSpan ShiftLength, DateTime? ValidFrom, DateTime? ValidUntil)
{
    [JsonIgnore]
    public DateTime Start => ValidFrom ?? FirstHandOff;

    public bool Overlaps(Rotation other) =>
        Start < (other.ValidUntil ?? DateTime.MaxValue) && other.Start < (ValidUntil ?? DateTime.MaxValue);
}

/// <summary>Someone on duty in place of the rotation from one instant until another: an override wins over every rotation.</summary>
public sealed record DutyOverride(Guid Id, string UserId, DateTimeOffset From, DateTimeOffset Until, string AddedBy, DateTimeOffset AddedAt)
{
    public bool Covers(DateTimeOffset at) => From <= at && at < Until;
}

/// <summary>Who is on duty at a moment and until when (null: no end known); nobody when <see cref="UserId"/> is null.</summary>
public sealed record OnDuty(string? UserId, DateTimeOffset? Until, string? Rotation, Guid? OverrideId)
{
    public static readonly OnDuty Nobody = new(null, null, null, null);
}

/// <summary>
/// Who is on duty for one role of one party (domain.md: "Duty roster"): rotations with hand-offs in
/// the roster's time zone, and overrides. Managed by the party's administrators; each change is a
/// new version. Escalation asks it for "the on-duty LiaisonOfficer of CN", never for a name.
/// </summary>
public sealed class DutyRoster
{
    /// <summary>Overrides that ended this long ago answer no question anyone asks; they are dropped on the next change.</summary>
    public static readonly TimeSpan OverrideRetention = TimeSpan.FromDays(30);

    private DutyRoster()
    {
    }

    public Guid Id { get; private set; }

    public string Party { get; private set; } = "";

    public string Role { get; private set; } = "";

    /// <summary>The IANA time zone the rotations' local times are in (by default the party's own).</summary>
    public string TimeZone { get; private set; } = "";

    public List<Rotation> Rotations { get; private set; } = [];

    public List<DutyOverride> Overrides { get; private set; } = [];

    public int Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public static DutyRoster Create(string party, string role, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), Party = party, Role = role };

    /// <summary>Replaces the time zone and the rotations; overrides stay. The request validator has refused overlapping rotations.</summary>
    public void Define(string timeZone, IEnumerable<Rotation> rotations, string by, DateTimeOffset now)
    {
        var rotationList = rotations.ToList();
        if (rotationList.Where((r, i) => rotationList.Skip(i + 1).Any(r.Overlaps)).Any())
        {
            throw new ArgumentException("Rotations of one roster may not overlap.", nameof(rotations));
        }

        TimeZoneInfo.FindSystemTimeZoneById(timeZone); // throws on an unknown zone, which the validator refuses first
        TimeZone = timeZone;
        Rotations = rotationList;
        Changed(by, now);
    }

    public DutyOverride AddOverride(string userId, DateTimeOffset from, DateTimeOffset until, string by, DateTimeOffset now)
    {
        if (until <= from)
        {
            throw new ArgumentException("An override ends after it starts.", nameof(until));
        }

        var added = new DutyOverride(Guid.CreateVersion7(now), userId, from, until, by, now);
        Overrides = [.. Overrides.Where(o => o.Until > now - OverrideRetention), added];
        Changed(by, now);
        return added;
    }

    public bool RemoveOverride(Guid id, string by, DateTimeOffset now)
    {
        if (Overrides.RemoveAll(o => o.Id == id) == 0)
        {
            return false;
        }

        Changed(by, now);
        return true;
    }

    /// <summary>
    /// Who is on duty at <paramref name="at"/>: the override covering it (the one added last, when
    /// several do), else the member whose shift of the rotation in force covers it, else nobody.
    /// </summary>
    public OnDuty OnDutyAt(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        // An override that starts later ends whatever answer holds now.
        var nextOverride = Overrides.Where(o => o.From > at).Select(o => (DateTimeOffset?)o.From).Min();

        if (Overrides.LastOrDefault(o => o.Covers(at)) is { } cover)
        {
            var laterCover = Overrides.SkipWhile(o => o != cover).Skip(1).Where(o => o.From > at).Select(o => (DateTimeOffset?)o.From).Min();
            return new OnDuty(cover.UserId, Earliest(cover.Until, laterCover), null, cover.Id);
        }

        foreach (var rotation in Rotations)
        {
            var start = LocalClock.ToInstant(rotation.Start, zone);
            var end = rotation.ValidUntil is { } until ? LocalClock.ToInstant(until, zone) : (DateTimeOffset?)null;
            if (at < start || at >= end)
            {
                continue;
            }

            var (shift, shiftEnd) = ShiftAt(rotation, at, zone);
            var member = rotation.Members[(int)(((shift % rotation.Members.Count) + rotation.Members.Count) % rotation.Members.Count)];
            return new OnDuty(member, Earliest(Earliest(shiftEnd, end), nextOverride), rotation.Name, null);
        }

        var nextRotation = Rotations.Select(r => LocalClock.ToInstant(r.Start, zone)).Where(s => s > at).Select(s => (DateTimeOffset?)s).Min();
        return OnDuty.Nobody with { Until = Earliest(nextRotation, nextOverride) };
    }

    /// <summary>
    /// The number of the shift covering <paramref name="at"/> (0 is the first member's first shift;
    /// negative before it) and the instant it ends: floor((local time − first hand-off) / shift length),
    /// checked against the hand-off instants so that a local hour that repeats in autumn cannot hand back.
    /// </summary>
    private static (long Shift, DateTimeOffset End) ShiftAt(Rotation rotation, DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var shift = Math.DivRem((local - rotation.FirstHandOff).Ticks, rotation.ShiftLength.Ticks, out var rest) - (rest < 0 ? 1 : 0);
        DateTimeOffset HandOff(long n) => LocalClock.ToInstant(rotation.FirstHandOff + TimeSpan.FromTicks(rotation.ShiftLength.Ticks * n), zone);

        while (at < HandOff(shift))
        {
            shift--;
        }

        while (at >= HandOff(shift + 1))
        {
            shift++;
        }

        return (shift, HandOff(shift + 1));
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private void Changed(string by, DateTimeOffset now)
    {
        UpdatedBy = by;
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>Local wall-clock times of a time zone, turned into instants the way java.time and NodaTime resolve them.</summary>
public static class LocalClock
{
    /// <summary>
    /// The instant of a local time: in the autumn's repeated hour the first one; in the spring's
    /// skipped hour the time the clock shows after the jump (moved forward by the gap).
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else if (zone.IsInvalidTime(local))
        {
            offset = zone.GetUtcOffset(local.AddDays(-1)); // the offset before the gap
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }
}

/// <summary>Names of time zones (IANA, as the registry's parties and the rosters give them).</summary>
public static class IanaTimeZones
{
    public static bool Exists(string? timeZone) => timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _);
}
