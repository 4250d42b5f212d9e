using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using static HotlineSystem.IntegrationTests.Infrastructure.NotificationHubConnections;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// An official told of a tier is told when the escalation stops, whichever the Notifications host
/// writes first: the tier and the stop after it travel on two queues. The Escalation service's
/// events are published by hand over the real broker, in the order each test needs, into the real
/// Notifications host on PostgreSQL.
/// </summary>
public sealed class EscalationStopNotificationTests : IAsyncLifetime
{
    private const string Official = HotlineRoles.Official;
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-3);

    private readonly string _run = $"{Guid.NewGuid():N}"[..6];
    private TestDatabase _database = null!;
    private NotificationsApp _notifications = null!;
    private ProbeService _escalation = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("stops");
        var prefix = $"s{Guid.NewGuid():N}"[..10];
        _notifications = new NotificationsApp(_database.ConnectionString, prefix).Start();
        _escalation = await ProbeService.StartAsync(prefix);
    }

    public async Task DisposeAsync()
    {
        await _escalation.DisposeAsync();
        await _notifications.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_stop_written_before_the_last_tier_reaches_that_tiers_people_right_after_the_tier_and_nobody_twice()
    {
        var (dgMagnets, viceMinister) = ($"dg-magnets-{_run}", $"vice-minister-{_run}");
        var dgId = await _notifications.PersonAsync(dgMagnets, "KR", Official);
        var vmId = await _notifications.PersonAsync(viceMinister, "KR", Official);
        await using var dg = await (await _notifications.ConnectionForAsync(dgMagnets, "KR", [Official])).StartAsync();
        await using var vm = await (await _notifications.ConnectionForAsync(viceMinister, "KR", [Official])).StartAsync();
        var incident = Guid.NewGuid();

        // Tier 0 reaches the director-general; the stop comes next and tells them.
        await _escalation.Bus.Publish(Tier(incident, version: 2, tier: 0, (dgId, "KR")));
        await dg.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationTierReached);
        await _escalation.Bus.Publish(Stopped(incident, version: 4));
        await dg.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationStopped);

        // Tier 1, raised before the stop (version 3) but written after it, reaches both of them.
        await _escalation.Bus.Publish(Tier(incident, version: 3, tier: 1, (dgId, "KR"), (vmId, "KR")));
        await vm.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationStopped);

        // The vice-minister: the tier, then the stop. The director-general: both tiers, the stop once.
        Assert.Equal([FeedEntryKind.EscalationTierReached, FeedEntryKind.EscalationStopped], await FeedOf(vmId));
        Assert.Equal([FeedEntryKind.EscalationTierReached, FeedEntryKind.EscalationStopped, FeedEntryKind.EscalationTierReached], await FeedOf(dgId));
        var stop = vm.Entries.Single(e => e.Kind == FeedEntryKind.EscalationStopped);
        Assert.Equal((incident, Visibility.Shared, "Escalation stopped: TiersExhausted"), (stop.IncidentId, stop.Visibility, stop.Detail));
        Assert.Single(dg.Entries, e => e.Kind == FeedEntryKind.EscalationStopped);
    }

    [Fact]
    public async Task A_tier_raised_after_the_stop_is_not_followed_by_it()
    {
        // Not possible from today's Escalation service (a stopped escalation stays stopped), but the
        // order is the escalation's version, not the order of arrival.
        var dgMagnets = $"dg-magnets-{_run}";
        var dgId = await _notifications.PersonAsync(dgMagnets, "KR", Official);
        await using var dg = await (await _notifications.ConnectionForAsync(dgMagnets, "KR", [Official])).StartAsync();
        var incident = Guid.NewGuid();

        await _escalation.Bus.Publish(Stopped(incident, version: 2));
        await EventuallyAsync(() => _notifications.InDatabase(db => db.Escalations.AnyAsync(e => e.IncidentId == incident && e.StoppedVersion == 2)), "the stop is remembered");
        await _escalation.Bus.Publish(Tier(incident, version: 3, tier: 0, (dgId, "KR")));
        await dg.WaitForAsync(e => e.Kind == FeedEntryKind.EscalationTierReached);

        Assert.Equal([FeedEntryKind.EscalationTierReached], await FeedOf(dgId));
    }

    [Fact]
    public async Task Tiers_and_stops_arriving_together_tell_every_person_of_every_stop_exactly_once()
    {
        // Each incident's last tier and its stop are published at once, so the two queues race:
        // whichever the host writes second must see what the first wrote. A first tier goes ahead, so
        // that the escalation is already known when they race.
        var (dgMagnets, cnOfficial) = ($"dg-magnets-{_run}", $"cn-official-{_run}");
        var dgId = await _notifications.PersonAsync(dgMagnets, "KR", Official);
        var cnId = await _notifications.PersonAsync(cnOfficial, "CN", Official);
        var incidents = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(incidents.Select(incident => _escalation.Bus.Publish(Tier(incident, version: 2, tier: 0, (dgId, "KR")))));
        await EventuallyAsync(
            () => _notifications.InDatabase(db => db.Escalations.CountAsync(e => incidents.Contains(e.IncidentId))).ContinueWith(t => t.Result == incidents.Count),
            "every escalation is known");

        await Task.WhenAll(incidents.SelectMany(incident => new[]
        {
            _escalation.Bus.Publish(Tier(incident, version: 3, tier: 1, (dgId, "KR"), (cnId, "CN"))),
            _escalation.Bus.Publish(Stopped(incident, version: 4)),
        }));

        await EventuallyAsync(
            () => _notifications.InDatabase(db => db.Escalations.CountAsync(e => incidents.Contains(e.IncidentId) && e.StoppedVersion == 4))
                .ContinueWith(t => t.Result == incidents.Count),
            "every stop is written");
        Task<List<string>> Stops() => _notifications.InDatabase(db => db.FeedEntries
            .Where(e => incidents.Contains(e.IncidentId!.Value) && e.Kind == FeedEntryKind.EscalationStopped)
            .Select(e => e.UserId + " " + e.IncidentId)
            .ToListAsync());
        await EventuallyAsync(async () => (await Stops()).Distinct().Count() == 2 * incidents.Count, "both officials are told of every stop");
        Assert.Equal(2 * incidents.Count, (await Stops()).Count);
    }

    private Task<List<FeedEntryKind>> FeedOf(string userId) =>
        _notifications.InDatabase(db => db.FeedEntries.Where(e => e.UserId == userId).OrderBy(e => e.Sequence).Select(e => e.Kind).ToListAsync());

    private static EscalationTierReached Tier(Guid incident, int version, int tier, params (string UserId, string Party)[] recipients) =>
        new(incident, version, "KR-CN", recipients.All(r => r.Party == "KR") ? Visibility.Internal : Visibility.Shared, "KR", Start.AddMinutes(version),
            tier, 0, true, Start.AddMinutes(version), [.. recipients.Select(r => new EscalationRecipient(r.UserId, r.Party, Official, "DirectorGeneral"))],
            false, null, null, null);

    private static EscalationStopped Stopped(Guid incident, int version) =>
        new(incident, version, "KR-CN", Visibility.Shared, "KR", Start.AddMinutes(version), EscalationStopReason.TiersExhausted);
}
