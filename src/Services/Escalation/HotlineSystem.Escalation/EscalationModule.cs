using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.BuildingBlocks.Timers;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Escalations;
using HotlineSystem.Escalation.Measures;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.Escalation.Rosters;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineSystem.Escalation;

/// <summary>
/// The Escalation service: policies and duty rosters of each party, and the running escalations
/// whose tiers climb through officials on stored deadlines until the counterpart acknowledges.
/// </summary>
public static class EscalationModule
{
    public const string ServiceName = "escalation";

    public const string Audience = "escalation-api";

    public static class Policies
    {
        public const string Administrator = "escalation:administrator";
        public const string LiaisonOfficer = "escalation:liaison-officer";
        public const string MeasuresReader = "escalation:measures-reader";
        public const string OnDutyReader = "escalation:on-duty-reader";

        /// <summary>Liaison officers, and the officials an escalation reaches: they read where it stands.</summary>
        public const string Responder = "escalation:responder";
    }

    public static IHostApplicationBuilder AddEscalation(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<EscalationDbContext>(ServiceName);
        builder.Services.AddScoped<RecipientResolver>();
        builder.Services.AddScoped<IDutyRosters, DutyRosters>();
        builder.Services.AddDueTimer<EscalationDbContext, Escalations.Escalation, EscalationDue>(
            "Escalation timer", builder.Configuration.GetSection(EscalationDue.Section), escalation => escalation.DueAt);
        builder.Services.AddValidatorsOf<PolicyRequestValidator>();
        builder.Services.AddConsumersFrom(typeof(EscalationModule).Assembly, ServiceName);
        builder.Services.AddDirectoryReplay<EscalationDbContext>(ServiceName);
        builder.Services.AddOpenApiTag("Escalation policies", "Who is called, tier after tier, when the counterpart does not acknowledge an incident in time.")
            .AddOpenApiTag("Duty rosters", "Rotations and overrides that say who of a party is on duty for a role.")
            .AddOpenApiTag("Escalations", "The running escalation of an incident: tiers fired, manual escalation and confirmation.")
            .AddOpenApiTag("Measures", "How fast incidents are acknowledged and resolved.");
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Administrator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Administrator))
            .AddPolicy(Policies.LiaisonOfficer, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.LiaisonOfficer))
            .AddPolicy(Policies.Responder, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.LiaisonOfficer, HotlineRoles.Official))
            .AddPolicy(Policies.MeasuresReader, policy => policy.RequireApi(Audience)
                .RequireRole(HotlineRoles.LiaisonOfficer, HotlineRoles.CommitteeMember, HotlineRoles.CoChair, HotlineRoles.Administrator))
            .AddPolicy(Policies.OnDutyReader, policy => policy.RequireApi(Audience)
                .RequireRole(HotlineRoles.Administrator, HotlineRoles.LiaisonOfficer, HotlineRoles.Official));
        return builder;
    }

    public static IEndpointRouteBuilder MapEscalation(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/escalation-policies").RequireAuthorization(Policies.Administrator).WithTags("Escalation policies");
        policies.MapGet("/", PolicyEndpoints.List).WithName("ListEscalationPolicies")
            .WithSummary("List your party's escalation policies");
        policies.MapGet("/{channel}/{severity}", PolicyEndpoints.Get).WithName("GetEscalationPolicy")
            .WithSummary("Read your party's escalation policy for a channel and severity");
        policies.MapPut("/{channel}/{severity}", PolicyEndpoints.Put).WithValidation<PolicyRequest>().WithName("PutEscalationPolicy")
            .WithRequestExample("Liaison officer, then the Director-General", EscalationExamples.Policy)
            .WithSummary("Set your party's escalation policy for a channel and severity");

        var rosters = app.MapGroup("/api/duty-rosters/{party}/{role}").RequireAuthorization(Policies.Administrator).WithTags("Duty rosters");
        rosters.MapGet("/", DutyRosterEndpoints.Get).WithName("GetDutyRoster")
            .WithSummary("Read a duty roster of your party for a role");
        rosters.MapPut("/", DutyRosterEndpoints.Put).WithValidation<DutyRosterRequest>().WithName("PutDutyRoster")
            .WithRequestExample("Two officers in weekly shifts", EscalationExamples.Roster)
            .WithSummary("Set a duty roster of your party for a role");
        rosters.MapPost("/overrides", DutyRosterEndpoints.AddOverride).WithValidation<DutyOverrideRequest>().WithName("AddDutyOverride")
            .WithSummary("Put someone on duty in place of the rotation for a period");
        rosters.MapDelete("/overrides/{overrideId:guid}", DutyRosterEndpoints.RemoveOverride).WithName("RemoveDutyOverride")
            .WithSummary("Remove a duty override");
        app.MapGet("/api/duty-rosters/{party}/{role}/on-duty", DutyRosterEndpoints.OnDuty)
            .RequireAuthorization(Policies.OnDutyReader).WithTags("Duty rosters").WithName("GetOnDuty")
            .WithSummary("Who is on duty for a role of a party at a time");

        // Officials an escalation reaches read it too; escalating and confirming stay with liaison officers (docs/adr/0011).
        var escalations = app.MapGroup("/api/escalations").WithTags("Escalations");
        escalations.MapGet("/{incidentId:guid}", EscalationEndpoints.Get).RequireAuthorization(Policies.Responder).WithName("GetEscalation")
            .WithSummary("Read an incident's escalation: tiers fired and what comes next");
        escalations.MapPost("/{incidentId:guid}/manual", EscalationEndpoints.EscalateNow).RequireAuthorization(Policies.LiaisonOfficer).WithValidation<ManualEscalationRequest>().WithName("EscalateNow")
            .WithSummary("Escalate an incident to the next tier now");
        escalations.MapPost("/{incidentId:guid}/confirmation", EscalationEndpoints.Confirm).RequireAuthorization(Policies.LiaisonOfficer).WithName("ConfirmAcknowledgement")
            .WithSummary("Confirm the counterpart's acknowledgement, ending the escalation");

        app.MapGet("/api/escalation-measures", MeasureEndpoints.Get)
            .RequireAuthorization(Policies.MeasuresReader).WithTags("Measures").WithName("GetEscalationMeasures")
            .WithSummary("Time to acknowledge and to resolve, by severity and reporting party, over a period");
        return app;
    }
}
