using System.Globalization;
using HotlineSystem.Web.Apis;

namespace HotlineSystem.Web.Components.Administration;

/// <summary>Who was or will be on duty from one instant until the next hand-off (nobody when <see cref="UserId"/> is null).</summary>
public sealed record DutySegment(DateTimeOffset From, DateTimeOffset Until, string? UserId, string? Rotation, Guid? OverrideId);

/// <summary>A segment within one local day: from <see cref="Start"/> to <see cref="End"/>, where an end at midnight is 24:00.</summary>
public sealed record DutySlot(TimeOnly Start, TimeOnly End, bool UntilMidnight, string? UserId, string? Rotation, Guid? OverrideId)
{
    /// <summary>"09:00–24:00".</summary>
    public string Hours => $"{Start.ToString("HH:mm", CultureInfo.InvariantCulture)}–{(UntilMidnight ? "24:00" : End.ToString("HH:mm", CultureInfo.InvariantCulture))}";
}

public sealed record DutyDay(DateOnly Date, IReadOnlyList<DutySlot> Slots);

/// <summary>
/// A week of a duty roster as its party reads it: seven local days, Monday first, in the party's
/// time zone, each with who is on duty when. The segments come from the Escalation service's own
/// answer to "who is on duty at t, and until when" (overrides included), asked hand-off after
/// hand-off, so the week shows exactly what escalation will use; this class only places them.
/// </summary>
public static class DutyWeek
{
    /// <summary>Enough for a week of one-hour shifts with overrides between them; a guard, not a rule.</summary>
    public const int MostSegments = 400;

    /// <summary>The Monday of the local week that holds <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public static DateOnly MondayOf(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        return today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
    }

    /// <summary>The instant a local day begins in the zone (where midnight is skipped by a clock change, the first moment after it).</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone) => LocalTimes.ToInstant(day.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>Asks <paramref name="onDutyAt"/> at the start and then at each answer's end, until <paramref name="until"/>.</summary>
    public static async Task<IReadOnlyList<DutySegment>> ReadAsync(Func<DateTimeOffset, Task<OnDutyAnswer>> onDutyAt, DateTimeOffset from, DateTimeOffset until)
    {
        var segments = new List<DutySegment>();
        var at = from;
        while (at < until && segments.Count < MostSegments)
        {
            var answer = await onDutyAt(at);
            var end = answer.Until is { } next && next > at && next < until ? next : until;
            segments.Add(new DutySegment(at, end, answer.UserId, answer.Rotation, answer.OverrideId));
            at = end;
        }

        return segments;
    }

    /// <summary>The seven days from <paramref name="monday"/>, each with the parts of the segments that fall in it, in local time.</summary>
    public static IReadOnlyList<DutyDay> Place(DateOnly monday, TimeZoneInfo zone, IEnumerable<DutySegment> segments)
    {
        var ordered = segments.OrderBy(s => s.From).ToList();
        var days = new List<DutyDay>(7);
        for (var i = 0; i < 7; i++)
        {
            var date = monday.AddDays(i);
            var (start, end) = (StartOf(date, zone), StartOf(date.AddDays(1), zone));
            var slots = ordered
                .Where(s => s.From < end && s.Until > start)
                .Select(s => new DutySlot(
                    LocalTimeOf(s.From > start ? s.From : start, zone),
                    LocalTimeOf(s.Until < end ? s.Until : end, zone),
                    UntilMidnight: s.Until >= end,
                    s.UserId, s.Rotation, s.OverrideId))
                .ToList();
            days.Add(new DutyDay(date, slots));
        }

        return days;
    }

    private static TimeOnly LocalTimeOf(DateTimeOffset moment, TimeZoneInfo zone) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, zone).DateTime);
}

/// <summary>Wall-clock times of a zone as the administrator types them (datetime-local fields) and as the APIs take them.</summary>
public static class LocalTimes
{
    private const string InputFormat = "yyyy-MM-ddTHH:mm";

    /// <summary>"2026-12-07T09:00", as a datetime-local field holds it.</summary>
    public static string Format(DateTime local) => local.ToString(InputFormat, CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset moment, TimeZoneInfo zone) => Format(TimeZoneInfo.ConvertTime(moment, zone).DateTime);

    /// <summary>A datetime-local field's value (with or without seconds) as a wall-clock time without a zone; null when empty or unreadable.</summary>
    public static DateTime? Parse(string? text) =>
        DateTime.TryParseExact(text, [InputFormat, "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? DateTime.SpecifyKind(local, DateTimeKind.Unspecified)
            : null;

    /// <summary>
    /// The instant of a wall-clock time, resolved as the Escalation service resolves roster times: in
    /// an hour that repeats, the first; in an hour that is skipped, the time after the jump.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.IsInvalidTime(local) ? zone.GetUtcOffset(local.AddDays(-1))
            : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToOffset(zone.GetUtcOffset(new DateTimeOffset(local - offset, TimeSpan.Zero)));
    }
}
