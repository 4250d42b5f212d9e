using HotlineSystem.BuildingBlocks.Domain;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Escalations;
using HotlineSystem.Escalation.Policies;
using Run = HotlineSystem.Escalation.Escalations.Escalation;

namespace HotlineSystem.UnitTests.EscalationRules;

/// <summary>The escalation's rules, with no timer and no database: what fires when, and what stops it.</summary>
public sealed class EscalationTests
{
    private static readonly DateTimeOffset Reported = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private static readonly EscalationRecipient Duty = new("u-cn-officer", "CN", "LiaisonOfficer", null);
    private static readonly EscalationRecipient Director = new("u-kr-dg", "KR", "Official", "DirectorGeneral");

    private static PolicySnapshot Policy(Severity severity = Severity.Sev2, int repeat = 0, TimeSpan? confirmation = null, params int[] waitMinutes) =>
        new(Guid.NewGuid(), 1, severity,
            (waitMinutes.Length == 0 ? [15, 30, 60] : waitMinutes)
                .Select((minutes, i) => new EscalationTier("CN", "LiaisonOfficer", null, null, TimeSpan.FromMinutes(minutes), Important: i > 0)).ToList(),
            repeat, confirmation);

    private static Run Started(PolicySnapshot? policy = null) =>
        Run.Start(Guid.NewGuid(), "KR-CN", "KR", "CN", policy ?? Policy(), Reported);

    private static T Last<T>(Run escalation) => Assert.IsType<T>(escalation.Events[^1]);

    [Fact]
    public void Starting_stores_the_first_due_time_from_the_report_and_announces_it()
    {
        var escalation = Started();

        Assert.Equal(Reported.AddMinutes(15), escalation.DueAt);
        Assert.Equal(EscalationState.Running, escalation.State);
        Assert.Equal(Reported.AddMinutes(15), Last<EscalationStarted>(escalation).FirstDueAt);
    }

    [Fact]
    public void Tiers_fire_at_their_due_times_counted_from_the_previous_due_time_not_from_when_the_timer_ran()
    {
        var escalation = Started();

        escalation.OnDue([Duty], Reported.AddMinutes(15).AddSeconds(3)); // the timer ran 3 s late
        var first = Last<EscalationTierReached>(escalation);
        Assert.Equal((0, Reported.AddMinutes(15), false), (first.Tier, first.DueAt, first.Important));
        Assert.Equal(Reported.AddMinutes(45), escalation.DueAt); // 15 + 30, no drift from the 3 s

        escalation.OnDue([Director], Reported.AddMinutes(45));
        var second = Last<EscalationTierReached>(escalation);
        Assert.Equal((1, true, Reported.AddMinutes(105)), (second.Tier, second.Important, second.NextDueAt));
    }

    [Fact]
    public void A_tier_is_not_fired_before_it_is_due()
    {
        var escalation = Started();

        Assert.False(escalation.IsDue(Reported.AddMinutes(15).AddTicks(-1)));
        Assert.Throws<InvalidOperationException>(() => escalation.OnDue([Duty], Reported.AddMinutes(14)));
        Assert.True(escalation.IsDue(Reported.AddMinutes(15)));
    }

    [Fact]
    public void The_last_tier_repeats_up_to_N_times_then_the_escalation_stops_as_exhausted()
    {
        var escalation = Started(Policy(repeat: 2, waitMinutes: [10, 20]));
        var at = Reported;
        var fired = new List<(int Tier, int Repeat)>();
        while (escalation.State == EscalationState.Running)
        {
            at = escalation.DueAt!.Value;
            escalation.OnDue([Duty], at);
            var tier = escalation.Events.OfType<EscalationTierReached>().Last();
            fired.Add((tier.Tier, tier.Repeat));
        }

        Assert.Equal([(0, 0), (1, 0), (1, 1), (1, 2)], fired);
        Assert.Equal(Reported.AddMinutes(70), at);
        Assert.Equal(EscalationStopReason.TiersExhausted, Last<EscalationStopped>(escalation).Reason);
        Assert.Null(escalation.DueAt);
    }

    [Fact]
    public void An_acknowledgement_stops_it_at_once_and_nothing_is_due_afterwards()
    {
        var escalation = Started();

        escalation.Acknowledge(Reported.AddMinutes(5), Reported.AddMinutes(5));

        Assert.Equal(EscalationState.Stopped, escalation.State);
        Assert.Null(escalation.DueAt);
        Assert.False(escalation.IsDue(DateTimeOffset.MaxValue));
        Assert.Equal(EscalationStopReason.Acknowledged, Last<EscalationStopped>(escalation).Reason);
    }

    [Fact]
    public void Every_change_moves_the_version_so_a_racing_tier_loses_on_the_concurrency_token()
    {
        var escalation = Started();
        var before = escalation.Version;

        escalation.Acknowledge(Reported.AddMinutes(15), Reported.AddMinutes(15));

        Assert.True(escalation.Version > before);
    }

    [Fact]
    public void An_acknowledgement_needing_confirmation_waits_then_reverts_and_the_next_tier_fires_at_once()
    {
        var escalation = Started(Policy(confirmation: TimeSpan.FromMinutes(30)));
        escalation.Acknowledge(Reported.AddMinutes(5), Reported.AddMinutes(5));
        Assert.Equal((EscalationState.AwaitingConfirmation, Reported.AddMinutes(35)), (escalation.State, escalation.DueAt));

        escalation.OnDue([], Reported.AddMinutes(35));

        Assert.Equal(EscalationState.Running, escalation.State);
        Assert.Equal(Reported.AddMinutes(35), escalation.DueAt);
        Assert.Null(escalation.AcknowledgedAt);
        Assert.IsType<EscalationAcknowledgementReverted>(escalation.Events[^1]);
        escalation.OnDue([Duty], Reported.AddMinutes(35));
        Assert.Equal(0, Last<EscalationTierReached>(escalation).Tier);
    }

    [Fact]
    public void A_confirmed_acknowledgement_stops_it_and_confirming_twice_is_a_conflict()
    {
        var escalation = Started(Policy(confirmation: TimeSpan.FromMinutes(30)));
        escalation.Acknowledge(Reported.AddMinutes(5), Reported.AddMinutes(5));

        escalation.Confirm(Reported.AddMinutes(10));

        Assert.Equal(EscalationStopReason.Confirmed, Last<EscalationStopped>(escalation).Reason);
        Assert.Equal("nothing-to-confirm", Assert.Throws<RuleViolation>(() => escalation.Confirm(Reported.AddMinutes(11))).Code);
    }

    [Fact]
    public void Raising_the_severity_applies_the_stricter_policy_from_its_first_tier_with_a_fresh_deadline()
    {
        var escalation = Started(Policy(Severity.Sev3, waitMinutes: [60, 120]));
        escalation.OnDue([Duty], Reported.AddMinutes(60));
        var now = Reported.AddMinutes(70);

        escalation.ChangeSeverity(Severity.Sev1, Policy(Severity.Sev1, waitMinutes: [5, 10]), now);

        Assert.Equal((Severity.Sev1, 0, now.AddMinutes(5)), (escalation.Severity, escalation.NextTier, escalation.DueAt));
    }

    [Fact]
    public void Lowering_the_severity_applies_the_gentler_policy_from_now_at_the_same_step()
    {
        var escalation = Started(Policy(Severity.Sev1, waitMinutes: [5, 10, 20]));
        escalation.OnDue([Duty], Reported.AddMinutes(5));
        var now = Reported.AddMinutes(7);

        escalation.ChangeSeverity(Severity.Sev3, Policy(Severity.Sev3, waitMinutes: [60, 240]), now);

        Assert.Equal((1, now.AddMinutes(240)), (escalation.NextTier, escalation.DueAt));
    }

    [Fact]
    public void A_severity_without_a_policy_stops_the_escalation()
    {
        var escalation = Started();

        escalation.ChangeSeverity(Severity.Sev4, null, Reported.AddMinutes(1));

        Assert.Equal(EscalationStopReason.NoPolicyForSeverity, Last<EscalationStopped>(escalation).Reason);
    }

    [Fact]
    public void A_person_escalates_to_the_next_tier_at_once_with_a_reason_and_the_deadlines_follow_from_then()
    {
        var escalation = Started();
        var now = Reported.AddMinutes(2);

        escalation.EscalateNow([Duty], "Factory stops on Friday", "u-kr-officer", "KR", now);

        var tier = Last<EscalationTierReached>(escalation);
        Assert.Equal((0, true, "Factory stops on Friday", "u-kr-officer", now), (tier.Tier, tier.Manual, tier.Reason, tier.ActingUser, tier.DueAt));
        Assert.Equal(now.AddMinutes(30), escalation.DueAt);
    }

    [Fact]
    public void A_stopped_escalation_cannot_be_escalated_by_hand()
    {
        var escalation = Started();
        escalation.Stop(EscalationStopReason.Resolved, Reported.AddMinutes(1));

        Assert.Equal("escalation-not-running",
            Assert.Throws<RuleViolation>(() => escalation.EscalateNow([Duty], "why", "u", "KR", Reported.AddMinutes(2))).Code);
    }

    [Fact]
    public void A_tier_reaching_only_the_owners_people_is_internal_to_the_owner_and_one_reaching_the_counterpart_is_shared()
    {
        var escalation = Started();

        escalation.OnDue([Director], Reported.AddMinutes(15));
        Assert.Equal(Visibility.Internal, Last<EscalationTierReached>(escalation).Visibility);

        escalation.OnDue([Duty, Director], Reported.AddMinutes(45));
        Assert.Equal(Visibility.Shared, Last<EscalationTierReached>(escalation).Visibility);
    }

    [Fact]
    public void A_confirmation_after_the_window_is_too_late()
    {
        var escalation = Started(Policy(confirmation: TimeSpan.FromMinutes(30)));
        escalation.Acknowledge(Reported.AddMinutes(5), Reported.AddMinutes(5));

        Assert.Equal("confirmation-too-late", Assert.Throws<RuleViolation>(() => escalation.Confirm(Reported.AddMinutes(35))).Code);
        Assert.Equal(EscalationState.AwaitingConfirmation, escalation.State);
    }

    [Fact]
    public void A_severity_raised_while_awaiting_confirmation_applies_the_stricter_policy_if_the_acknowledgement_reverts()
    {
        var escalation = Started(Policy(Severity.Sev3, confirmation: TimeSpan.FromMinutes(30), waitMinutes: [60, 120]));
        escalation.OnDue([Duty], Reported.AddMinutes(60));
        escalation.Acknowledge(Reported.AddMinutes(61), Reported.AddMinutes(61));

        escalation.ChangeSeverity(Severity.Sev1, Policy(Severity.Sev1, waitMinutes: [5, 10]), Reported.AddMinutes(62));
        escalation.OnDue([], Reported.AddMinutes(91));

        Assert.Equal((Severity.Sev1, 0, Reported.AddMinutes(91)), (escalation.Policy.Severity, escalation.NextTier, escalation.DueAt));
    }
}

/// <summary>What the counterpart may learn of an escalation: its Shared tiers, numbered without gaps, and nothing of the owner's Internal ones.</summary>
public sealed class EscalationTracesTests
{
    private static readonly DateTimeOffset Reported = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private static readonly EscalationRecipient KrDirector = new("u-kr-dg", "KR", "Official", "DirectorGeneral");
    private static readonly EscalationRecipient CnOfficer = new("u-cn-officer", "CN", "LiaisonOfficer", null);

    /// <summary>KR's policy: its own Director-General first (Internal), then CN's duty officer, twice (Shared).</summary>
    private static Run Started() =>
        Run.Start(Guid.NewGuid(), "KR-CN", "KR", "CN", new PolicySnapshot(Guid.NewGuid(), 1, Severity.Sev1,
            [
                new EscalationTier("KR", "Official", "DirectorGeneral", null, TimeSpan.FromMinutes(10), Important: true),
                new EscalationTier("CN", "LiaisonOfficer", null, null, TimeSpan.FromMinutes(20), Important: false),
                new EscalationTier("CN", "LiaisonOfficer", null, null, TimeSpan.FromMinutes(30), Important: true),
            ], 0, null), Reported);

    [Fact]
    public void Tiers_are_numbered_within_their_visibility_so_the_counterpart_sees_no_gap()
    {
        var escalation = Started();
        escalation.OnDue([KrDirector], escalation.DueAt!.Value);
        escalation.OnDue([CnOfficer], escalation.DueAt!.Value);

        var tiers = escalation.Events.OfType<EscalationTierReached>().ToList();
        Assert.Equal([("internal tier 1", Visibility.Internal), ("tier 1", Visibility.Shared)], tiers.Select(t => (t.Label(), t.Visibility)));
    }

    [Fact]
    public void The_counterparts_view_shows_shared_tiers_only_without_policy_position_version_or_internal_due_times()
    {
        var escalation = Started();
        var forCn = EscalationView.Of(escalation, "CN");
        Assert.Equal((null, null, null, null, 0), (forCn.DueAt, forCn.Policy, forCn.NextTier, forCn.Version, forCn.TiersFired));

        escalation.OnDue([KrDirector], escalation.DueAt!.Value);
        forCn = EscalationView.Of(escalation, "CN");
        Assert.Empty(forCn.Tiers);
        Assert.Equal(0, forCn.TiersFired);
        Assert.Equal(Reported.AddMinutes(30), forCn.DueAt); // the next tier calls CN: its due time is CN's to see

        escalation.OnDue([CnOfficer], escalation.DueAt!.Value);
        forCn = EscalationView.Of(escalation, "CN");
        Assert.Equal([(1, Visibility.Shared)], forCn.Tiers.Select(t => (t.Number, t.Visibility)));
        Assert.Equal(1, forCn.TiersFired);

        var forKr = EscalationView.Of(escalation, "KR");
        Assert.Equal([(1, Visibility.Internal), (1, Visibility.Shared)], forKr.Tiers.Select(t => (t.Number, t.Visibility)));
        Assert.Equal((2, 2), (forKr.TiersFired, forKr.NextTier));
        Assert.NotNull(forKr.Policy);
    }

    [Fact]
    public void A_tier_the_counterpart_fires_by_hand_into_the_owners_internal_climb_belongs_to_the_owner()
    {
        var escalation = Started();
        escalation.EscalateNow([KrDirector], "no answer on the phone", "u-cn-officer", "CN", Reported.AddMinutes(1));

        var tier = Assert.IsType<EscalationTierReached>(escalation.Events[^1]);
        Assert.Equal((Visibility.Internal, "KR", "u-cn-officer"), (tier.Visibility, tier.ActingParty, tier.ActingUser));
    }
}
