using System.Net;
using System.Net.Http.Json;
using HotlineSystem.Contracts;
using HotlineSystem.Contracts.Incidents;
using HotlineSystem.Escalation.Measures;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// Time to acknowledge and time to resolve, per channel, severity and party, from the incidents'
/// events as they reach the Escalation service over the real broker — whatever order they come in.
/// </summary>
public sealed class EscalationMeasuresTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-2);
    private TestDatabase _database = null!;
    private EscalationApp _escalation = null!;
    private ProbeService _publisher = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("measures");
        var prefix = $"x{Guid.NewGuid():N}"[..10];
        _escalation = new EscalationApp(_database.ConnectionString, prefix).Start();
        _publisher = await ProbeService.StartAsync(prefix);
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _escalation.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Measures_give_median_and_90th_percentile_minutes_to_acknowledge_and_resolve_per_severity_and_reporting_party()
    {
        // Three KR Sev2 incidents acknowledged after 10, 20 and 60 minutes, one resolved after 5 hours;
        // one CN Sev1 incident never acknowledged. The acknowledgement of the first is sent before its report.
        var kr = new[] { (Ack: 10, Resolve: (int?)300), (Ack: 20, Resolve: null), (Ack: 60, Resolve: null) };
        var ids = new List<Guid>();
        foreach (var (ack, resolve) in kr)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            var reported = new IncidentReported(id, 1, "KR-CN", Visibility.Shared, "KR", "u-kr", Start, "KR", "customs-hold", Severity.Sev2, "t", ["Nd"], [], []);
            var acknowledged = new IncidentAcknowledged(id, 2, "KR-CN", Visibility.Shared, "CN", "u-cn", Start.AddMinutes(ack), "KR");
            if (ids.Count == 1)
            {
                await _publisher.Bus.Publish(acknowledged);
                await _publisher.Bus.Publish(reported);
            }
            else
            {
                await _publisher.Bus.Publish(reported);
                await _publisher.Bus.Publish(acknowledged);
            }

            if (resolve is { } minutes)
            {
                await _publisher.Bus.Publish(new IncidentStatusChanged(id, 4, "KR-CN", Visibility.Shared, "KR", "u-kr", Start.AddMinutes(minutes),
                    IncidentStatus.Mitigating, IncidentStatus.Resolved, null));
            }
        }

        var cnId = Guid.NewGuid();
        await _publisher.Bus.Publish(new IncidentReported(cnId, 1, "KR-CN", Visibility.Shared, "CN", "u-cn", Start, "CN", "price-spike", Severity.Sev1, "t", ["Dy"], [], []));

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (await _escalation.InDatabase(db => db.IncidentRecords.CountAsync(r => r.ReportedAt != null && (r.ReportingParty == "CN" || r.AcknowledgedAt != null))) < 4
               || await _escalation.InDatabase(db => db.IncidentRecords.CountAsync(r => r.ResolvedAt != null)) < 1)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The events did not all arrive.");
            await Task.Delay(200);
        }

        var reader = _escalation.ClientFor("measures-member", "CN", HotlineRoles.CommitteeMember);
        var response = await reader.GetAsync($"/api/escalation-measures?channel=KR-CN&from={Uri.EscapeDataString(Start.AddHours(-1).ToString("O"))}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var measures = (await response.Content.ReadFromJsonAsync<Measures>(Requests.Json))!;

        var krRow = Assert.Single(measures.Rows, r => r.ReportingParty == "KR");
        Assert.Equal((Severity.Sev2, 3, 3, 1), (krRow.Severity, krRow.Reported, krRow.Acknowledged, krRow.Resolved));
        Assert.Equal((20.0, 60.0, 300.0), (krRow.MedianMinutesToAcknowledge!.Value, krRow.P90MinutesToAcknowledge!.Value, krRow.MedianMinutesToResolve!.Value));
        var cnRow = Assert.Single(measures.Rows, r => r.ReportingParty == "CN");
        Assert.Equal((Severity.Sev1, 1, 0, (double?)null), (cnRow.Severity, cnRow.Reported, cnRow.Acknowledged, cnRow.MedianMinutesToAcknowledge));
    }

    [Fact]
    public async Task Measures_of_a_channel_not_of_the_readers_party_are_not_found_and_an_official_may_not_read_them()
    {
        var vn = _escalation.ClientFor("measures-vn", "VN", HotlineRoles.LiaisonOfficer);
        await (await vn.GetAsync("/api/escalation-measures?channel=KR-CN")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        var official = _escalation.ClientFor("measures-official", "KR", HotlineRoles.Official);
        Assert.Equal(HttpStatusCode.Forbidden, (await official.GetAsync("/api/escalation-measures?channel=KR-CN")).StatusCode);

        var member = _escalation.ClientFor("measures-member", "KR", HotlineRoles.CommitteeMember);
        await (await member.GetAsync("/api/escalation-measures")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }
}
