using System.Net;
using System.Net.Http.Json;
using HotlineSystem.BuildingBlocks.Messaging;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Escalations;
using HotlineSystem.Escalation.Policies;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using EscalationRow = HotlineSystem.Escalation.Escalations.Escalation;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// One Escalation host on its own database and the real broker, a clock that stands where the tests
/// put it, a bus of the tests' own that publishes the Incidents service's events, people of KR and
/// CN in the host's directory, and KR's policies for KR-CN: Sev1 strict, Sev2 standard, Sev3 gentle
/// with a confirmation window, none for Sev4.
/// </summary>
public sealed class EscalationBehaviourFixture : IAsyncLifetime
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Escalation:Timer:PollInterval"] = PollInterval.ToString(),
        ["Outbox:SentRetention"] = "365.00:00:00",
    };

    /// <summary>Sev2: the CN liaison officer after 10 minutes, then KR's Director-General 20 minutes later (important), repeated once.</summary>
    public static readonly object Standard = new
    {
        tiers = new object[]
        {
            new { party = "CN", role = HotlineRoles.LiaisonOfficer, wait = "00:10:00", important = false },
            new { party = "KR", role = HotlineRoles.Official, officialTier = OfficialTiers.DirectorGeneral, wait = "00:20:00", important = true },
        },
        repeatLastTier = 1,
        confirmationWindow = (string?)null,
    };

    public static readonly object Strict = new
    {
        tiers = new object[]
        {
            new { party = "CN", role = HotlineRoles.LiaisonOfficer, wait = "00:05:00", important = true },
            new { party = "KR", role = HotlineRoles.Official, wait = "00:10:00", important = true },
        },
        repeatLastTier = 0,
    };

    public static readonly object Gentle = new
    {
        tiers = new object[]
        {
            new { party = "CN", role = HotlineRoles.LiaisonOfficer, wait = "00:30:00", important = false },
            new { party = "KR", role = HotlineRoles.Official, wait = "01:00:00", important = false },
        },
        repeatLastTier = 0,
        confirmationWindow = "00:05:00",
    };

    private readonly string _suffix = $"{Guid.NewGuid():N}"[..6];
    private TestDatabase _database = null!;
    private ProbeService _probe = null!;

    public SettableClock Clock { get; } = new(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(1));

    public EscalationApp App { get; private set; } = null!;

    public IBus Bus => _probe.Bus;

    public IncidentFeed Incidents { get; private set; } = null!;

    public string CnOfficer { get; private set; } = "";

    public string KrOfficer { get; private set; } = "";

    public string KrOfficial { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("escalation");
        var prefix = $"e{Guid.NewGuid():N}"[..10];
        App = new EscalationApp(_database.ConnectionString, prefix, Settings, Clock).Start();
        _probe = await ProbeService.StartAsync(prefix);
        Incidents = new IncidentFeed(_probe.Bus, Clock);
        CnOfficer = await App.PersonAsync($"cn-officer-{_suffix}", "CN", HotlineRoles.LiaisonOfficer);
        KrOfficer = await App.PersonAsync($"kr-officer-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);
        KrOfficial = await App.PersonAsync($"kr-official-{_suffix}", "KR", HotlineRoles.Official);
        await PutPolicyAsync(App, Severity.Sev1, Strict);
        await PutPolicyAsync(App, Severity.Sev2, Standard);
        await PutPolicyAsync(App, Severity.Sev3, Gentle);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _probe.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Moves the clock a few hours on, past every deadline of the earlier tests, to a whole second; returns the new now.</summary>
    public DateTimeOffset NextRound()
    {
        Clock.Now = Clock.Now.AddHours(3);
        return Clock.Now;
    }

    public HttpClient CnOfficerClient() => App.ClientFor($"cn-officer-{_suffix}", "CN", HotlineRoles.LiaisonOfficer);

    public HttpClient KrOfficerClient() => App.ClientFor($"kr-officer-{_suffix}", "KR", HotlineRoles.LiaisonOfficer);

    public static async Task<PolicyView> PutPolicyAsync(EscalationApp app, Severity severity, object policy)
    {
        var response = await app.ClientFor("admin-x", "KR", HotlineRoles.Administrator).PutAsJsonAsync($"/api/escalation-policies/KR-CN/{severity}", policy);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<PolicyView>();
    }
}

/// <summary>
/// The escalation service's promises, through its real host, database and broker: tiers fire at
/// their exact due times, never after the acknowledgement committed, once across restarts and
/// replicas; running escalations keep their frozen policy; severity changes re-time them; people
/// escalate by hand; an unconfirmed acknowledgement reverts.
/// </summary>
public sealed class EscalationBehaviourTests(EscalationBehaviourFixture fixture, ITestOutputHelper output) : IClassFixture<EscalationBehaviourFixture>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private readonly EscalationApp _app = fixture.App;
    private readonly SettableClock _clock = fixture.Clock;

    [Fact]
    public async Task Each_tier_fires_at_its_exact_due_time_counted_from_the_previous_due_time_then_the_last_repeats_and_it_stops()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        var started = await _app.StartedAsync(id);
        Assert.Equal(reported.AddMinutes(10), started.DueAt);
        Assert.Single(await _app.EventsAsync<EscalationStarted>(id), e => e.FirstDueAt == reported.AddMinutes(10));

        await HoldAtAsync(_clock, reported.AddMinutes(10).AddSeconds(-1));
        Assert.Empty(await _app.EventsAsync<EscalationTierReached>(id));

        _clock.Now = reported.AddMinutes(10).AddSeconds(7); // a late round must not shift the next deadline
        var first = (await _app.TiersAsync(id, 1)).Single();
        Assert.Equal((0, 0, reported.AddMinutes(10), reported.AddMinutes(30), false, false), (first.Tier, first.Repeat, first.DueAt, first.NextDueAt, first.Important, first.Manual));
        Assert.Equal(reported.AddMinutes(10).AddSeconds(7), first.OccurredAt);
        Assert.Contains(first.Recipients, r => r == new EscalationRecipient(fixture.CnOfficer, "CN", HotlineRoles.LiaisonOfficer, null));
        Assert.All(first.Recipients, r => Assert.Equal("CN", r.Party));

        await HoldAtAsync(_clock, reported.AddMinutes(30).AddSeconds(-1));
        Assert.Single(await _app.EventsAsync<EscalationTierReached>(id));

        _clock.Now = reported.AddMinutes(30);
        var second = (await _app.TiersAsync(id, 2))[1];
        Assert.Equal((1, 0, reported.AddMinutes(30), reported.AddMinutes(50), true), (second.Tier, second.Repeat, second.DueAt, second.NextDueAt, second.Important));
        Assert.Contains(second.Recipients, r => r == new EscalationRecipient(fixture.KrOfficial, "KR", HotlineRoles.Official, OfficialTiers.DirectorGeneral));

        _clock.Now = reported.AddMinutes(50).AddSeconds(2);
        var repeat = (await _app.TiersAsync(id, 3))[2];
        var stopped = await _app.StoppedAsync(id);
        Assert.Equal((1, 1, reported.AddMinutes(50), (DateTimeOffset?)null), (repeat.Tier, repeat.Repeat, repeat.DueAt, repeat.NextDueAt));
        Assert.Equal(EscalationStopReason.TiersExhausted, stopped.Reason);
        Assert.True(repeat.Version < stopped.Version);
        var escalation = await _app.EscalationAsync(id);
        Assert.Equal((EscalationState.Stopped, EscalationStopReason.TiersExhausted, (DateTimeOffset?)null, 3), (escalation!.State, escalation.StopReason, escalation.DueAt, escalation.TiersFired));
    }

    [Fact]
    public async Task Acknowledgements_racing_a_hundred_due_tiers_are_never_followed_by_a_tier_and_stop_every_escalation()
    {
        var reported = fixture.NextRound();
        var ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(ids.Select(id => fixture.Incidents.ReportAsync(Severity.Sev2, id)));
        await WaitUntilAsync(() => _app.InDatabase(db => db.Escalations.CountAsync(e => ids.Contains(e.IncidentId))), n => n == ids.Count, "100 escalations started");

        _clock.Now = reported.AddMinutes(10); // all due at this instant; the timer and the acknowledgements race
        await Task.WhenAll(ids.Select(fixture.Incidents.AcknowledgeAsync));

        var escalations = await WaitUntilAsync(
            () => _app.InDatabase(db => db.Escalations.AsNoTracking().Where(e => ids.Contains(e.IncidentId)).ToListAsync()),
            all => all.All(e => e.State == EscalationState.Stopped), "every escalation stopped");
        await Task.Delay(4 * EscalationBehaviourFixture.PollInterval); // a late tier would show now
        var tiers = (await _app.EventsAsync<EscalationTierReached>()).Where(t => ids.Contains(t.IncidentId)).ToList();
        var stops = (await _app.EventsAsync<EscalationStopped>()).Where(s => ids.Contains(s.IncidentId)).ToList();

        output.WriteLine($"{tiers.Count} of {ids.Count} tiers fired before their acknowledgement committed");
        Assert.All(escalations, e => Assert.Equal(EscalationStopReason.Acknowledged, e.StopReason));
        foreach (var id in ids)
        {
            var stop = Assert.Single(stops, s => s.IncidentId == id);
            Assert.Equal(EscalationStopReason.Acknowledged, stop.Reason);
            Assert.All(tiers.Where(t => t.IncidentId == id), t => Assert.True(t.Version < stop.Version, $"{id}: tier version {t.Version} after the acknowledgement's {stop.Version}"));
        }
    }

    [Fact]
    public async Task A_new_host_on_the_same_database_resumes_an_escalation_at_its_stored_due_time_without_firing_a_tier_twice()
    {
        await using var database = await TestInfrastructure.CreateDatabaseAsync("esc_restart");
        var clock = new SettableClock(fixture.Clock.Now.AddDays(1));
        var prefix = $"er{Guid.NewGuid():N}"[..10];
        var incidents = new IncidentFeed(fixture.Bus, clock);
        var reported = clock.Now;
        Guid id;
        await using (var first = new EscalationApp(database.ConnectionString, prefix, EscalationBehaviourFixture.Settings, clock).Start())
        {
            await EscalationBehaviourFixture.PutPolicyAsync(first, Severity.Sev4, EscalationBehaviourFixture.Standard); // Sev4: the shared host has no policy for it
            id = await incidents.ReportAsync(Severity.Sev4);
            await first.StartedAsync(id);
            clock.Now = reported.AddMinutes(10);
            await first.TiersAsync(id, 1);
        }

        await HoldAtAsync(clock, reported.AddMinutes(30).AddSeconds(-1));
        await using var second = new EscalationApp(database.ConnectionString, prefix, EscalationBehaviourFixture.Settings, clock).Start();
        await Task.Delay(3 * EscalationBehaviourFixture.PollInterval);
        Assert.Single(await second.EventsAsync<EscalationTierReached>(id));
        var resumed = await second.EscalationAsync(id);
        Assert.Equal((EscalationState.Running, 1, reported.AddMinutes(30)), (resumed!.State, resumed.NextTier, resumed.DueAt));

        clock.Now = reported.AddMinutes(30);
        var tiers = await second.TiersAsync(id, 2);

        Assert.Equal([(0, 0, reported.AddMinutes(10)), (1, 0, reported.AddMinutes(30))], tiers.Select(t => (t.Tier, t.Repeat, t.DueAt)));
    }

    [Fact]
    public async Task Two_replicas_on_one_database_fire_each_tier_of_three_hundred_escalations_exactly_once()
    {
        await using var database = await TestInfrastructure.CreateDatabaseAsync("esc_replicas");
        var clock = new SettableClock(fixture.Clock.Now.AddDays(1));
        var prefix = $"ep{Guid.NewGuid():N}"[..10];
        var settings = new Dictionary<string, string>(EscalationBehaviourFixture.Settings) { ["Escalation:Timer:BatchSize"] = "25" };
        await using var replicaA = new EscalationApp(database.ConnectionString, prefix, settings, clock).Start();
        await using var replicaB = new EscalationApp(database.ConnectionString, prefix, settings, clock).Start();
        await EscalationBehaviourFixture.PutPolicyAsync(replicaA, Severity.Sev4, EscalationBehaviourFixture.Standard);
        var incidents = new IncidentFeed(fixture.Bus, clock);
        var reported = clock.Now;
        var ids = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(ids.Select(id => incidents.ReportAsync(Severity.Sev4, id)));
        await WaitUntilAsync(() => replicaB.InDatabase(db => db.Escalations.CountAsync()), n => n == ids.Count, "300 escalations started");

        clock.Now = reported.AddHours(2); // every tier and the repeat are due: the replicas claim them round after round
        await WaitUntilAsync(() => replicaA.InDatabase(db => db.Escalations.CountAsync(e => e.State != EscalationState.Stopped)), n => n == 0, "every escalation exhausted", TimeSpan.FromSeconds(60));
        await Task.Delay(4 * EscalationBehaviourFixture.PollInterval);
        var tiers = await replicaB.EventsAsync<EscalationTierReached>();
        var stops = await replicaB.EventsAsync<EscalationStopped>();

        var fired = tiers.GroupBy(t => (t.IncidentId, t.Tier, t.Repeat)).ToList();
        Assert.Equal(ids.Count * 3, fired.Count);
        Assert.All(fired, f => Assert.True(f.Count() == 1, $"{f.Key} fired {f.Count()} times"));
        Assert.Equal(ids.Order(), stops.Select(s => s.IncidentId).Order());
        Assert.All(stops, s => Assert.Equal(EscalationStopReason.TiersExhausted, s.Reason));
    }

    [Fact]
    public async Task A_policy_edited_after_an_escalation_started_does_not_change_its_frozen_tiers_or_due_times()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        var started = await _app.StartedAsync(id);
        try
        {
            var edited = await EscalationBehaviourFixture.PutPolicyAsync(_app, Severity.Sev2, new
            {
                tiers = new[] { new { party = "KR", role = HotlineRoles.Official, wait = "00:01:00", important = true } },
                repeatLastTier = 0,
            });
            Assert.True(edited.Version > started.Policy.PolicyVersion);

            await HoldAtAsync(_clock, reported.AddMinutes(2));
            Assert.Empty(await _app.EventsAsync<EscalationTierReached>(id));
            var running = await _app.EscalationAsync(id);
            Assert.Equal((started.Policy.PolicyVersion, 2, reported.AddMinutes(10)), (running!.Policy.PolicyVersion, running.Policy.Tiers.Count, running.DueAt));

            _clock.Now = reported.AddMinutes(10);
            var tier = (await _app.TiersAsync(id, 1)).Single();
            Assert.Equal((0, reported.AddMinutes(10), reported.AddMinutes(30)), (tier.Tier, tier.DueAt, tier.NextDueAt));
            Assert.NotEmpty(tier.Recipients);
            Assert.All(tier.Recipients, r => Assert.Equal("CN", r.Party)); // every CN officer of the directory: the frozen tier, not the edited one
        }
        finally
        {
            await EscalationBehaviourFixture.PutPolicyAsync(_app, Severity.Sev2, EscalationBehaviourFixture.Standard);
        }
    }

    [Fact]
    public async Task A_raised_severity_applies_the_stricter_policy_from_its_first_tier_with_a_fresh_deadline()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        await _app.StartedAsync(id);
        _clock.Now = reported.AddMinutes(10);
        await _app.TiersAsync(id, 1);

        var raisedAt = _clock.Now = reported.AddMinutes(12);
        await fixture.Incidents.ChangeSeverityAsync(id, Severity.Sev2, Severity.Sev1);
        var raised = await WaitUntilAsync(() => _app.EscalationAsync(id), e => e!.Severity == Severity.Sev1, "severity raised");

        Assert.Equal((EscalationState.Running, Severity.Sev1, 0, 0, raisedAt.AddMinutes(5)), (raised!.State, raised.Policy.Severity, raised.NextTier, raised.Repeats, raised.DueAt));
        _clock.Now = raisedAt.AddMinutes(5);
        var tier = (await _app.TiersAsync(id, 2))[1];
        Assert.Equal((0, 0, raisedAt.AddMinutes(5), raisedAt.AddMinutes(15), true), (tier.Tier, tier.Repeat, tier.DueAt, tier.NextDueAt, tier.Important));
    }

    [Fact]
    public async Task A_lowered_severity_applies_the_gentler_policy_from_now_at_the_same_step()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        await _app.StartedAsync(id);
        _clock.Now = reported.AddMinutes(10);
        await _app.TiersAsync(id, 1);

        var loweredAt = _clock.Now = reported.AddMinutes(12);
        await fixture.Incidents.ChangeSeverityAsync(id, Severity.Sev2, Severity.Sev3);
        var lowered = await WaitUntilAsync(() => _app.EscalationAsync(id), e => e!.Severity == Severity.Sev3, "severity lowered");

        Assert.Equal((EscalationState.Running, Severity.Sev3, 1, loweredAt.AddHours(1)), (lowered!.State, lowered.Policy.Severity, lowered.NextTier, lowered.DueAt));
        await HoldAtAsync(_clock, reported.AddMinutes(30)); // the Sev2 policy's next deadline no longer holds
        Assert.Single(await _app.EventsAsync<EscalationTierReached>(id));
    }

    [Fact]
    public async Task The_counterpart_sees_the_shared_tiers_numbered_as_its_timeline_and_nothing_of_the_owners_internal_tiers()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2); // Standard: CN's officer (Shared), then KR's Director-General (Internal), repeated once
        await _app.StartedAsync(id);
        _clock.Now = reported.AddMinutes(10);
        await _app.TiersAsync(id, 1);
        _clock.Now = reported.AddMinutes(30);
        var tiers = await _app.TiersAsync(id, 2);
        Assert.Equal([("tier 1", Visibility.Shared), ("internal tier 1", Visibility.Internal)], tiers.Select(t => (t.Label(), t.Visibility)));

        var forCn = await (await fixture.CnOfficerClient().GetAsync($"/api/escalations/{id}")).ReadAsync<EscalationView>();
        var forKr = await (await fixture.KrOfficerClient().GetAsync($"/api/escalations/{id}")).ReadAsync<EscalationView>();

        Assert.Equal([1], forCn.Tiers.Select(t => t.Number));
        Assert.All(forCn.Tiers, t => Assert.Equal(Visibility.Shared, t.Visibility));
        Assert.Equal((1, (PolicySnapshot?)null, (int?)null, (int?)null, (DateTimeOffset?)null), (forCn.TiersFired, forCn.Policy, forCn.NextTier, forCn.Version, forCn.DueAt));
        Assert.Equal(2, forKr.TiersFired);
        Assert.Equal(reported.AddMinutes(50), forKr.DueAt);
        Assert.NotNull(forKr.Policy);
    }

    [Fact]
    public async Task A_severity_without_a_policy_stops_the_escalation()
    {
        fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        await _app.StartedAsync(id);

        await fixture.Incidents.ChangeSeverityAsync(id, Severity.Sev2, Severity.Sev4);

        Assert.Equal(EscalationStopReason.NoPolicyForSeverity, (await _app.StoppedAsync(id)).Reason);
        Assert.Equal(Severity.Sev4, (await _app.EscalationAsync(id))!.Severity);
    }

    [Fact]
    public async Task Either_party_escalates_by_hand_to_the_next_tier_at_once_with_a_reason_others_do_not_see_it_and_a_stopped_one_refuses()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        await _app.StartedAsync(id);
        var cnAt = _clock.Now = reported.AddMinutes(3);

        var byCn = await fixture.CnOfficerClient().PostAsJsonAsync($"/api/escalations/{id}/manual", new { reason = "Our ministry must hear of this today" });
        Assert.True(byCn.StatusCode == HttpStatusCode.OK, await byCn.Content.ReadAsStringAsync());
        var afterCn = await byCn.ReadAsync<EscalationView>();
        var manual = (await _app.TiersAsync(id, 1)).Single();
        // The next tier is KR's own Director-General (Internal): CN is shown neither its position nor its due time.
        Assert.Equal(((int?)null, (DateTimeOffset?)null, 1), (afterCn.NextTier, afterCn.DueAt, afterCn.TiersFired));
        var forKr = await (await fixture.KrOfficerClient().GetAsync($"/api/escalations/{id}")).ReadAsync<EscalationView>();
        Assert.Equal((1, cnAt.AddMinutes(20)), (forKr.NextTier, forKr.DueAt));
        Assert.Equal((0, true, "Our ministry must hear of this today", fixture.CnOfficer, "CN"), (manual.Tier, manual.Manual, manual.Reason, manual.ActingUser, manual.ActingParty));
        Assert.Equal((cnAt, cnAt, cnAt.AddMinutes(20)), (manual.DueAt, manual.OccurredAt, manual.NextDueAt));
        Assert.Contains(manual.Recipients, r => r.UserId == fixture.CnOfficer);

        var krAt = _clock.Now = reported.AddMinutes(4);
        var byKr = await fixture.KrOfficerClient().PostAsJsonAsync($"/api/escalations/{id}/manual", new { reason = "Stoppage at the magnet plant" });
        Assert.True(byKr.StatusCode == HttpStatusCode.OK, await byKr.Content.ReadAsStringAsync());
        var secondManual = (await _app.TiersAsync(id, 2))[1];
        Assert.Equal((1, true, fixture.KrOfficer, krAt), (secondManual.Tier, secondManual.Manual, secondManual.ActingUser, secondManual.DueAt));

        var outsider = _app.ClientFor("jp-officer-x", "JP", HotlineRoles.LiaisonOfficer);
        await (await outsider.PostAsJsonAsync($"/api/escalations/{id}/manual", new { reason = "Curious" })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        await fixture.Incidents.AcknowledgeAsync(id);
        await _app.StoppedAsync(id);
        await (await fixture.CnOfficerClient().PostAsJsonAsync($"/api/escalations/{id}/manual", new { reason = "Once more" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "escalation-not-running");
        Assert.Equal(2, (await _app.EventsAsync<EscalationTierReached>(id)).Count);
    }

    [Fact]
    public async Task An_acknowledgement_not_confirmed_within_the_window_reverts_and_the_next_tier_fires_at_the_next_round()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev3);
        await _app.StartedAsync(id);

        var acknowledgedAt = _clock.Now = reported.AddMinutes(1);
        await fixture.Incidents.AcknowledgeAsync(id);
        var awaiting = await WaitUntilAsync(() => _app.EscalationAsync(id), e => e!.State == EscalationState.AwaitingConfirmation, "awaiting confirmation");
        Assert.Equal(acknowledgedAt.AddMinutes(5), awaiting!.DueAt);

        await HoldAtAsync(_clock, acknowledgedAt.AddMinutes(5).AddSeconds(-1));
        Assert.Empty(await _app.EventsAsync<EscalationAcknowledgementReverted>(id));

        _clock.Now = acknowledgedAt.AddMinutes(5);
        var tier = (await _app.TiersAsync(id, 1)).Single();
        var reverted = Assert.Single(await _app.EventsAsync<EscalationAcknowledgementReverted>(id));
        Assert.True(reverted.Version < tier.Version);
        Assert.Equal((0, acknowledgedAt.AddMinutes(5), acknowledgedAt.AddMinutes(65)), (tier.Tier, tier.DueAt, tier.NextDueAt));
        Assert.Equal(EscalationState.Running, (await _app.EscalationAsync(id))!.State);
    }

    [Fact]
    public async Task The_reporting_party_confirms_an_acknowledgement_in_time_and_the_counterpart_may_not()
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev3);
        await _app.StartedAsync(id);
        _clock.Now = reported.AddMinutes(1);
        await fixture.Incidents.AcknowledgeAsync(id);
        await WaitUntilAsync(() => _app.EscalationAsync(id), e => e!.State == EscalationState.AwaitingConfirmation, "awaiting confirmation");

        await (await fixture.CnOfficerClient().PostAsync($"/api/escalations/{id}/confirmation", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "owner-party-only");
        _clock.Now = reported.AddMinutes(4);
        var confirmed = await fixture.KrOfficerClient().PostAsync($"/api/escalations/{id}/confirmation", null);

        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(EscalationStopReason.Confirmed, (await _app.StoppedAsync(id)).Reason);
        await HoldAtAsync(_clock, reported.AddHours(2));
        Assert.Empty(await _app.EventsAsync<EscalationTierReached>(id));
        Assert.Empty(await _app.EventsAsync<EscalationAcknowledgementReverted>(id));
    }

    [Fact]
    public async Task An_acknowledgement_that_overtakes_its_report_means_no_escalation_starts()
    {
        var reported = fixture.NextRound();
        var id = Guid.NewGuid();

        await fixture.Incidents.AcknowledgeAsync(id);
        await fixture.Incidents.ReportAsync(Severity.Sev2, id);

        await WaitUntilAsync(() => _app.InDatabase(db => db.IncidentRecords.AsNoTracking().SingleOrDefaultAsync(r => r.IncidentId == id)),
            r => r is { ReportedAt: not null, AcknowledgedAt: not null }, "the report and the acknowledgement recorded");
        await HoldAtAsync(_clock, reported.AddHours(1));
        Assert.Null(await _app.EscalationAsync(id));
        Assert.Empty(await _app.EventsAsync<EscalationTierReached>(id));
    }

    [Theory]
    [InlineData(IncidentStatus.Resolved, EscalationStopReason.Resolved)]
    [InlineData(IncidentStatus.Withdrawn, EscalationStopReason.Withdrawn)]
    [InlineData(IncidentStatus.Closed, EscalationStopReason.Closed)]
    public async Task An_incident_that_ends_stops_its_escalation_before_any_tier(IncidentStatus status, EscalationStopReason reason)
    {
        var reported = fixture.NextRound();
        var id = await fixture.Incidents.ReportAsync(Severity.Sev2);
        await _app.StartedAsync(id);
        _clock.Now = reported.AddMinutes(5);

        await fixture.Incidents.ChangeStatusAsync(id, IncidentStatus.Reported, status);

        Assert.Equal(reason, (await _app.StoppedAsync(id)).Reason);
        await HoldAtAsync(_clock, reported.AddHours(2));
        Assert.Empty(await _app.EventsAsync<EscalationTierReached>(id));
    }

    /// <summary>Puts the clock at <paramref name="at"/> and leaves the timer several rounds there.</summary>
    private static async Task HoldAtAsync(SettableClock clock, DateTimeOffset at)
    {
        clock.Now = at;
        await Task.Delay(5 * EscalationBehaviourFixture.PollInterval);
    }

    internal static async Task<T> WaitUntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Settle);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {(timeout ?? Settle).TotalSeconds} s: {what}.");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>What an Escalation host wrote: its escalations and the events in its outbox.</summary>
internal static class EscalationObservations
{
    public static Task<EscalationRow?> EscalationAsync(this EscalationApp app, Guid incidentId) =>
        app.InDatabase(db => db.Escalations.AsNoTracking().SingleOrDefaultAsync(e => e.IncidentId == incidentId));

    /// <summary>The events of type <typeparamref name="T"/> in the outbox, of one incident or all.</summary>
    public static Task<List<T>> EventsAsync<T>(this EscalationApp app, Guid? incidentId = null) where T : class =>
        app.InDatabase(async db =>
        {
            var (type, key) = (typeof(T).FullName!, incidentId?.ToString() ?? "");
            var bodies = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == type && m.Body.Contains(key)).Select(m => m.Body).ToListAsync();
            return bodies.Select(b => (T)MessageSerialization.Deserialize(b, typeof(T))).ToList();
        });

    public static async Task<EscalationRow> StartedAsync(this EscalationApp app, Guid incidentId) =>
        (await EscalationBehaviourTests.WaitUntilAsync(() => app.EscalationAsync(incidentId), e => e is not null, $"escalation of {incidentId} started"))!;

    /// <summary>Waits until the incident's escalation has fired <paramref name="count"/> tiers; returns them in order.</summary>
    public static Task<List<EscalationTierReached>> TiersAsync(this EscalationApp app, Guid incidentId, int count) =>
        EscalationBehaviourTests.WaitUntilAsync(
            async () => (await app.EventsAsync<EscalationTierReached>(incidentId)).OrderBy(t => t.Version).ToList(), t => t.Count >= count, $"{count} tier(s) of {incidentId}");

    public static async Task<EscalationStopped> StoppedAsync(this EscalationApp app, Guid incidentId) =>
        (await EscalationBehaviourTests.WaitUntilAsync(() => app.EventsAsync<EscalationStopped>(incidentId), s => s.Count > 0, $"escalation of {incidentId} stopped")).Single();
}
