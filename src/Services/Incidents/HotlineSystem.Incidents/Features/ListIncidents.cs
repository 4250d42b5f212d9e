using FluentValidation;
using HotlineSystem.Contracts.Incidents;
using Severity = HotlineSystem.Contracts.Incidents.Severity;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Data;
using HotlineSystem.ServiceDefaults.Identity;
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
    int? PageSize)
{
    public const int MaxPageSize = 100;
}

public sealed class ListIncidentsValidator : AbstractValidator<ListIncidentsQuery>
{
    public ListIncidentsValidator()
    {
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).When(q => q.Page is not null);
        // Beyond this the row offset, (page - 1) * pageSize, would overflow an int.
        RuleFor(q => q.Page).LessThanOrEqualTo(int.MaxValue / ListIncidentsQuery.MaxPageSize).When(q => q.Page is not null);
        RuleFor(q => q.PageSize).InclusiveBetween(1, ListIncidentsQuery.MaxPageSize).When(q => q.PageSize is not null);
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

        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? 20;
        var total = await incidents.CountAsync(http.RequestAborted);
        var items = await incidents
            .OrderByDescending(i => i.ReportedAt).ThenByDescending(i => i.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(http.RequestAborted);

        return TypedResults.Ok(new PagedList<IncidentSummary>(items.Select(i => i.ToSummary()).ToList(), page, pageSize, total));
    }
}
