using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.Incidents.Features;
using static HotlineSystem.UnitTests.Validation.ValidationAssert;

namespace HotlineSystem.UnitTests.Validation;

public sealed class ChangeSeverityValidatorTests
{
    private readonly ChangeSeverityValidator _validator = new();

    [Fact]
    public Task A_new_severity_without_a_reason_passes() => PassesAsync(_validator, new ChangeSeverityRequest(Severity.Sev1, null));

    [Fact]
    public Task A_new_severity_with_a_reason_of_several_lines_passes() =>
        PassesAsync(_validator, new ChangeSeverityRequest(Severity.Sev4, "Stock rebuilt.\nTwo lines restarted."));

    [Fact]
    public Task A_change_without_a_severity_is_refused() =>
        FailsOnlyAsync(_validator, new ChangeSeverityRequest(null, "Escalate"), "severity", "required");

    [Fact]
    public Task A_severity_that_does_not_exist_is_an_invalid_value() =>
        FailsOnlyAsync(_validator, new ChangeSeverityRequest((Severity)5, null), "severity", "invalid-value");

    [Fact]
    public Task A_reason_above_2000_characters_is_too_long() =>
        FailsOnlyAsync(_validator, new ChangeSeverityRequest(Severity.Sev1, new string('r', TextLimits.Reason + 1)), "reason", "too-long");

    [Fact]
    public Task A_reason_with_a_control_character_is_refused() =>
        FailsOnlyAsync(_validator, new ChangeSeverityRequest(Severity.Sev1, "Nul\0"), "reason", "invalid-characters");
}

public sealed class ChangeStatusValidatorTests
{
    private readonly ChangeStatusValidator _validator = new();

    [Theory]
    [InlineData(IncidentStatus.UnderReview)]
    [InlineData(IncidentStatus.Mitigating)]
    [InlineData(IncidentStatus.Resolved)]
    [InlineData(IncidentStatus.Closed)]
    public Task A_move_to_a_working_status_passes(IncidentStatus status) =>
        PassesAsync(_validator, new ChangeStatusRequest(status, "Next step."));

    [Fact]
    public void The_working_statuses_are_those_the_aggregate_moves_to() =>
        Assert.Equal(
            [IncidentStatus.UnderReview, IncidentStatus.Mitigating, IncidentStatus.Resolved, IncidentStatus.Closed],
            Incident.WorkingStatuses.Order());

    [Theory]
    [InlineData(IncidentStatus.Reported)]
    [InlineData(IncidentStatus.Acknowledged)]
    [InlineData(IncidentStatus.Withdrawn)]
    public Task A_status_with_an_endpoint_of_its_own_is_an_invalid_value_here(IncidentStatus status) =>
        FailsOnlyAsync(_validator, new ChangeStatusRequest(status, null), "status", "invalid-value");

    [Fact]
    public Task A_status_that_does_not_exist_is_an_invalid_value() =>
        FailsOnlyAsync(_validator, new ChangeStatusRequest((IncidentStatus)99, null), "status", "invalid-value");

    [Fact]
    public Task A_change_without_a_status_is_refused() =>
        FailsOnlyAsync(_validator, new ChangeStatusRequest(null, null), "status", "required");

    [Fact]
    public Task A_reason_above_2000_characters_is_too_long() =>
        FailsOnlyAsync(_validator, new ChangeStatusRequest(IncidentStatus.Resolved, new string('r', TextLimits.Reason + 1)), "reason", "too-long");

    [Fact]
    public Task A_reason_with_a_control_character_is_refused() =>
        FailsOnlyAsync(_validator, new ChangeStatusRequest(IncidentStatus.Resolved, "Form\ffeed"), "reason", "invalid-characters");
}

public sealed class ReasonValidatorTests
{
    private readonly ReasonValidator _validator = new();

    [Theory]
    [InlineData("Filed on the wrong channel.")]
    [InlineData("Supply resumed,\r\nbut the quota is still under review.")]
    public Task A_reason_passes(string reason) => PassesAsync(_validator, new ReasonRequest(reason));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public Task A_blank_reason_is_refused(string? reason) =>
        FailsOnlyAsync(_validator, new ReasonRequest(reason!), "reason", "required");

    [Fact]
    public Task A_reason_above_2000_characters_is_too_long() =>
        FailsOnlyAsync(_validator, new ReasonRequest(new string('r', TextLimits.Reason + 1)), "reason", "too-long");

    [Fact]
    public Task A_reason_with_a_control_character_is_refused() =>
        FailsOnlyAsync(_validator, new ReasonRequest("Bell\u0007"), "reason", "invalid-characters");
}
