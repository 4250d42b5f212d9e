using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;

namespace HotlineSystem.ServiceDefaults.Input;

/// <summary>
/// The dates this domain can mean: from 2000 to 2100. A date outside is a mistake or a probe, and
/// near the ends of DateTimeOffset's range any arithmetic on it (a shift's end, a deadline)
/// overflows; it is refused where it enters, in a body, a route or a query.
/// </summary>
public static class DomainDates
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Exclusive.</summary>
    public static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string OutOfRange = "The date is outside 2000-01-01 to 2099-12-31.";

    public static bool Contains(DateTimeOffset moment) => moment >= Earliest && moment < Latest;

    public static bool Contains(DateOnly day) => day.Year is >= 2000 and < 2100;

    /// <summary>A wall-clock time (a roster's hand-off in its party's time zone): by its calendar year.</summary>
    public static bool Contains(DateTime moment) => moment.Year is >= 2000 and < 2100;

    public static IRuleBuilderOptions<T, DateTimeOffset?> WithinDomainDates<T>(this IRuleBuilder<T, DateTimeOffset?> rule) =>
        rule.Must(moment => moment is null || Contains(moment.Value)).WithErrorCode("out-of-range").WithMessage(OutOfRange);
}

/// <summary>Bodies' dates and times: ISO 8601 as System.Text.Json reads them, within <see cref="DomainDates"/>.</summary>
public sealed class DomainDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var moment))
        {
            throw new JsonException("Expected a date and time in ISO 8601, e.g. 2027-03-01T09:00:00+09:00.");
        }

        return DomainDates.Contains(moment) ? moment : throw new JsonException(DomainDates.OutOfRange);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Bodies' wall-clock times (ISO 8601, a roster's local hand-off), within <see cref="DomainDates"/>.</summary>
public sealed class DomainDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTime(out var moment))
        {
            throw new JsonException("Expected a date and time in ISO 8601, e.g. 2027-03-01T09:00:00.");
        }

        return DomainDates.Contains(moment) ? moment : throw new JsonException(DomainDates.OutOfRange);
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Bodies' days (yyyy-MM-dd), within <see cref="DomainDates"/>.</summary>
public sealed class DomainDateOnlyConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String
            || !DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new JsonException("Expected a day as yyyy-MM-dd.");
        }

        return DomainDates.Contains(day) ? day : throw new JsonException(DomainDates.OutOfRange);
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
