using FluentValidation;
using HotlineSystem.BuildingBlocks.Security;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Data;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Severity = HotlineSystem.Contracts.Incidents.Severity;

namespace HotlineSystem.Escalation.Escalations;

public sealed record ManualEscalationRequest(string Reason);

public sealed class ManualEscalationValidator : AbstractValidator<ManualEscalationRequest>
{
    public ManualEscalationValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).PlainText(allowLineBreaks: true);
}

/// <summary>A tier that fired, as its reader sees it: numbered as the incident's timeline numbers it.</summary>
public sealed record FiredTierView(int Number, int Repeat, Visibility Visibility, bool Important, bool Manual, DateTimeOffset DueAt, DateTimeOffset FiredAt);

/// <summary>
/// An escalation as one party may see it. The owner sees all of it, its frozen policy included. The
/// counterpart sees the Shared tiers only and nothing that counts or times the owner's Internal ones:
/// no policy, no position in it, no version, and the next due time only when the next tier calls them.
/// </summary>
public sealed record EscalationView(
    Guid IncidentId, string Channel, string OwnerParty, string CounterpartParty, Severity Severity, EscalationState State,
    int? NextTier, int? Repeats, DateTimeOffset? DueAt, int TiersFired, IReadOnlyList<FiredTierView> Tiers, DateTimeOffset StartedAt,
    DateTimeOffset? AcknowledgedAt, DateTimeOffset? StoppedAt, EscalationStopReason? StopReason, PolicySnapshot? Policy, int? Version)
{
    public static EscalationView Of(Escalation e, string readerParty)
    {
        var channel = ChannelCode.Parse(e.Channel);
        var tiers = e.Fired.Where(f => ReadAccess.MayRead(readerParty, channel, e.OwnerParty, f.Visibility))
            .Select(f => new FiredTierView(f.Number, f.Repeat, f.Visibility, f.Important, f.Manual, f.DueAt, f.FiredAt))
            .ToList();
        var owner = readerParty == e.OwnerParty;
        // While waiting for confirmation the due time is when the acknowledgement reverts: the counterpart's own business.
        var dueAt = owner || e.State == EscalationState.AwaitingConfirmation || e.NextTierReaches(readerParty) ? e.DueAt : null;
        return new(e.IncidentId, e.Channel, e.OwnerParty, e.CounterpartParty, e.Severity, e.State,
            owner ? e.NextTier : null, owner ? e.Repeats : null, dueAt, tiers.Count, tiers, e.StartedAt, e.AcknowledgedAt, e.StoppedAt, e.StopReason,
            owner ? e.Policy : null, owner ? e.Version : null);
    }
}

/// <summary>Liaison officers of either party of the channel follow an escalation and escalate by hand; the owner confirms an acknowledgement.</summary>
internal static class EscalationEndpoints
{
    public static async Task<Results<Ok<EscalationView>, ProblemHttpResult>> Get(Guid incidentId, HttpContext http, EscalationDbContext db) =>
        await FindVisibleAsync(db, incidentId, http) is { } escalation ? TypedResults.Ok(EscalationView.Of(escalation, CurrentUser.From(http.User).Party)) : Problems.NotFound("escalation");

    public static async Task<Results<Ok<EscalationView>, ProblemHttpResult>> EscalateNow(
        Guid incidentId, ManualEscalationRequest request, HttpContext http, EscalationDbContext db, RecipientResolver recipients, TimeProvider time)
    {
        if (await FindVisibleAsync(db, incidentId, http) is not { } escalation)
        {
            return Problems.NotFound("escalation");
        }

        var user = CurrentUser.From(http.User);
        var now = time.GetUtcNow();
        var tierRecipients = escalation.State == EscalationState.Running ? await recipients.ResolveAsync(escalation.CurrentTier, now, http.RequestAborted) : [];
        escalation.EscalateNow(tierRecipients, request.Reason, user.UserId, user.Party, now);
        return await SaveAsync(db, escalation, http);
    }

    public static async Task<Results<Ok<EscalationView>, ProblemHttpResult>> Confirm(Guid incidentId, HttpContext http, EscalationDbContext db, TimeProvider time)
    {
        if (await FindVisibleAsync(db, incidentId, http) is not { } escalation)
        {
            return Problems.NotFound("escalation");
        }

        if (escalation.OwnerParty != CurrentUser.From(http.User).Party)
        {
            return Problems.Forbidden("owner-party-only", "Only the reporting party confirms the counterpart's acknowledgement.");
        }

        escalation.Confirm(time.GetUtcNow());
        return await SaveAsync(db, escalation, http);
    }

    private static async Task<Results<Ok<EscalationView>, ProblemHttpResult>> SaveAsync(EscalationDbContext db, Escalation escalation, HttpContext http)
    {
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("concurrent-change", "The escalation moved on at the same moment (a tier fired or it was acknowledged). Read it again.");
        }

        return TypedResults.Ok(EscalationView.Of(escalation, CurrentUser.From(http.User).Party));
    }

    /// <summary>An escalation of an incident on a channel of the reader's party, or null (404: no existence leak).</summary>
    private static Task<Escalation?> FindVisibleAsync(EscalationDbContext db, Guid incidentId, HttpContext http)
    {
        var party = CurrentUser.From(http.User).Party;
        return db.Escalations.SingleOrDefaultAsync(e => e.IncidentId == incidentId && (e.OwnerParty == party || e.CounterpartParty == party), http.RequestAborted);
    }
}
