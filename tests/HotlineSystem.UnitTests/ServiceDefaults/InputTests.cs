using System.Text.Json;
using FluentValidation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Input;
using Severity = HotlineSystem.Contracts.Incidents.Severity;

namespace HotlineSystem.UnitTests.ServiceDefaults;

/// <summary>What a request may say, read the same way by every endpoint (issue 14, item 4).</summary>
public sealed class InputTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new EnumNamesConverter(), new DomainDateTimeOffsetConverter(), new DomainDateOnlyConverter() },
    };

    [Theory]
    [InlineData("\"Sev1\"", Severity.Sev1)]
    [InlineData("\"sev2\"", Severity.Sev2)]
    [InlineData("\"SEV4\"", Severity.Sev4)]
    public void An_enum_is_read_from_its_name_in_any_case(string json, Severity expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<Severity>(json, Json));

    [Theory]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("\"0\"")]
    [InlineData("\"Sev1,Sev2\"")]
    [InlineData("\"Sev1, Sev2\"")]
    [InlineData("\" Sev1\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    public void An_enum_number_or_combination_is_refused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Severity>(json, Json));

    [Fact]
    public void A_nullable_enum_takes_null_and_names_only()
    {
        Assert.Null(JsonSerializer.Deserialize<Severity?>("null", Json));
        Assert.Equal(Severity.Sev3, JsonSerializer.Deserialize<Severity?>("\"Sev3\"", Json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Severity?>("\"Sev1,Sev3\"", Json));
    }

    [Fact]
    public void An_enum_is_written_as_its_name() => Assert.Equal("\"UnderReview\"", JsonSerializer.Serialize(IncidentStatus.UnderReview, Json));

    [Theory]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    [InlineData("\"9999-12-31T23:59:59Z\"")]
    [InlineData("\"1999-12-31T23:59:59Z\"")]
    [InlineData("\"2100-01-01T00:00:00Z\"")]
    public void A_moment_outside_the_domain_is_refused_as_out_of_range(string json)
    {
        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>(json, Json));
        Assert.StartsWith(DomainDates.OutOfRange, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2000-01-01T00:00:00Z\"")]
    [InlineData("\"2027-03-01T09:00:00+09:00\"")]
    [InlineData("\"2099-12-31T23:59:59Z\"")]
    public void A_moment_within_the_domain_is_read(string json) =>
        Assert.Equal(DateTimeOffset.Parse(json.Trim('"'), System.Globalization.CultureInfo.InvariantCulture), JsonSerializer.Deserialize<DateTimeOffset>(json, Json));

    [Theory]
    [InlineData("\"0001-01-01\"", true)]
    [InlineData("\"9999-12-31\"", true)]
    [InlineData("\"2027-02-30\"", false)]
    [InlineData("20270301", false)]
    public void A_day_outside_the_domain_or_not_a_day_is_refused(string json, bool outOfRange)
    {
        var refused = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateOnly>(json, Json));
        Assert.Equal(outOfRange, refused.Message.StartsWith(DomainDates.OutOfRange, StringComparison.Ordinal));
    }

    private sealed record Tier(string Role, List<string>? Notes);

    private sealed record Policy(string Name, List<Tier?> Tiers, string?[] Tags, Tier? Fallback);

    [Fact]
    public void Each_null_inside_a_list_is_named_by_its_path()
    {
        var policy = new Policy("p", [new Tier("Official", ["a", null!]), null, new Tier("Official", null)], ["x", null], new Tier("CoChair", [null!]));

        var errors = RequestContents.In(policy);

        Assert.Equal(["tiers[0].notes[1]", "tiers[1]", "tags[1]", "fallback.notes[0]"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal("null-element", e.Code));
    }

    [Fact]
    public void A_request_without_null_elements_has_no_errors() =>
        Assert.Empty(RequestContents.In(new Policy("p", [new Tier("Official", ["a"])], ["x"], null)));

    private sealed record Note(string Text);

    private sealed class NoteValidator : AbstractValidator<Note>
    {
        public NoteValidator() => RuleFor(n => n.Text).PlainText(allowLineBreaks: true);
    }

    [Theory]
    [InlineData("Dysprosium exports paused at the port.\nThird line.", true)]
    [InlineData("Right-to-left mark \u200F is typed by people", true)]
    [InlineData("invoice_\u202Efdp.exe", false)]
    [InlineData("isolate \u2066hidden\u2069", false)]
    [InlineData("bell \u0007", false)]
    [InlineData("nul \u0000", false)]
    public void Texts_refuse_control_characters_and_directional_overrides(string text, bool valid)
    {
        var result = new NoteValidator().Validate(new Note(text));

        Assert.Equal(valid, result.IsValid);
        Assert.All(result.Errors, e => Assert.Equal("invalid-characters", e.ErrorCode));
    }
}
