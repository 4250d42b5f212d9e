using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.Incidents.Data;
using HotlineSystem.Incidents.Features;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineSystem.Incidents;

/// <summary>The Incidents service: supply incidents, their timeline and comments, and the catalogue.</summary>
public static class IncidentsModule
{
    public const string ServiceName = "incidents";

    /// <summary>The audience of this API: access tokens for another service are refused here.</summary>
    public const string Audience = "incidents-api";

    public static class Policies
    {
        public const string LiaisonOfficer = "incidents:liaison-officer";
        public const string CatalogueReader = "incidents:catalogue-reader";
        public const string CatalogueAdministrator = "incidents:catalogue-administrator";
    }

    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IncidentsDbContext>(ServiceName);
        builder.Services.AddSingleton<CatalogueCache>();
        builder.Services.AddSingleton<ICatalogue>(sp => sp.GetRequiredService<CatalogueCache>());
        builder.Services.AddScoped<IDataSeeder<IncidentsDbContext>, IncidentsSeeder>();
        builder.Services.AddValidatorsOf<FileIncidentValidator>();
        builder.Services.AddConsumersFrom(typeof(IncidentsModule).Assembly, ServiceName);
        builder.Services.AddDirectoryReplay<IncidentsDbContext>(ServiceName);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.LiaisonOfficer, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.LiaisonOfficer))
            .AddPolicy(Policies.CatalogueReader, policy => policy.RequireApi(Audience))
            .AddPolicy(Policies.CatalogueAdministrator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Administrator));
        return builder;
    }

    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/catalogue", CatalogueEndpoints.Get)
            .RequireAuthorization(Policies.CatalogueReader).WithTags("Catalogue").WithName("GetCatalogue");
        app.MapPost("/api/catalogue/hs-codes", AddHsCode.Handle).WithValidation<AddHsCodeRequest>()
            .RequireAuthorization(Policies.CatalogueAdministrator).WithTags("Catalogue").WithName("AddHsCode");

        var incidents = app.MapGroup("/api/incidents").RequireAuthorization(Policies.LiaisonOfficer).WithTags("Incidents");
        incidents.MapPost("/", FileIncident.Handle).WithValidation<FileIncidentRequest>().WithName("FileIncident");
        incidents.MapGet("/", ListIncidents.Handle).WithValidation<ListIncidentsQuery>().WithName("ListIncidents");
        incidents.MapGet("/{id:guid}", GetIncident.Handle).WithName("GetIncident");
        incidents.MapPost("/{id:guid}/comments", CommentOnIncident.Handle).WithValidation<CommentRequest>().WithName("CommentOnIncident");
        incidents.MapPost("/{id:guid}/acknowledgement", ChangeIncident.Acknowledge).WithName("AcknowledgeIncident");
        incidents.MapPut("/{id:guid}/severity", ChangeIncident.ChangeSeverity).WithValidation<ChangeSeverityRequest>().WithName("ChangeIncidentSeverity");
        incidents.MapPost("/{id:guid}/status", ChangeIncident.ChangeStatus).WithValidation<ChangeStatusRequest>().WithName("ChangeIncidentStatus");
        incidents.MapPost("/{id:guid}/withdrawal", ChangeIncident.Withdraw).WithValidation<ReasonRequest>().WithName("WithdrawIncident");
        incidents.MapPost("/{id:guid}/reopening", ChangeIncident.Reopen).WithValidation<ReasonRequest>().WithName("ReopenIncident");
        return app;
    }
}
