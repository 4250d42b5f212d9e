using HotlineSystem.Incidents.Catalogue;
using HotlineSystem.ServiceDefaults.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>
/// One Incidents host on a database of its own, shared by the tests of a class. Its catalogue
/// holds a second channel, KR–VN, as an administrator would add it: channels are data, and a
/// party that is on another channel must still see nothing of KR–CN.
/// </summary>
public class IncidentsAppFixture : IAsyncLifetime
{
    public const string VnOfficer = "vn-officer";

    private TestDatabase _database = null!;

    public IncidentsApp App { get; private set; } = null!;

    /// <summary>Kestrel on a loopback port instead of the in-memory TestServer, which enforces no request-body limit.</summary>
    protected virtual bool OnKestrel => false;

    public virtual async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync("httpapi");
        App = new IncidentsApp(_database.ConnectionString, $"t{Guid.NewGuid():N}"[..10]);
        if (OnKestrel)
        {
            App.UseKestrel(0);
        }

        App.CreateClient().Dispose(); // start the host: migrations, seed, bus

        // A second channel this host's copy of the registry holds. Another test may have registered VN at
        // the shared Identity server: then it comes with the registry's replay, which may land between
        // the look and the write here; a key taken meanwhile is looked at again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await App.InDatabase(async db =>
                {
                    if (!await db.Parties.AnyAsync(p => p.Code == "VN"))
                    {
                        db.Parties.Add(new Party("VN", "Viet Nam", "Việt Nam", "Asia/Ho_Chi_Minh", "vi"));
                    }

                    if (!await db.Channels.AnyAsync(c => c.Code == "KR-VN"))
                    {
                        db.Channels.Add(new Channel("KR-VN", "KR", "VN", "Korea–Viet Nam rare-earth partnership"));
                    }

                    return await db.SaveChangesAsync();
                });
                break;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                await Task.Delay(200);
            }
        }

        App.Services.GetRequiredService<CatalogueCache>().Invalidate();
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }

    public HttpClient VnOfficerClient() => App.ClientFor(VnOfficer, "VN", HotlineRoles.LiaisonOfficer);

    /// <summary>Everything a request could have written: incidents, timeline entries, outbox messages.</summary>
    public Task<(int Incidents, int TimelineEntries, int OutboxMessages)> RecordCountsAsync() =>
        App.InDatabase(async db => (
            await db.Incidents.CountAsync(),
            await db.TimelineEntries.CountAsync(),
            await db.OutboxMessages.CountAsync()));
}

/// <summary>The host on real Kestrel: what a body limit or a chunked request meets in production.</summary>
public sealed class KestrelIncidentsAppFixture : IncidentsAppFixture
{
    protected override bool OnKestrel => true;
}
