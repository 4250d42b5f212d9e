using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Contracts.Escalation;
using HotlineSystem.Escalation.Escalations;
using HotlineSystem.Incidents.Domain;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The hotline call end to end, across two real services and the real broker: an incident filed at
/// the Incidents API starts an escalation in the Escalation service; its first tier reaches the CN
/// duty officer and shows on the incident's timeline for both parties; CN's acknowledgement at the
/// Incidents API stops it, and the next tier never fires.
/// </summary>
public sealed class EscalationEndToEndTests(IncidentsAppFixture incidents) : IClassFixture<IncidentsAppFixture>, IAsyncLifetime
{
    private readonly MovableClock _clock = new();
    private TestDatabase _database = null!;
    private EscalationApp _escalation = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("e2eesc");
        _escalation = new EscalationApp(_database.ConnectionString, $"e{Guid.NewGuid():N}"[..10], time: _clock).Start();
    }

    public async Task DisposeAsync()
    {
        await _escalation.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_filed_incident_escalates_to_the_counterparts_duty_officer_on_time_and_the_acknowledgement_stops_it()
    {
        var cnDuty = await _escalation.PersonAsync("e2e-cn-duty", "CN", HotlineRoles.LiaisonOfficer);
        var policy = await _escalation.ClientFor("e2e-admin", "KR", HotlineRoles.Administrator).PutAsJsonAsync("/api/escalation-policies/KR-CN/Sev2", new
        {
            tiers = new object[]
            {
                new { party = "CN", role = HotlineRoles.LiaisonOfficer, wait = "00:10:00", important = false },
                new { party = "KR", role = HotlineRoles.Official, officialTier = OfficialTiers.DirectorGeneral, wait = "00:20:00", important = true },
            },
            repeatLastTier = 0,
        });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);

        var kr = incidents.App.KrOfficerClient();
        var cn = incidents.App.CnOfficerClient();
        var filed = await kr.FileAsync(Requests.Incident(title: "Escalation end to end"));
        var escalation = await Eventually(() => _escalation.InDatabase(db => db.Escalations.AsNoTracking().SingleOrDefaultAsync(e => e.IncidentId == filed.Id)));
        Assert.Equal(escalation.StartedAt.AddMinutes(10), escalation.DueAt);

        _clock.Offset = escalation.DueAt!.Value - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        var krTimeline = await Eventually(async () =>
        {
            var details = await kr.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{filed.Id}", Requests.Json);
            return details!.Timeline.Any(e => e.Kind == TimelineEntryKind.Escalated) ? details : null;
        });
        var tier = Assert.Single(krTimeline.Timeline, e => e.Kind == TimelineEntryKind.Escalated);
        Assert.Equal((ChangeSource.Automation, "tier 1"), (tier.Source, tier.NewValue));
        Assert.Matches(@"Notified: \d+ LiaisonOfficer of CN\.", tier.Text); // no CN roster yet: every CN liaison officer
        var cnView = await cn.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{filed.Id}", Requests.Json);
        Assert.Contains(cnView!.Timeline, e => e.Kind == TimelineEntryKind.Escalated); // it reached CN: Shared

        var fired = await _escalation.InDatabase(db => db.OutboxMessages.Where(m => m.MessageType.Contains(nameof(EscalationTierReached))).ToListAsync());
        var reached = System.Text.Json.JsonSerializer.Deserialize<EscalationTierReached>(Assert.Single(fired).Body, Requests.Json)!;
        Assert.Equal(escalation.DueAt, reached.DueAt);
        Assert.Contains(reached.Recipients, r => r.UserId == cnDuty && r.Party == "CN");
        Assert.All(reached.Recipients, r => Assert.Equal(("CN", HotlineRoles.LiaisonOfficer), (r.Party, r.Role)));

        var acknowledged = await cn.SendAsync(Requests.Post($"/api/incidents/{filed.Id}/acknowledgement").WithIfMatch(cnView.Version));
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var stopped = await Eventually(() => _escalation.InDatabase(db =>
            db.Escalations.AsNoTracking().SingleOrDefaultAsync(e => e.IncidentId == filed.Id && e.State == EscalationState.Stopped)));
        Assert.Equal(EscalationStopReason.Acknowledged, stopped.StopReason);

        // Past the second tier's due time: nothing more fires.
        _clock.Offset += TimeSpan.FromMinutes(30);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await _escalation.InDatabase(db => db.OutboxMessages.CountAsync(m => m.MessageType.Contains(nameof(EscalationTierReached)))));
        await Eventually(async () =>
        {
            var details = await kr.GetFromJsonAsync<IncidentDetails>($"/api/incidents/{filed.Id}", Requests.Json);
            return details!.Timeline.FirstOrDefault(e => e.Kind == TimelineEntryKind.EscalationStopped);
        });
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, "Timed out waiting for the escalation to move.");
            await Task.Delay(200);
        }
    }
}
