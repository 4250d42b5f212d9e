using System.Globalization;

namespace HotlineSystem.Web.Components;

/// <summary>Times as a reader reads them: in their party's time zone, with the zone's offset shown.</summary>
public sealed class ReaderTime(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public static ReaderTime For(string? timeZoneId) =>
        new(timeZoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var zone) ? zone : TimeZoneInfo.Utc);

    /// <summary>"2026-12-04 18:30 UTC+9".</summary>
    public string Format(DateTimeOffset moment)
    {
        var local = TimeZoneInfo.ConvertTime(moment, zone);
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + Offset(local.Offset);
    }

    /// <summary>"Asia/Seoul (UTC+9)".</summary>
    public string Name(DateTimeOffset now) => $"{zone.Id} ({Offset(zone.GetUtcOffset(now))})";

    private static string Offset(TimeSpan offset) =>
        "UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().Hours.ToString(CultureInfo.InvariantCulture)
        + (offset.Minutes != 0 ? ":" + offset.Duration().Minutes.ToString("00", CultureInfo.InvariantCulture) : "");
}
