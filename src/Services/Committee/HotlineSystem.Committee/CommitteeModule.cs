using HotlineSystem.BuildingBlocks.Data;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.BuildingBlocks.Timers;
using HotlineSystem.Committee.ActionItems;
using HotlineSystem.Committee.Agenda;
using HotlineSystem.Committee.Committees;
using HotlineSystem.Committee.Data;
using HotlineSystem.Committee.Decisions;
using HotlineSystem.Committee.Incidents;
using HotlineSystem.Committee.Keys;
using HotlineSystem.Committee.Meetings;
using HotlineSystem.Committee.Minutes;
using HotlineSystem.Committee.Minutes.Printing;
using HotlineSystem.Contracts.Committee;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HotlineSystem.Committee;

/// <summary>
/// The Committee service: the joint consultative body of each channel, with its delegations,
/// meetings and agreed agendas (domain.md, "Joint committee").
/// </summary>
public static class CommitteeModule
{
    public const string ServiceName = "committee";

    public const string Audience = "committee-api";

    public static class Policies
    {
        /// <summary>Delegates: they propose, agree and record.</summary>
        public const string Member = "committee:member";

        /// <summary>Delegates and their party's administrators read the committee's records.</summary>
        public const string Reader = "committee:reader";

        /// <summary>A party's administrators set its delegation.</summary>
        public const string Administrator = "committee:administrator";
    }

    public static IHostApplicationBuilder AddCommittee(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CommitteeDbContext>(ServiceName);
        builder.Services.AddDueTimer<CommitteeDbContext, ActionItem, ActionItemTimer>(
            "Action item timer", builder.Configuration.GetSection(ActionItemTimer.Section), item => item.NextTimerAt);
        builder.Services.AddValidatorsOf<ScheduleMeetingValidator>();
        builder.Services.AddOptions<SigningSettings>().Bind(builder.Configuration.GetSection(SigningSettings.Section))
            .PostConfigure(signing => signing.KeyFolder = string.IsNullOrWhiteSpace(signing.KeyFolder)
                ? null : Path.GetFullPath(signing.KeyFolder, builder.Environment.ContentRootPath))
            .Validate(signing => signing.SecondFactorWindow > TimeSpan.Zero && signing.SecondFactorWindow <= FreshSecondFactor.Window,
                $"{SigningSettings.Section}:SecondFactorWindow is longer than zero and at most {FreshSecondFactor.Window}.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PartyKeyCustody>();
        builder.Services.AddScoped<PartySigningKeys>();
        builder.Services.Configure<PrintingSettings>(builder.Configuration.GetSection(PrintingSettings.Section));
        builder.Services.AddSingleton<ChromiumPdf>();
        builder.Services.AddScoped<MinutesPrinter>();
        builder.Services.AddConsumersFrom(typeof(CommitteeModule).Assembly, ServiceName);
        builder.Services.AddDirectoryReplay<CommitteeDbContext>(ServiceName);
        builder.Services.AddOpenApiValues<DelegateEntry>("role", Enum.GetNames<DelegateRole>())
            .AddOpenApiTag("Committees", "The joint committee of each channel and each party's delegation: members, one co-chair, alternates.")
            .AddOpenApiTag("Meetings", "Numbered meetings of a committee: time in each party's zone, place, mode, attendance and status.")
            .AddOpenApiTag("Agenda", "Items either party proposes; on the agenda only when both agree. Positions, carry-over and history.")
            .AddOpenApiTag("Minutes", "Minutes in each party's language, reviewed by both delegations, signed by both co-chairs with their own party's key, verified by anyone.")
            .AddOpenApiTag("Signing keys", "Each party's published public keys for signed minutes; a party's administrators rotate its own.")
            .AddOpenApiTag("Decisions", "What a meeting agreed, numbered per committee and year, with each government's domestic approval.")
            .AddOpenApiTag("Action items", "What a meeting asked of a delegate, by when: status and progress by the owner, the due time moved by both co-chairs.");
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Member, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.CommitteeMember, HotlineRoles.CoChair))
            .AddPolicy(Policies.Reader, policy => policy.RequireApi(Audience)
                .RequireRole(HotlineRoles.CommitteeMember, HotlineRoles.CoChair, HotlineRoles.Administrator))
            .AddPolicy(Policies.Administrator, policy => policy.RequireApi(Audience).RequireRole(HotlineRoles.Administrator));
        return builder;
    }

    public static IEndpointRouteBuilder MapCommittee(this IEndpointRouteBuilder app)
    {
        var committees = app.MapGroup("/api/committees").WithTags("Committees");
        committees.MapGet("/", CommitteeEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListCommitteesQuery>().WithName("ListCommittees")
            .WithSummary("List the committees of your party's channels with their delegations");
        committees.MapGet("/{channel}", CommitteeEndpoints.Get).RequireAuthorization(Policies.Reader).WithName("GetCommittee")
            .WithSummary("Read a committee: both delegations, each party's time zone and language");
        committees.MapGet("/{channel}/candidates", CommitteeEndpoints.Candidates).RequireAuthorization(Policies.Administrator).WithName("ListDelegationCandidates")
            .WithSummary("Who of your party may sit on a delegation: active committee members and co-chairs");
        committees.MapPut("/{channel}/delegations/{party}", CommitteeEndpoints.SetDelegation).RequireAuthorization(Policies.Administrator)
            .WithValidation<DelegationRequest>().WithConcurrency().WithName("SetDelegation")
            .WithRequestExample("A co-chair and two members", CommitteeExamples.Delegation)
            .WithSummary("Set your party's delegation: exactly one co-chair, members and alternates");
        committees.MapGet("/{channel}/incidents", LinkableIncidentEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListLinkableIncidentsQuery>()
            .WithName("ListLinkableIncidents").WithSummary("List the channel's Shared incidents an agenda item may name, the latest changed first");
        committees.MapGet("/{channel}/meetings", MeetingEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListMeetingsQuery>().WithName("ListMeetings")
            .WithSummary("List a committee's meetings, the latest first");
        committees.MapPost("/{channel}/meetings", MeetingEndpoints.Schedule).RequireAuthorization(Policies.Member).WithValidation<ScheduleMeetingRequest>().WithName("ScheduleMeeting")
            .WithRequestExample("The next meeting, in Seoul", CommitteeExamples.Meeting)
            .WithSummary("Schedule the committee's next meeting");

        var meetings = app.MapGroup("/api/meetings").WithTags("Meetings");
        meetings.MapGet("/{meetingId:guid}", MeetingEndpoints.Get).RequireAuthorization(Policies.Reader).WithName("GetMeeting")
            .WithSummary("Read a meeting: its time in each party's zone, attendance and agenda");
        meetings.MapPost("/{meetingId:guid}/status", MeetingEndpoints.ChangeStatus).RequireAuthorization(Policies.Member).WithValidation<MeetingStatusRequest>()
            .WithConcurrency().WithName("ChangeMeetingStatus")
            .WithSummary("Move a meeting one step on (co-chairs)");
        meetings.MapPut("/{meetingId:guid}/attendance", MeetingEndpoints.RecordAttendance).RequireAuthorization(Policies.Member).WithValidation<AttendanceRequest>()
            .WithConcurrency().WithName("RecordAttendance")
            .WithSummary("Record your party's attendance at a meeting");
        meetings.MapPost("/{meetingId:guid}/agenda-items", AgendaEndpoints.Propose).RequireAuthorization(Policies.Member).WithValidation<ProposeAgendaItemRequest>()
            .WithTags("Agenda").WithName("ProposeAgendaItem")
            .WithRequestExample("An item on a supply incident", CommitteeExamples.AgendaItem)
            .WithSummary("Propose an item for a meeting's agenda; it joins when the other party agrees");

        var items = app.MapGroup("/api/agenda-items").WithTags("Agenda");
        items.MapGet("/{agendaItemId:guid}", AgendaEndpoints.Get).RequireAuthorization(Policies.Reader).WithName("GetAgendaItem")
            .WithSummary("Read an agenda item: agreements, linked incidents and the positions your party may read");
        items.MapGet("/{agendaItemId:guid}/history", AgendaEndpoints.History).RequireAuthorization(Policies.Reader).WithName("GetAgendaItemHistory")
            .WithSummary("Read an item's history across meetings");
        items.MapPost("/{agendaItemId:guid}/agreement", AgendaEndpoints.Agree).RequireAuthorization(Policies.Member).WithConcurrency().WithName("AgreeAgendaItem")
            .WithSummary("Agree to an item for your party");
        items.MapPost("/{agendaItemId:guid}/withdrawal", AgendaEndpoints.Withdraw).RequireAuthorization(Policies.Member).WithConcurrency().WithName("WithdrawAgendaItem")
            .WithSummary("Withdraw an item your party proposed");
        items.MapPost("/{agendaItemId:guid}/status", AgendaEndpoints.RecordStatus).RequireAuthorization(Policies.Member).WithValidation<AgendaItemStatusRequest>()
            .WithConcurrency().WithName("RecordAgendaItemStatus")
            .WithSummary("Record an item as discussed, resolved or deferred (co-chairs)");
        items.MapPut("/{agendaItemId:guid}/arrangement", AgendaEndpoints.Arrange).RequireAuthorization(Policies.Member).WithValidation<ArrangementRequest>()
            .WithConcurrency().WithName("ArrangeAgendaItem")
            .WithSummary("Set an item's place in the agenda and the time allotted (co-chairs)");
        items.MapPost("/{agendaItemId:guid}/carry-over", AgendaEndpoints.CarryOver).RequireAuthorization(Policies.Member).WithValidation<CarryOverRequest>()
            .WithConcurrency().WithName("CarryOverAgendaItem")
            .WithSummary("Carry an item over to a later meeting, keeping its lineage (co-chairs)");
        items.MapPut("/{agendaItemId:guid}/positions/mine", AgendaEndpoints.RecordPosition).RequireAuthorization(Policies.Member).WithValidation<PositionRequest>()
            .WithConcurrency().WithName("RecordAgendaPosition")
            .WithRequestExample("An internal position", CommitteeExamples.Position)
            .WithSummary("Record your party's position on an item; Internal unless you share it");

        meetings.MapPost("/{meetingId:guid}/action-items", ActionItemEndpoints.Assign).RequireAuthorization(Policies.Member).WithValidation<AssignActionItemRequest>()
            .WithTags("Action items").WithName("AssignActionItem")
            .WithSummary("Record what the meeting asked of a delegate, by when (co-chairs)");
        committees.MapGet("/{channel}/action-items", ActionItemEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListActionItemsQuery>()
            .WithTags("Action items").WithName("ListActionItems")
            .WithSummary("List a committee's action items, the soonest due first");
        var actionItems = app.MapGroup("/api/action-items").WithTags("Action items");
        actionItems.MapGet("/{actionItemId:guid}", ActionItemEndpoints.Get).RequireAuthorization(Policies.Reader).WithName("GetActionItem")
            .WithSummary("Read an action item: owner, due time in each party's zone, status and progress");
        actionItems.MapPost("/{actionItemId:guid}/status", ActionItemEndpoints.ChangeStatus).RequireAuthorization(Policies.Member).WithValidation<ActionItemStatusRequest>()
            .WithConcurrency().WithName("ChangeActionItemStatus")
            .WithSummary("Move an action item on (the owner party's delegates)");
        actionItems.MapPost("/{actionItemId:guid}/notes", ActionItemEndpoints.AddNote).RequireAuthorization(Policies.Member).WithValidation<ProgressNoteRequest>()
            .WithConcurrency().WithName("AddActionItemNote")
            .WithSummary("Note progress on an action item (the owner party's delegates)");
        actionItems.MapPut("/{actionItemId:guid}/due-date", ActionItemEndpoints.ChangeDueDate).RequireAuthorization(Policies.Member).WithValidation<DueDateRequest>()
            .WithConcurrency().WithName("ChangeActionItemDueDate")
            .WithSummary("Propose a new due time, or agree to the other co-chair's (co-chairs; both must)");
        meetings.MapPost("/{meetingId:guid}/minutes", MinutesEndpoints.Draft).RequireAuthorization(Policies.Member).WithTags("Minutes").WithName("DraftMinutes")
            .WithSummary("Start the minutes of a meeting in session or concluded; asking again answers with them");
        meetings.MapGet("/{meetingId:guid}/minutes", MinutesEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListMinutesQuery>()
            .WithTags("Minutes").WithName("ListMinutes")
            .WithSummary("List a meeting's minutes and their corrections (released ones only, outside the delegations)");
        var minutes = app.MapGroup("/api/minutes").WithTags("Minutes");
        minutes.MapGet("/{minutesId:guid}", MinutesEndpoints.Get).RequireAuthorization(Policies.Reader).WithName("GetMinutes")
            .WithSummary("Read the minutes: each language version with its SHA-256, review comments, agreements and signatures");
        minutes.MapPut("/{minutesId:guid}/texts/{language}", MinutesEndpoints.WriteText).RequireAuthorization(Policies.Member).WithValidation<MinutesTextRequest>()
            .WithConcurrency().WithName("WriteMinutesText")
            .WithSummary("Write one language version (a party's language, or en for the reference); a change voids agreements and signatures");
        minutes.MapPost("/{minutesId:guid}/review", MinutesEndpoints.ShareForReview).RequireAuthorization(Policies.Member).WithValidation<ReviewRequest>()
            .WithConcurrency().WithName("ShareMinutesForReview")
            .WithSummary("Share the draft with both delegations for review until a time (co-chairs)");
        minutes.MapPost("/{minutesId:guid}/comments", MinutesEndpoints.Comment).RequireAuthorization(Policies.Member).WithValidation<ReviewCommentRequest>()
            .WithConcurrency().WithName("CommentOnMinutes")
            .WithSummary("Remark on the minutes during review");
        minutes.MapPut("/{minutesId:guid}/comments/{commentId:guid}", MinutesEndpoints.CorrectComment).RequireAuthorization(Policies.Member)
            .WithValidation<ReviewCommentRequest>().WithConcurrency().WithName("CorrectMinutesComment")
            .WithSummary("Correct a remark of your delegation within the review window");
        minutes.MapPost("/{minutesId:guid}/agreement", MinutesEndpoints.Agree).RequireAuthorization(Policies.Member).WithConcurrency().WithName("AgreeMinutes")
            .WithSummary("Agree to the texts as they are, for your party (co-chairs)");
        minutes.MapPost("/{minutesId:guid}/signature", MinutesEndpoints.Sign).RequireAuthorization(Policies.Member).WithConcurrency().WithName("SignMinutes")
            .WithSummary("Sign the agreed texts with your party's key (co-chairs, with a second factor of the last 5 minutes)");
        minutes.MapPost("/{minutesId:guid}/release", MinutesEndpoints.AgreeToRelease).RequireAuthorization(Policies.Member).WithConcurrency().WithName("ReleaseMinutes")
            .WithSummary("Agree, for your party, to release signed minutes beyond the delegations (co-chairs; both must)");
        minutes.MapPost("/{minutesId:guid}/correction", MinutesEndpoints.Correct).RequireAuthorization(Policies.Member).WithName("CorrectMinutes")
            .WithSummary("Start a correction of signed minutes: a new record naming them");
        minutes.MapGet("/{minutesId:guid}/verification", MinutesEndpoints.Verify).RequireAuthorization(Policies.Reader).WithName("VerifyMinutes")
            .WithSummary("Recompute the texts' hashes and check each signature under the parties' published keys");
        minutes.MapGet("/{minutesId:guid}/bundle", MinutesEndpoints.Bundle).RequireAuthorization(Policies.Reader).WithName("ExportMinutesBundle")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .WithSummary("Export signed minutes as a bundle anyone can verify without the system (zip)");
        minutes.MapGet("/{minutesId:guid}/document", MinutesPrinting.Html).RequireAuthorization(Policies.Reader).WithName("PrintMinutes")
            .WithSummary("The signed minutes as a printable HTML document: both texts side by side, the signatures and their hashes");
        minutes.MapGet("/{minutesId:guid}/pdf", MinutesPrinting.Pdf).RequireAuthorization(Policies.Reader).WithName("PrintMinutesToPdf")
            .WithSummary("The same document printed to PDF by Chromium");

        meetings.MapPost("/{meetingId:guid}/decisions", DecisionEndpoints.Record).RequireAuthorization(Policies.Member).WithValidation<RecordDecisionRequest>()
            .WithTags("Decisions").WithName("RecordDecision")
            .WithSummary("Record what a meeting in session or concluded agreed, and whose governments must still approve it (co-chairs)");
        committees.MapGet("/{channel}/decisions", DecisionEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListDecisionsQuery>()
            .WithTags("Decisions").WithName("ListDecisions")
            .WithSummary("List a committee's decisions, newest first; by year, or those still awaiting a party's domestic approval");
        var decisions = app.MapGroup("/api/decisions").WithTags("Decisions");
        decisions.MapGet("/{decisionId:guid}", DecisionEndpoints.Get).RequireAuthorization(Policies.Reader).WithName("GetDecision")
            .WithSummary("Read a decision: its number, text, agenda items and each party's domestic approval");
        decisions.MapPut("/{decisionId:guid}/domestic-approval", DecisionEndpoints.RecordDomesticApproval).RequireAuthorization(Policies.Member)
            .WithValidation<DomesticApprovalRequest>().WithConcurrency().WithName("RecordDomesticApproval")
            .WithSummary("Record that your government approved or refused the decision, and on what day (co-chairs)");

        var parties = app.MapGroup("/api/parties").WithTags("Signing keys");
        parties.MapGet("/{party}/signing-keys", PartyKeyEndpoints.List).RequireAuthorization(Policies.Reader).WithValidation<ListSigningKeysQuery>()
            .WithName("ListSigningKeys")
            .WithSummary("A party's published public keys for signing minutes, current and retired");
        parties.MapPost("/{party}/signing-keys", PartyKeyEndpoints.Rotate).RequireAuthorization(Policies.Administrator).WithName("RotateSigningKey")
            .WithSummary("Retire your party's current signing key and publish a new one (administrators, with a fresh second factor)");
        return app;
    }
}
