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

        /// <summary>
        /// Who answers for a party: its liaison officers, and the officials an escalation reaches, who
        /// must be able to read what they are called about and acknowledge it (docs/adr/0011).
        /// </summary>
        public const string Responder = "incidents:responder";
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
        // Fixed in code (the seed): the 17 rare earths, the incident types and the sectors. HS codes,
        // parties and channels are data and have only their shape in the document.
        builder.Services.AddOpenApiValues<FileIncidentRequest>("minerals", CatalogueSeed.Minerals.Select(m => m.Symbol))
            .AddOpenApiValues<FileIncidentRequest>("mineral", CatalogueSeed.Minerals.Select(m => m.Symbol))
            .AddOpenApiValues<FileIncidentRequest>("sectors", CatalogueSeed.Sectors.Select(s => s.Code))
            .AddOpenApiValues<FileIncidentRequest>("type", CatalogueSeed.IncidentTypes.Select(t => t.Code))
            .AddOpenApiTag("Catalogue", "Reference data: the rare earths, HS codes, sectors, incident types, parties and channels.")
            .AddOpenApiTag("Incidents", "Supply incidents filed on a channel, their timeline, comments and state changes.");
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.LiaisonOfficer, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.LiaisonOfficer))
            .AddPolicy(Policies.Responder, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.LiaisonOfficer, HotlineRoles.Official))
            .AddPolicy(Policies.CatalogueReader, policy => policy.RequireApi(Audience))
            .AddPolicy(Policies.CatalogueAdministrator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Administrator));
        return builder;
    }

    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/catalogue", CatalogueEndpoints.Get)
            .RequireAuthorization(Policies.CatalogueReader).WithTags("Catalogue").WithName("GetCatalogue")
            .WithSummary("Read the catalogue: minerals, HS codes, sectors, incident types, parties and channels");
        app.MapPost("/api/catalogue/hs-codes", AddHsCode.Handle).WithValidation<AddHsCodeRequest>()
            .RequireAuthorization(Policies.CatalogueAdministrator).WithTags("Catalogue").WithName("AddHsCode")
            .WithSummary("Add an HS code to the catalogue (administrators)");

        var incidents = app.MapGroup("/api/incidents").WithTags("Incidents");
        // Liaison officers work incidents; officials an escalation reaches read and acknowledge them (docs/adr/0011).
        incidents.MapPost("/", FileIncident.Handle).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<FileIncidentRequest>().WithName("FileIncident")
            .WithRequestExample("A Sev1 on dysprosium and terbium", IncidentsExamples.FileIncident)
            .WithSummary("File a supply incident on a channel of your party");
        incidents.MapGet("/", ListIncidents.Handle).RequireAuthorization(Policies.Responder).WithValidation<ListIncidentsQuery>().WithName("ListIncidents")
            .WithSummary("List the incidents visible to your party, filtered and paged");
        incidents.MapGet("/{id:guid}", GetIncident.Handle).RequireAuthorization(Policies.Responder).WithName("GetIncident")
            .WithSummary("Read an incident with its timeline");
        incidents.MapPost("/{id:guid}/comments", CommentOnIncident.Handle).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<CommentRequest>().WithName("CommentOnIncident")
            .WithRequestExample("A comment the counterpart reads", IncidentsExamples.SharedComment)
            .WithRequestExample("An internal note of your party", IncidentsExamples.InternalNote)
            .WithSummary("Comment on an incident, shared with the counterpart or internal to your party");
        incidents.MapPost("/{id:guid}/acknowledgement", ChangeIncident.Acknowledge).RequireAuthorization(Policies.Responder).WithName("AcknowledgeIncident").WithConcurrency()
            .WithSummary("Acknowledge the counterpart's incident");
        incidents.MapPut("/{id:guid}/severity", ChangeIncident.ChangeSeverity).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<ChangeSeverityRequest>().WithName("ChangeIncidentSeverity").WithConcurrency()
            .WithSummary("Change an incident's severity");
        incidents.MapPost("/{id:guid}/status", ChangeIncident.ChangeStatus).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<ChangeStatusRequest>().WithName("ChangeIncidentStatus").WithConcurrency()
            .WithSummary("Move an incident to another status");
        incidents.MapPost("/{id:guid}/withdrawal", ChangeIncident.Withdraw).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<ReasonRequest>().WithName("WithdrawIncident").WithConcurrency()
            .WithSummary("Withdraw an incident your party filed");
        incidents.MapPost("/{id:guid}/reopening", ChangeIncident.Reopen).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<ReasonRequest>().WithName("ReopenIncident").WithConcurrency()
            .WithSummary("Reopen a resolved incident, back to review");
        return app;
    }
}
