using FluentValidation;
using HotlineSystem.Contracts.Incidents;
using Severity = HotlineSystem.Contracts.Incidents.Severity;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HotlineSystem.Incidents.Features;

// The state changes of an incident. Each needs If-Match with the version last read; the rules
// (who may, from which status) live on the Incident aggregate.

public sealed record ChangeSeverityRequest(Severity? Severity, string? Reason);

public sealed record ChangeStatusRequest(IncidentStatus? Status, string? Reason);

/// <summary>Withdrawing and reopening need a reason that the other party will read.</summary>
public sealed record ReasonRequest(string Reason);

public sealed class ChangeSeverityValidator : AbstractValidator<ChangeSeverityRequest>
{
    public ChangeSeverityValidator()
    {
        RuleFor(r => r.Severity).NotNull().IsInEnum();
        RuleFor(r => r.Reason!).MaximumLength(TextLimits.Reason).PlainText(allowLineBreaks: true).When(r => r.Reason is not null);
    }
}

public sealed class ChangeStatusValidator : AbstractValidator<ChangeStatusRequest>
{
    public ChangeStatusValidator()
    {
        RuleFor(r => r.Status).Cascade(CascadeMode.Stop).NotNull().IsInEnum()
            .Must(s => s is null || Incident.WorkingStatuses.Contains(s.Value)).WithErrorCode("invalid-value")
            .WithMessage($"Move to one of: {string.Join(", ", Incident.WorkingStatuses)}. Acknowledge, withdraw and reopen have endpoints of their own.");
        RuleFor(r => r.Reason!).MaximumLength(TextLimits.Reason).PlainText(allowLineBreaks: true).When(r => r.Reason is not null);
    }
}

public sealed class ReasonValidator : AbstractValidator<ReasonRequest>
{
    public ReasonValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(TextLimits.Reason).PlainText(allowLineBreaks: true);
    }
}

internal static class ChangeIncident
{
    public static Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> Acknowledge(Guid id, IncidentsDbContext db, TimeProvider time, HttpContext http) =>
        IncidentAccess.ChangeAsync(db, id, http, time, (incident, actor, now) => incident.Acknowledge(actor, now));

    public static Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> ChangeSeverity(
        Guid id, ChangeSeverityRequest request, IncidentsDbContext db, TimeProvider time, HttpContext http) =>
        IncidentAccess.ChangeAsync(db, id, http, time, (incident, actor, now) => incident.ChangeSeverity(request.Severity!.Value, request.Reason, actor, now));

    public static Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> ChangeStatus(
        Guid id, ChangeStatusRequest request, IncidentsDbContext db, TimeProvider time, HttpContext http) =>
        IncidentAccess.ChangeAsync(db, id, http, time, (incident, actor, now) => incident.MoveTo(request.Status!.Value, request.Reason, actor, now));

    public static Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> Withdraw(
        Guid id, ReasonRequest request, IncidentsDbContext db, TimeProvider time, HttpContext http) =>
        IncidentAccess.ChangeAsync(db, id, http, time, (incident, actor, now) => incident.Withdraw(request.Reason, actor, now));

    public static Task<Results<Ok<IncidentDetails>, ProblemHttpResult>> Reopen(
        Guid id, ReasonRequest request, IncidentsDbContext db, TimeProvider time, HttpContext http) =>
        IncidentAccess.ChangeAsync(db, id, http, time, (incident, actor, now) => incident.Reopen(request.Reason, actor, now));
}
