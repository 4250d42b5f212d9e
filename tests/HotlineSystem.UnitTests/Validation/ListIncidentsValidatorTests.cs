using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Features;
using static HotlineSystem.UnitTests.Validation.ValidationAssert;

namespace HotlineSystem.UnitTests.Validation;

public sealed class ListIncidentsValidatorTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ListIncidentsValidator _validator = new();

    private static ListIncidentsQuery NoFilter() => new(null, null, null, null, null, null, null, null, null, null);

    [Fact]
    public Task A_query_without_any_filter_passes() => PassesAsync(_validator, NoFilter());

    [Fact]
    public Task A_query_with_every_filter_passes() => PassesAsync(_validator, new ListIncidentsQuery(
        "KR-CN", IncidentStatus.Acknowledged, Severity.Sev1, "Nd", "2805.30", "CN", March, March, 1, ListIncidentsQuery.MaxPageSize));

    [Theory]
    [InlineData("2805.30")]
    [InlineData("280530")]
    [InlineData("2805.30.1000")]
    [InlineData("9999.99")]
    public Task Any_well_formed_HS_code_passes_as_a_filter(string code) => PassesAsync(_validator, NoFilter() with { HsCode = code });

    [Fact]
    public Task Page_zero_is_too_small() => FailsOnlyAsync(_validator, NoFilter() with { Page = 0 }, "page", "too-small");

    [Theory]
    [InlineData(0)]
    [InlineData(ListIncidentsQuery.MaxPageSize + 1)]
    public Task A_page_size_outside_1_to_100_is_out_of_range(int pageSize) =>
        FailsOnlyAsync(_validator, NoFilter() with { PageSize = pageSize }, "pageSize", "out-of-range");

    [Fact]
    public Task A_status_that_does_not_exist_is_an_invalid_value() =>
        FailsOnlyAsync(_validator, NoFilter() with { Status = (IncidentStatus)42 }, "status", "invalid-value");

    [Fact]
    public Task A_severity_that_does_not_exist_is_an_invalid_value() =>
        FailsOnlyAsync(_validator, NoFilter() with { Severity = (Severity)0 }, "severity", "invalid-value");

    [Theory]
    [InlineData("2805.3")]
    [InlineData("abc")]
    public Task A_malformed_HS_code_is_invalid(string code) =>
        FailsOnlyAsync(_validator, NoFilter() with { HsCode = code }, "hsCode", "invalid-hs-code");

    [Fact]
    public Task A_period_that_ends_before_it_starts_is_invalid() =>
        FailsOnlyAsync(_validator, NoFilter() with { From = March, To = March.AddTicks(-1) }, "to", "invalid-period");

    [Fact]
    public Task A_period_open_at_one_end_passes() => PassesAsync(_validator, NoFilter() with { To = March });
}
