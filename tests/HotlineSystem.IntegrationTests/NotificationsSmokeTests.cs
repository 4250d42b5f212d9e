using HotlineSystem.Contracts.Notifications;
using HotlineSystem.IntegrationTests.Infrastructure;
using HotlineSystem.ServiceDefaults.Identity;

namespace HotlineSystem.IntegrationTests;

public sealed class NotificationsSmokeTests(IncidentsAppFixture incidents) : IClassFixture<IncidentsAppFixture>, IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NotificationsApp _notifications = null!;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("notify");
        _notifications = new NotificationsApp(_database.ConnectionString, $"n{Guid.NewGuid():N}"[..10]).Start();
    }

    public async Task DisposeAsync()
    {
        await _notifications.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_incident_filed_by_KR_reaches_the_CN_officers_connection()
    {
        await _notifications.PersonAsync("smoke-cn", "CN", HotlineRoles.LiaisonOfficer);
        await using var cn = await (await _notifications.ConnectionForAsync("smoke-cn", "CN", [HotlineRoles.LiaisonOfficer])).StartAsync();

        var filed = await incidents.App.ClientFor("smoke-kr", "KR", HotlineRoles.LiaisonOfficer).FileAsync(Requests.Incident(title: "Smoke: Dy oxide held at Tianjin"));

        var entry = await cn.WaitForAsync(e => e.IncidentId == filed.Id);
        Assert.Equal(FeedEntryKind.IncidentReported, entry.Kind);
        Assert.Equal("Smoke: Dy oxide held at Tianjin", entry.Title);
        Assert.Equal(1, entry.Sequence);
    }
}
