using FluentValidation;
using HotlineSystem.Contracts.Incidents;
using Severity = HotlineSystem.Contracts.Incidents.Severity;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Data;
using HotlineSystem.ServiceDefaults.Identity;
using HotlineSystem.ServiceDefaults.Input;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.Incidents.Features;

/// <summary>Filters of the incident list; every one optional. Period is on the time reported (UTC).</summary>
public sealed record ListIncidentsQuery(
    string? Channel,
    IncidentStatus? Status,
    Severity? Severity,
    string? Mineral,
    string? HsCode,
    string? ReportingParty,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? Page,
    int? PageSize) : IPageQuery
{
    public const int MaxPageSize = 100;
}

public sealed class ListIncidentsValidator : AbstractValidator<ListIncidentsQuery>
{
    public ListIncidentsValidator()
    {
        this.PageRules(ListIncidentsQuery.MaxPageSize);
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Severity).IsInEnum();
        RuleFor(q => q.Mineral!).Must(symbol => CatalogueSeed.Minerals.Any(m => m.Symbol == symbol)).When(q => q.Mineral is not null)
            .WithErrorCode("unknown-mineral").WithMessage("'{PropertyValue}' is not one of the 17 rare earths (their symbols: Sc, Y, La ... Lu).");
        RuleFor(q => q.HsCode!).Must(CatalogueSnapshot.IsHsCodeShape).When(q => q.HsCode is not null)
            .WithErrorCode("invalid-hs-code").WithMessage("Give 6 digits (2805.30) or a 10-digit national code.");
        RuleFor(q => q.To).GreaterThanOrEqualTo(q => q.From).When(q => q.From is not null && q.To is not null)
            .WithErrorCode("invalid-period").WithMessage("'to' must not be before 'from'.");
    }
}

internal static class ListIncidents
{
    public static async Task<Ok<PagedList<IncidentSummary>>> Handle(
        [AsParameters] ListIncidentsQuery query, IncidentsDbContext db, HttpContext http)
    {
        var party = CurrentUser.From(http.User).Party;
        var incidents = db.Incidents.AsNoTracking().Where(i => i.ReportingParty == party || i.CounterpartParty == party);

        if (query.Channel is not null) incidents = incidents.Where(i => i.Channel == query.Channel);
        if (query.Status is not null) incidents = incidents.Where(i => i.Status == query.Status);
        if (query.Severity is not null) incidents = incidents.Where(i => i.Severity == query.Severity);
        if (query.Mineral is not null) incidents = incidents.Where(i => i.Minerals.Contains(query.Mineral));
        if (query.ReportingParty is not null) incidents = incidents.Where(i => i.ReportingParty == query.ReportingParty);
        if (query.From is not null) incidents = incidents.Where(i => i.ReportedAt >= query.From);
        if (query.To is not null) incidents = incidents.Where(i => i.ReportedAt <= query.To);
        if (query.HsCode is not null)
        {
            // A heading matches its national extensions too: 2805.30 finds 2805.30.1000.
            var digits = query.HsCode.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            incidents = incidents.Where(i => i.HsCodes.Any(code => code.StartsWith(digits)));
        }

        var page = await incidents.OrderByDescending(i => i.ReportedAt).ThenByDescending(i => i.Id)
            .PageAsync(query, i => i.ToSummary(), http.RequestAborted);
        return TypedResults.Ok(page);
    }
}
