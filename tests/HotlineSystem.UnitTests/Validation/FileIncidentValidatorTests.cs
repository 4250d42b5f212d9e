using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Features;
using Microsoft.Extensions.Time.Testing;
using static HotlineSystem.UnitTests.Validation.ValidationAssert;

namespace HotlineSystem.UnitTests.Validation;

public sealed class FileIncidentValidatorTests
{
    /// <summary>03:00 UTC on 15 March 2026: already midday in Seoul.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 3, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = new(2026, 3, 15);

    /// <summary>A heading the administrators add for tracking, in force only from 1 July 2026.</summary>
    private static readonly HsCode NewMagnetCode = new("850519", "Other permanent magnets", "기타 영구자석", "其他永磁体", new DateOnly(2026, 7, 1), null);

    /// <summary>A heading of the 2017 nomenclature, no longer in force since 2022.</summary>
    private static readonly HsCode RetiredCode = new("284600", "Compounds of rare-earth metals (HS 2017)", "희토류 화합물(HS 2017)", "稀土化合物（HS 2017）",
        new DateOnly(2017, 1, 1), new DateOnly(2021, 12, 31));

    private readonly FakeTimeProvider _time = new(Now);

    private FileIncidentValidator Validator() => new(FixedCatalogue.FromSeed(NewMagnetCode, RetiredCode), _time);

    private static FileIncidentRequest Valid() => new(
        RequestId: Guid.NewGuid(),
        Channel: "KR-CN",
        Type: "export-licence-delay",
        Severity: Severity.Sev2,
        Title: "Dysprosium export licences held for 30 days",
        Description: "Three magnet makers report pending licences.\r\nStock:\t14 days.",
        Language: "ko",
        Minerals: ["Dy", "Tb"],
        HsCodes: ["2805.30", "284690"],
        Sectors: ["permanent-magnets", "electric-vehicles"],
        QuantityTonnes: 12.5m,
        InventoryCoverDays: 14,
        StartedOn: new DateOnly(2026, 3, 1),
        CounterpartAgency: "MOFCOM");

    [Fact]
    public Task A_complete_request_passes() => PassesAsync(Validator(), Valid());

    [Fact]
    public Task A_request_with_only_the_required_facts_passes() => PassesAsync(Validator(), Valid() with
    {
        Language = null,
        HsCodes = null,
        Sectors = null,
        QuantityTonnes = null,
        InventoryCoverDays = null,
        StartedOn = null,
        CounterpartAgency = null,
    });

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    [InlineData("zh-Hans")]
    public Task A_working_language_of_a_party_or_English_passes(string language) =>
        PassesAsync(Validator(), Valid() with { Language = language });

    [Fact]
    public Task Markup_in_a_title_is_kept_as_text_and_passes() =>
        PassesAsync(Validator(), Valid() with { Title = "<b>Nd</b> & Dy quota cut" });

    [Theory]
    [InlineData("2805.30")]
    [InlineData("280530")]
    [InlineData("2805.30.1000")]
    [InlineData("2805301000")]
    [InlineData("8505.11")]
    public Task A_catalogue_heading_or_its_national_extension_passes(string code) =>
        PassesAsync(Validator(), Valid() with { HsCodes = [code] });

    [Fact]
    public Task An_incident_that_started_tomorrow_in_UTC_passes_because_it_is_already_tomorrow_in_Seoul() =>
        PassesAsync(Validator(), Valid() with { StartedOn = Today.AddDays(1) });

    [Fact]
    public Task An_incident_that_started_on_the_first_of_January_2000_passes() =>
        PassesAsync(Validator(), Valid() with { StartedOn = new DateOnly(2000, 1, 1), HsCodes = null });

    [Fact]
    public Task The_seeded_HS_headings_are_known_for_an_incident_that_started_before_the_2022_nomenclature() =>
        PassesAsync(Validator(), Valid() with { StartedOn = new DateOnly(2021, 12, 31), HsCodes = ["2805.30"] });

    public static TheoryData<string, string, string> BrokenRules => new()
    {
        { "no request id", "requestId", "required" },
        { "no channel", "channel", "required" },
        { "channel longer than 20", "channel", "too-long" },
        { "no type", "type", "required" },
        { "type not in the catalogue", "type", "unknown-incident-type" },
        { "no severity", "severity", "required" },
        { "severity out of the enum", "severity", "invalid-value" },
        { "no title", "title", "required" },
        { "title longer than 200", "title", "too-long" },
        { "line break in the title", "title", "invalid-characters" },
        { "no description", "description", "required" },
        { "description longer than 10000", "description", "too-long" },
        { "bell character in the description", "description", "invalid-characters" },
        { "language no party works in", "language", "unknown-language" },
        { "no list of minerals", "minerals", "required" },
        { "empty list of minerals", "minerals", "required" },
        { "a mineral twice", "minerals", "invalid-list" },
        { "iron among the minerals", "minerals[1]", "unknown-mineral" },
        { "a mineral by its name, not its symbol", "minerals[0]", "unknown-mineral" },
        { "an HS code twice", "hsCodes", "invalid-list" },
        { "an HS code twice, written two ways", "hsCodes", "invalid-list" },
        { "21 HS codes", "hsCodes", "invalid-list" },
        { "a sector twice", "sectors", "invalid-list" },
        { "a sector not in the catalogue", "sectors[0]", "unknown-sector" },
        { "negative quantity", "quantityTonnes", "out-of-range" },
        { "quantity above ten million tonnes", "quantityTonnes", "out-of-range" },
        { "negative inventory cover", "inventoryCoverDays", "out-of-range" },
        { "inventory cover above ten years", "inventoryCoverDays", "out-of-range" },
        { "started the day after tomorrow", "startedOn", "date-in-future" },
        { "agency longer than 200", "counterpartAgency", "too-long" },
        { "line break in the agency", "counterpartAgency", "invalid-characters" },
    };

    private static readonly Dictionary<string, Func<FileIncidentRequest, FileIncidentRequest>> Breakers = new()
    {
        ["no request id"] = r => r with { RequestId = Guid.Empty },
        ["no channel"] = r => r with { Channel = "" },
        ["channel longer than 20"] = r => r with { Channel = new string('K', 21) },
        ["no type"] = r => r with { Type = "" },
        ["type not in the catalogue"] = r => r with { Type = "earthquake" },
        ["no severity"] = r => r with { Severity = null },
        ["severity out of the enum"] = r => r with { Severity = (Severity)9 },
        ["no title"] = r => r with { Title = "" },
        ["title longer than 200"] = r => r with { Title = new string('t', TextLimits.Title + 1) },
        ["line break in the title"] = r => r with { Title = "Quota cut\nfor Nd" },
        ["no description"] = r => r with { Description = "" },
        ["description longer than 10000"] = r => r with { Description = new string('d', TextLimits.Description + 1) },
        ["bell character in the description"] = r => r with { Description = "Ring\u0007" },
        ["language no party works in"] = r => r with { Language = "fr" },
        ["no list of minerals"] = r => r with { Minerals = null },
        ["empty list of minerals"] = r => r with { Minerals = [] },
        ["a mineral twice"] = r => r with { Minerals = ["Nd", "Nd"] },
        ["iron among the minerals"] = r => r with { Minerals = ["Nd", "Fe"] },
        ["a mineral by its name, not its symbol"] = r => r with { Minerals = ["Neodymium"] },
        ["an HS code twice, written two ways"] = r => r with { HsCodes = ["2805.30", "280530"] },
        ["an HS code twice"] = r => r with { HsCodes = ["2805.30", "2805.30"] },
        ["21 HS codes"] = r => r with { HsCodes = Enumerable.Range(1, 21).Select(i => $"2805.30.{i:0000}").ToList() },
        ["a sector twice"] = r => r with { Sectors = ["batteries", "batteries"] },
        ["a sector not in the catalogue"] = r => r with { Sectors = ["agriculture"] },
        ["negative quantity"] = r => r with { QuantityTonnes = -0.001m },
        ["quantity above ten million tonnes"] = r => r with { QuantityTonnes = 10_000_000.001m },
        ["negative inventory cover"] = r => r with { InventoryCoverDays = -1 },
        ["inventory cover above ten years"] = r => r with { InventoryCoverDays = 3651 },
        ["started the day after tomorrow"] = r => r with { StartedOn = Today.AddDays(2) },
        ["agency longer than 200"] = r => r with { CounterpartAgency = new string('a', TextLimits.Agency + 1) },
        ["line break in the agency"] = r => r with { CounterpartAgency = "MOFCOM\r\nCustoms" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public Task A_request_breaking_one_rule_fails_on_that_field_with_its_code(string broken, string field, string code) =>
        FailsOnlyAsync(Validator(), Breakers[broken](Valid()), field, code);

    [Fact]
    public void Every_broken_rule_has_a_breaker() =>
        Assert.Equal(BrokenRules.Select(row => (string)row[0]).Order(), Breakers.Keys.Order());

    [Theory]
    [InlineData("2805.3")]
    [InlineData("abc")]
    [InlineData("2805.30.10")]
    [InlineData("")]
    public Task An_HS_code_of_the_wrong_shape_is_invalid(string code) =>
        FailsOnlyAsync(Validator(), Valid() with { HsCodes = ["8505.11", code] }, "hsCodes[1]", "invalid-hs-code");

    [Fact]
    public Task A_null_in_the_list_of_HS_codes_is_invalid() =>
        FailsOnlyAsync(Validator(), Valid() with { HsCodes = ["2805.30", null!] }, "hsCodes[1]", "invalid-hs-code");

    [Fact]
    public Task A_null_in_the_list_of_minerals_is_unknown() =>
        FailsOnlyAsync(Validator(), Valid() with { Minerals = ["Nd", null!] }, "minerals[1]", "unknown-mineral");

    [Fact]
    public Task A_null_in_the_list_of_sectors_is_unknown() =>
        FailsOnlyAsync(Validator(), Valid() with { Sectors = [null!] }, "sectors[0]", "unknown-sector");

    [Theory]
    [InlineData("9999.99")]
    [InlineData("2601.11")]
    [InlineData("9999.99.1000")]
    public Task A_well_formed_HS_code_that_is_not_a_rare_earth_heading_is_unknown(string code) =>
        FailsOnlyAsync(Validator(), Valid() with { HsCodes = [code] }, "hsCodes[0]", "unknown-hs-code");

    [Fact]
    public Task An_HS_code_whose_catalogue_entry_is_not_yet_valid_on_the_start_date_is_unknown() =>
        FailsOnlyAsync(Validator(), Valid() with { HsCodes = ["8505.19"], StartedOn = new DateOnly(2026, 3, 1) }, "hsCodes[0]", "unknown-hs-code");

    [Fact]
    public Task Without_a_start_date_an_HS_code_is_checked_on_today() =>
        FailsOnlyAsync(Validator(), Valid() with { HsCodes = ["8505.19"], StartedOn = null }, "hsCodes[0]", "unknown-hs-code");

    [Fact]
    public async Task An_HS_code_becomes_known_on_the_day_its_catalogue_entry_starts()
    {
        _time.SetUtcNow(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero));

        await FailsOnlyAsync(Validator(), Valid() with { HsCodes = ["8505.19"], StartedOn = new DateOnly(2026, 6, 30) }, "hsCodes[0]", "unknown-hs-code");
        await PassesAsync(Validator(), Valid() with { HsCodes = ["8505.19"], StartedOn = new DateOnly(2026, 7, 1) });
        await PassesAsync(Validator(), Valid() with { HsCodes = ["8505.19"], StartedOn = null });
    }

    [Fact]
    public async Task A_retired_HS_code_is_known_only_for_incidents_that_started_while_it_was_in_force()
    {
        await PassesAsync(Validator(), Valid() with { HsCodes = ["2846.00"], StartedOn = new DateOnly(2021, 12, 31) });
        await FailsOnlyAsync(Validator(), Valid() with { HsCodes = ["2846.00"], StartedOn = new DateOnly(2022, 1, 1) }, "hsCodes[0]", "unknown-hs-code");
    }

    [Fact]
    public async Task Moving_the_clock_moves_the_start_dates_that_are_in_the_future()
    {
        var request = Valid() with { StartedOn = Today.AddDays(2) };
        await FailsOnlyAsync(Validator(), request, "startedOn", "date-in-future");

        _time.Advance(TimeSpan.FromDays(1));

        await PassesAsync(Validator(), request);
    }
}
