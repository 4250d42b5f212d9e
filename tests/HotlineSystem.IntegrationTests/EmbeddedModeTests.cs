using HotlineSystem.ServiceDefaults.Input;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using HotlineSystem.Contracts.Notifications;
using HotlineSystem.Incidents.Features;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.Notifications.Client;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.IntegrationTests;

/// <summary>
/// The embedded default as a newcomer runs it: the all-in-one host as its own process, on SQLite
/// and the in-memory bus, seeded with demo data on first start; its data survives a restart.
/// </summary>
public sealed class EmbeddedModeTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hotline-embedded-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task The_all_in_one_host_starts_files_and_lists_and_keeps_its_data_across_a_restart()
    {
        Guid filedId;
        int countAfterFiling;
        using (var host = await AllInOneProcess.StartAsync(_dataDirectory))
        {
            var demo = await (await host.ClientAsync("CN")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents", Requests.Json);
            Assert.True(demo!.TotalCount >= 3, "demo incidents are seeded on first start");

            var filed = await (await host.ClientAsync("KR")).FileAsync(Requests.Incident(title: "Embedded smoke"));
            filedId = filed.Id;

            var listed = await (await host.ClientAsync("CN")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents", Requests.Json);
            Assert.Contains(listed!.Items, i => i.Id == filedId && i.Title == "Embedded smoke");
            countAfterFiling = listed.TotalCount;
        }

        using (var restarted = await AllInOneProcess.StartAsync(_dataDirectory))
        {
            var listed = await (await restarted.ClientAsync("CN")).GetFromJsonAsync<PagedList<IncidentSummary>>("/api/incidents", Requests.Json);
            Assert.Equal(countAfterFiling, listed!.TotalCount); // kept, and the demo data was not seeded twice
            Assert.Contains(listed.Items, i => i.Id == filedId);
        }
    }

    [Fact]
    public async Task In_the_all_in_one_host_the_counterparts_officer_receives_a_filed_incident_live_over_SignalR()
    {
        using var host = await AllInOneProcess.StartAsync(_dataDirectory);
        var token = await host.AccessTokenAsync("CN", "openid profile notifications");
        await using var cn = new NotificationConnection(host.BaseAddress, () => Task.FromResult<string?>(token));
        var received = new TaskCompletionSource<FeedEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        cn.EntryReceived += entry =>
        {
            if (entry.Title == "Embedded push")
            {
                received.TrySetResult(entry);
            }

            return Task.CompletedTask;
        };
        await cn.StartAsync();

        var filed = await (await host.ClientAsync("KR")).FileAsync(Requests.Incident(title: "Embedded push"));

        var entry = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(filed.Id, entry.IncidentId);
        Assert.Equal(FeedEntryKind.IncidentReported, entry.Kind);
        Assert.Equal("KR", entry.ActingParty);
    }
}
