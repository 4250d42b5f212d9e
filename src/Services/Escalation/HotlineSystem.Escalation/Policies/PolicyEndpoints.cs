using FluentValidation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Data;
using HotlineSystem.ServiceDefaults;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Severity = HotlineSystem.Contracts.Incidents.Severity;

namespace HotlineSystem.Escalation.Policies;

public sealed record TierRequest(string? Party, string? Role, string? OfficialTier, IReadOnlyList<string>? UserIds, TimeSpan? Wait, bool Important);

/// <summary>The whole policy of a party for one channel and severity: put again to change it (a new version).</summary>
public sealed record PolicyRequest(IReadOnlyList<TierRequest>? Tiers, int RepeatLastTier, TimeSpan? ConfirmationWindow);

public sealed record PolicyView(
    Guid Id, string Channel, string OwnerParty, Severity Severity, IReadOnlyList<EscalationTier> Tiers, int RepeatLastTier,
    TimeSpan? ConfirmationWindow, int Version, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    public static PolicyView Of(EscalationPolicy p) =>
        new(p.Id, p.Channel, p.OwnerParty, p.Severity, p.Tiers, p.RepeatLastTier, p.ConfirmationWindow, p.Version, p.UpdatedAt, p.UpdatedBy);
}

public sealed class PolicyRequestValidator : AbstractValidator<PolicyRequest>
{
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(30);

    public PolicyRequestValidator()
    {
        RuleFor(r => r.Tiers).Cascade(CascadeMode.Stop)
            .NotEmpty().WithErrorCode("tiers-required").WithMessage("A policy has at least one tier.")
            .Must(t => t!.Count <= 20).WithErrorCode("too-many-tiers").WithMessage("A policy has at most 20 tiers.");
        RuleForEach(r => r.Tiers).ChildRules(tier =>
        {
            tier.RuleFor(t => t.Wait).Cascade(CascadeMode.Stop)
                .NotNull().WithErrorCode("required").WithMessage("Give how long to wait for acknowledgement before this tier, e.g. \"00:15:00\".")
                .Must(w => w > TimeSpan.Zero).WithErrorCode("wait-not-positive").WithMessage("A wait is longer than zero.")
                .Must(w => w <= LongestWait).WithErrorCode("wait-too-long").WithMessage("A wait is at most 30 days.");
            tier.RuleFor(t => t).Must(t => (t.UserIds is { Count: > 0 }) != (t.Party is not null || t.Role is not null))
                .WithName("target").OverridePropertyName("target").WithErrorCode("one-target")
                .WithMessage("A tier names either a role of a party (party and role) or people (userIds), not both and not neither.");
            tier.RuleFor(t => t.Party!).Matches("^[A-Z]{2}$").WithErrorCode("unknown-party").WithMessage("'{PropertyValue}' is not a party code.")
                .When(t => t.Party is not null);
            tier.RuleFor(t => t.Party).NotEmpty().When(t => t.Role is not null).WithMessage("A role needs the party whose roster to ask.");
            tier.RuleFor(t => t.Role).NotEmpty().When(t => t.Party is not null).WithMessage("Name the role of the party to notify.");
            tier.RuleFor(t => t.Role!).Must(role => HotlineRoles.All.Contains(role)).WithErrorCode("unknown-role")
                .WithMessage($"'{{PropertyValue}}' is not a role; the roles are {string.Join(", ", HotlineRoles.All)}.").When(t => t.Role is not null);
            tier.RuleFor(t => t.OfficialTier!).Must(t => OfficialTiers.All.Contains(t)).WithErrorCode("unknown-official-tier")
                .WithMessage($"'{{PropertyValue}}' is not a tier; the tiers are {string.Join(", ", OfficialTiers.All)}.")
                .Must((t, _) => t.Role == HotlineRoles.Official).WithErrorCode("official-tier-without-official").WithMessage("Only an Official has a tier.")
                .When(t => t.OfficialTier is not null);
            tier.RuleFor(t => t.UserIds).Must(ids => ids!.Count <= 20 && ids.Distinct().Count() == ids.Count)
                .WithErrorCode("invalid-list").WithMessage("Name at most 20 people, each once.").When(t => t.UserIds is not null);
        });
        RuleFor(r => r.RepeatLastTier).InclusiveBetween(0, 10);
        RuleFor(r => r.ConfirmationWindow).Must(w => w > TimeSpan.Zero && w <= TimeSpan.FromDays(7))
            .WithErrorCode("invalid-confirmation-window").WithMessage("A confirmation window is longer than zero and at most 7 days.")
            .When(r => r.ConfirmationWindow is not null);
    }
}

/// <summary>Administrators define how their party's unacknowledged incidents escalate, per channel and severity.</summary>
internal static class PolicyEndpoints
{
    public static async Task<Ok<List<PolicyView>>> List(HttpContext http, EscalationDbContext db)
    {
        var party = CurrentUser.From(http.User).Party;
        var policies = await db.Policies.AsNoTracking().Where(p => p.OwnerParty == party).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(policies.OrderBy(p => p.Channel).ThenBy(p => p.Severity).Select(PolicyView.Of).ToList());
    }

    public static async Task<Results<Ok<PolicyView>, ProblemHttpResult>> Get(string channel, Severity severity, HttpContext http, EscalationDbContext db)
    {
        var party = CurrentUser.From(http.User).Party;
        var policy = await db.Policies.AsNoTracking()
            .SingleOrDefaultAsync(p => p.Channel == channel && p.OwnerParty == party && p.Severity == severity, http.RequestAborted);
        return policy is null ? Problems.NotFound("escalation policy") : TypedResults.Ok(PolicyView.Of(policy));
    }

    public static async Task<Results<Ok<PolicyView>, ProblemHttpResult>> Put(
        string channel, Severity severity, PolicyRequest request, HttpContext http, EscalationDbContext db, TimeProvider time)
    {
        var administrator = CurrentUser.From(http.User);
        var (code, notYours) = OwnParty.Channel(http.User, channel);
        if (notYours is not null)
        {
            return notYours;
        }

        var errors = new List<FieldError>();
        var tiers = request.Tiers!;
        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i].Party is { } party && !code.Includes(party))
            {
                errors.Add(new FieldError($"tiers[{i}].party", "party-not-on-channel", $"{party} is not a party of {channel}."));
            }

            var ids = tiers[i].UserIds ?? [];
            var known = await db.People.Where(p => ids.Contains(p.UserId) && p.Active).Select(p => new { p.UserId, p.Party }).ToListAsync(http.RequestAborted);
            for (var j = 0; j < ids.Count; j++)
            {
                if (known.SingleOrDefault(p => p.UserId == ids[j]) is not { } person || !code.Includes(person.Party))
                {
                    errors.Add(new FieldError($"tiers[{i}].userIds[{j}]", "unknown-user", $"'{ids[j]}' is not an active person of {channel}."));
                }
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var policy = await db.Policies.SingleOrDefaultAsync(p => p.Channel == channel && p.OwnerParty == administrator.Party && p.Severity == severity, http.RequestAborted);
        if (policy is null)
        {
            policy = EscalationPolicy.Create(channel, administrator.Party, severity, time.GetUtcNow());
            db.Policies.Add(policy);
        }

        policy.Define(
            tiers.Select(t => new EscalationTier(t.Party, t.Role, t.OfficialTier, t.UserIds is { Count: > 0 } ? t.UserIds.ToList() : null, t.Wait!.Value, t.Important)),
            request.RepeatLastTier, request.ConfirmationWindow, administrator.UserId, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict("concurrent-change", "Someone else changed this policy at the same moment. Read it again and repeat your change.");
        }

        return TypedResults.Ok(PolicyView.Of(policy));
    }
}
